import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorker } from "@platform/core";
import { waitUntil } from "@platform/core/testing";
import {
  MemoryNotificationOutbox,
  TestPaymentPort,
  TIMEOUT_AFTER_CHARGE_TOKEN,
  type EmailMessage,
  type IdentifiedEmailMessage,
  type PaymentPort,
  type SendOptions,
} from "../src/index.js";
import { codeOf, commerceStores, makePlatform, product, signUp } from "./helpers.js";

// A worker stopped past its deadline abandons the send in flight and hands its claim back (conditional on its
// claim token), so another worker sends the message at once instead of after the 60 s lease; a send that does
// not stop keeps its claim, so two workers never send the same claim at the same time.
describe.each(commerceStores())("a worker stopping past its deadline on $name", (fixture) => {
  beforeAll(() => fixture.setup());
  afterAll(() => fixture.teardown());

  /** A sender that never finishes by itself: it rejects on the abort when `honours`, else it hangs until `finish()`. */
  function hangingSender(honours: boolean) {
    let entered = 0;
    let finish: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (finish = resolve));
    return {
      get entered() {
        return entered;
      },
      finish,
      send: (_m: EmailMessage, options?: SendOptions) => {
        entered++;
        return new Promise<void>((resolve, reject) => {
          if (honours) options?.signal?.addEventListener("abort", () => reject(new Error("aborted")), { once: true });
          void done.then(resolve);
        });
      },
    };
  }

  async function twoWorkers(honours: boolean) {
    const store = fixture.make();
    const hanging = hangingSender(honours);
    const outbox = new MemoryNotificationOutbox();
    const first = makePlatform({ store, notifications: { email: hanging, sms: null, sendInProcess: false } });
    const second = makePlatform({ store, notifications: { email: outbox, sms: null, sendInProcess: false } });
    const now = first.clock.now();
    await store.transaction((tx) =>
      tx.notifications.enqueue([
        {
          id: "ntf_abandon_1",
          eventId: "evt_abandon_1",
          channel: "email",
          recipient: "jane@example.com",
          template: "order_confirmation",
          message: { to: "jane@example.com", subject: "Your order", text: "Thanks", template: "order_confirmation" },
          createdAt: now,
        },
      ]),
    );
    const only = Object.fromEntries(
      first.platform.backgroundDuties.map((d) => [d.name, { enabled: d.name === "commerce.notifications.dispatch" }]),
    );
    const worker = createWorker({ commerce: first.platform, clock: first.clock, duties: only }).start();
    await waitUntil(() => hanging.entered === 1, "the first worker to start sending", { timeoutMs: 10_000 });
    return { hanging, outbox, worker, second };
  }

  it("hands back the claim of an abandoned send: another worker sends it at once, the same message once", async () => {
    const { worker, second, outbox } = await twoWorkers(true);
    const report = await worker.stop({ deadlineMs: 10_000, releaseMs: 10_000 });
    // The same instant on the manual clock: the 60 s lease has not lapsed, only the handed-back claim is free.
    expect(await second.platform.notifications.dispatchDue()).toMatchObject({ sent: 1 });
    expect(report).toMatchObject({ finished: false, unfinished: ["commerce.notifications.dispatch"], unreleased: [] });
    expect(outbox.emails.map((m) => [(m as IdentifiedEmailMessage).id, m.to])).toEqual([["ntf_abandon_1", "jane@example.com"]]);
  });

  it("keeps the claim of a send that does not stop, so no other worker sends it meanwhile", async () => {
    const { worker, second, outbox, hanging } = await twoWorkers(false);
    const report = await worker.stop({ deadlineMs: 50, releaseMs: 50 });
    expect(report).toMatchObject({ finished: false, unreleased: ["commerce.notifications.dispatch"] });
    expect(await second.platform.notifications.dispatchDue()).toMatchObject({ sent: 0 });
    expect(outbox.emails).toEqual([]);
    hanging.finish();
  });

  it("hands back the sweeper's claims on orders it did not examine yet; the order in flight is examined to its end", async () => {
    const store = fixture.make();
    const inner = new TestPaymentPort();
    let lookups = 0;
    let letGo: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (letGo = resolve));
    const port: PaymentPort = {
      charge: (r) => inner.charge(r),
      refund: (r) => inner.refund(r),
      // The first lookup hangs until the test lets it go: the sweep is then in flight.
      retrieve: async (l) => {
        if (++lookups === 1) await held;
        return inner.retrieve(l);
      },
    };
    const first = makePlatform({ store, payments: port });
    for (let i = 0; i < 3; i++) {
      const p = await product(first.platform, `ABANDON-SWEEP-${i}`, "10.00", 5);
      const { actor } = await signUp(first.platform);
      await first.platform.carts.addItem(actor, { productId: p.id, quantity: 1 });
      const checkout = () =>
        first.platform.orders.checkout(actor, { idempotencyKey: `abandon-sweep-${i}`, paymentToken: TIMEOUT_AFTER_CHARGE_TOKEN });
      expect(await codeOf(checkout)).toBe("gateway_timeout");
    }
    first.clock.advance(61_000);
    const only = Object.fromEntries(
      first.platform.backgroundDuties.map((d) => [d.name, { enabled: d.name === "commerce.orders.sweep_payments" }]),
    );
    const worker = createWorker({ commerce: first.platform, clock: first.clock, duties: only }).start();
    await waitUntil(() => lookups === 1, "the sweeper to look the first order up", { timeoutMs: 10_000 });
    const stopping = worker.stop({ deadlineMs: 10_000, releaseMs: 10_000 });
    // The stop abandons the run at once (all of its 10 s deadline kept for the release), before this timer fires.
    setTimeout(letGo, 20);
    expect(await stopping).toMatchObject({ finished: false, unreleased: [] });
    expect(worker.health().duties.find((d) => d.name === "commerce.orders.sweep_payments")).toMatchObject({ lastProcessed: 1 });
    // Another sweeper at the same instant: the 2 orders handed back are free, without waiting for the 2-minute lease.
    const second = makePlatform({ store, payments: inner });
    second.clock.set(first.clock.now());
    expect(await second.platform.orders.sweepPendingPayments()).toMatchObject({ examined: 2, paid: 2 });
  });
});
