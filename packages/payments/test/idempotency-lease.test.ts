import { waitUntil } from "@platform/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock, StorageError, systemClock } from "@platform/core";
import { createPaymentSystem, MemoryPaymentStore, TestGateway, type PaymentGateway, type PaymentStore } from "../src/index.js";
import { codeOf, slowGateway, usd, paymentStores } from "./helpers.js";
import { ADMIN } from "./helpers.js";

/** A store of one "process" that can crash: after `crash()` every transaction of it fails, as after a kill. */
function crashable(inner: PaymentStore) {
  let dead = false;
  const store: PaymentStore = {
    transaction: (work) => (dead ? Promise.reject(new StorageError("storage_unavailable", "process crashed")) : inner.transaction(work)),
    setEventPublisher: (publisher) => inner.setEventPublisher(publisher),
    setCursorSecret: (secret) => inner.setCursorSecret(secret),
  };
  return { store, crash: () => (dead = true) };
}

/** A gateway whose first call of `op` never returns (the process making it died); later calls go through. */
function hangingOnce(inner: TestGateway, op: "authorize" | "capture") {
  let hung = false;
  const reached = { first: false };
  const hang = <T>(call: () => Promise<T>): Promise<T> =>
    hung ? call() : ((hung = true), (reached.first = true), new Promise<T>(() => undefined));
  const gateway: PaymentGateway = {
    describePaymentMethod: (pm) => inner.describePaymentMethod(pm),
    authorize: (r) => (op === "authorize" ? hang(() => inner.authorize(r)) : inner.authorize(r)),
    capture: (r) => (op === "capture" ? hang(() => inner.capture(r)) : inner.capture(r)),
    void: (r) => inner.void(r),
    refund: (r) => inner.refund(r),
    retrieve: (r) => inner.retrieve(r),
  };
  return { gateway, reached };
}

const options = { webhooks: { autoDispatch: false } } as const;

