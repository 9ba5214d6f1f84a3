import { describe, expect, it } from "vitest";
import { createWorker } from "@platform/core";
import { waitUntil } from "@platform/core/testing";
import { ADMIN_ACTOR, MemoryNotificationOutbox, TIMEOUT_AFTER_CHARGE_TOKEN } from "../src/index.js";
import { codeOf, makePlatform, product, signUp, ANONYMOUS_ACTOR } from "./helpers.js";

describe("commerce as worker duties", () => {
  it("declares its duties; the memory store has no outbox to purge", () => {
    const { platform } = makePlatform();
    expect(createWorker({ commerce: platform }).duties).toEqual([
      "commerce.notifications.dispatch",
      "commerce.reservations.release",
      "commerce.orders.sweep_payments",
      "commerce.sessions.purge",
      "commerce.login_throttles.purge",
    ]);
  });

  it("a worker on the memory store settles an order whose charge outcome was unknown and sends what app servers only recorded", async () => {
    const outbox = new MemoryNotificationOutbox();
    // Records only: the worker sends.
    const { platform, clock } = makePlatform({ notifications: { email: outbox, sms: null, sendInProcess: false } });
    const p = await product(platform, "WORKER-MEM-1", "20.00", 5);
    const { actor, email } = await signUp(platform);
    await platform.carts.addItem(actor, { productId: p.id, quantity: 2 });
    // The test port charges, then times out: the order stays pending with its stock held.
    expect(
      await codeOf(() => platform.orders.checkout(actor, { idempotencyKey: "worker-mem-1", paymentToken: TIMEOUT_AFTER_CHARGE_TOKEN })),
    ).toBe("gateway_timeout");
    const [pending] = (await platform.orders.list(ADMIN_ACTOR, { customerId: actor.id! })).items;
    expect(pending!.status).toBe("pending");
    clock.advance({ minutes: 16 }); // past the reservation TTL and the sweeper's wait

    const fast = { intervalMs: 10 };
    const worker = createWorker({
      commerce: platform,
      clock,
      duties: { "commerce.reservations.release": fast, "commerce.orders.sweep_payments": fast, "commerce.notifications.dispatch": fast },
    }).start();
    try {
      await waitUntil(
        async () => (await platform.orders.get(ADMIN_ACTOR, { orderId: pending!.id })).status === "paid" && outbox.emails.length > 0,
        "the worker to settle the order and send its confirmation",
        { timeoutMs: 10_000 },
      );
    } finally {
      await worker.stop({ deadlineMs: 5_000 });
    }
    expect(await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: p.id })).toMatchObject({ onHand: 3, reserved: 0, sold: 2 });
    expect(outbox.emails.map((m) => [m.to, m.template])).toEqual([[email, "order_confirmation"]]);
  });
});