describe.each(paymentStores())("idempotency leases on $name", (fixture) => {
  beforeAll(() => fixture.setup());
  afterAll(() => fixture.teardown());
  it("a key whose owner died mid-charge is taken over once its lease lapses (seconds, not 60 s), charging once", async () => {
    const shared = fixture.make();
    const clock = new ManualClock("2026-03-01T12:00:00.000Z");
    const inner = new TestGateway();
    const hanging = hangingOnce(inner, "authorize");
    const owner = crashable(shared);
    const a = createPaymentSystem({
      ...options,
      store: owner.store,
      clock,
      gateways: { test: hanging.gateway },
      idempotencyLease: { seconds: 2 },
    });
    const b = createPaymentSystem({ ...options, store: shared, clock, gateways: { test: inner }, idempotencyLease: { seconds: 2 } });
    const input = { amount: usd("9.00"), paymentMethod: "pm_card_visa", idempotencyKey: "lease-crash-1" };
    void a.payments.create(ADMIN, input).catch(() => undefined);
    await waitUntil(() => hanging.reached.first, "the first charge to reach the gateway", { timeoutMs: 10_000, intervalMs: 5 });
    owner.crash();
    clock.advance({ seconds: 3 });
    const p = await b.payments.create(ADMIN, input);
    expect(p.status).toBe("succeeded");
    expect(inner.chargeCount(p.id)).toBe(1);
    expect((await b.payments.create(ADMIN, input)).id).toBe(p.id);
    expect(inner.calls.authorize).toBe(1);
  });

  it("a retry before the dead owner's lease lapsed waits for it, then takes over", async () => {
    const shared = fixture.make();
    const inner = new TestGateway();
    const hanging = hangingOnce(inner, "authorize");
    const owner = crashable(shared);
    // Real clock: the retry arrives while the lease is still live and must outwait it.
    const a = createPaymentSystem({
      ...options,
      store: owner.store,
      clock: systemClock,
      gateways: { test: hanging.gateway },
      idempotencyLease: 300,
    });
    const b = createPaymentSystem({ ...options, store: shared, clock: systemClock, gateways: { test: inner }, idempotencyLease: 300 });
    const input = { amount: usd("7.00"), paymentMethod: "pm_card_visa", idempotencyKey: "lease-crash-2" };
    void a.payments.create(ADMIN, input).catch(() => undefined);
    await waitUntil(() => hanging.reached.first, "the first charge to reach the gateway", { timeoutMs: 10_000, intervalMs: 5 });
    owner.crash();
    const p = await b.payments.create(ADMIN, input);
    expect(p.status).toBe("succeeded");
    expect(inner.chargeCount(p.id)).toBe(1);
  });

  it("a slow but live owner renews its lease and is not taken over: the retry waits for its outcome", async () => {
    const store = fixture.make();
    const clock = new ManualClock("2026-03-01T12:00:00.000Z");
    const inner = new TestGateway();
    const slow = slowGateway(inner);
    // A 300 ms lease renews every 100 ms of real time; the lease itself runs on the manual clock.
    const a = createPaymentSystem({ ...options, store, clock, gateways: { test: slow.gateway }, idempotencyLease: 300 });
    const b = createPaymentSystem({ ...options, store, clock, gateways: { test: slow.gateway }, idempotencyLease: 300 });
    slow.hold("authorize");
    const input = { amount: usd("5.00"), paymentMethod: "pm_card_visa", idempotencyKey: "lease-live" };
    const first = a.payments.create(ADMIN, input);
    await slow.entered("authorize");
    const leaseEnd = async () =>
      (await store.transaction((tx) => tx.idempotency.get("payments.create", "lease-live")))!.leaseExpiresAt!.getTime();
    // Time passes in steps shorter than the lease, ten leases in all: each step, the owner's heartbeat renews it.
    for (let step = 0; step < 15; step++) {
      clock.advance(200);
      const now = clock.now().getTime();
      await waitUntil(async () => (await leaseEnd()) > now, "the owner to renew its lease", { timeoutMs: 10_000, intervalMs: 5 });
    }
    const second = b.payments.create(ADMIN, input);
    await new Promise((r) => setTimeout(r, 100));
    slow.release("authorize");
    const [p1, p2] = await Promise.all([first, second]);
    expect(p2.id).toBe(p1.id);
    expect(p1.status).toBe("succeeded");
    expect(inner.calls.authorize).toBe(1);
  });

  it("payments.capture retried with its key after its owner died is resumed and captures once", async () => {
    const shared = fixture.make();
    const clock = new ManualClock("2026-03-01T12:00:00.000Z");
    const inner = new TestGateway();
    const hanging = hangingOnce(inner, "capture");
    const owner = crashable(shared);
    const a = createPaymentSystem({
      ...options,
      store: owner.store,
      clock,
      gateways: { test: hanging.gateway },
      idempotencyLease: { seconds: 2 },
    });
    const b = createPaymentSystem({ ...options, store: shared, clock, gateways: { test: inner }, idempotencyLease: { seconds: 2 } });
    const p = await a.payments.create(ADMIN, { amount: usd("20"), paymentMethod: "pm_card_visa", captureMethod: "manual" });
    void a.payments.capture(ADMIN, { paymentId: p.id, idempotencyKey: "cap-lease" }).catch(() => undefined);
    await waitUntil(() => hanging.reached.first, "the capture to reach the gateway", { timeoutMs: 10_000, intervalMs: 5 });
    owner.crash();
    clock.advance({ seconds: 3 });
    const captured = await b.payments.capture(ADMIN, { paymentId: p.id, idempotencyKey: "cap-lease" });
    expect(captured.status).toBe("succeeded");
    expect(captured.amountCaptured.toFixed()).toBe("20.00");
    expect(inner.calls.capture).toBe(1);
  });

  it("a caller that lost its storage after claiming leaves the key to an immediate retry, which resumes it", async () => {
    const shared = fixture.make();
    const clock = new ManualClock("2026-03-01T12:00:00.000Z");
    const inner = new TestGateway();
    let failSettle = true;
    // Storage fails right after the gateway answered (the outcome is not recorded): a non-gateway error.
    const flaky: PaymentStore = {
      transaction: (work) =>
        shared.transaction(async (tx) => {
          const payments = new Proxy(tx.payments, {
            get(target, prop, receiver) {
              // The settlement's first statement: its locking read, or its versioned update when it has none.
              if ((prop === "getForUpdate" || prop === "update") && failSettle && inner.calls.authorize > 0)
                return () => ((failSettle = false), Promise.reject(new StorageError("storage_unavailable", "connection lost")));
              return Reflect.get(target, prop, receiver);
            },
          });
          return work({ ...tx, payments });
        }),
      setEventPublisher: (p) => shared.setEventPublisher(p),
      setCursorSecret: (secret) => shared.setCursorSecret(secret),
    };
    const system = createPaymentSystem({ ...options, store: flaky, clock, gateways: { test: inner }, idempotencyLease: { seconds: 30 } });
    const input = { amount: usd("3.00"), paymentMethod: "pm_card_visa", idempotencyKey: "lost-storage" };
    expect(await codeOf(() => system.payments.create(ADMIN, input))).toBe("storage_unavailable");
    // No clock movement: the retry does not wait out the 30 s lease, it resumes at once.
    const p = await system.payments.create(ADMIN, input);
    expect(p.status).toBe("succeeded");
    expect(inner.chargeCount(p.id)).toBe(1);
  });

  it("idempotencyLease below 100 ms is refused", () => {
    expect(() => createPaymentSystem({ idempotencyLease: 10, gateways: { test: new TestGateway() } })).toThrow(
      expect.objectContaining({ code: "validation_failed" }),
    );
  });
});
