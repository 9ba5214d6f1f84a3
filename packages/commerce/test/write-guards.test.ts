// Writes a store may send with the COMMIT instead of waiting for them (PostgreSQL pipelines the
// cart, order and notification writes behind the transaction's last statement): a guard that
// matches nothing must still fail the whole transaction with its code, and nothing of it is kept.
import { describe, expect, it, beforeAll, afterAll } from "vitest";
import { createEvent, systemClock } from "@platform/core";
import { codeOf, commerceStores, makePlatform, product, signUp } from "./helpers.js";

describe.each(commerceStores())("write guards on $name", (fixture) => {
  beforeAll(() => fixture.setup());
  afterAll(() => fixture.teardown());

  it("a stale cart or order version, or a taken checkout key, fails its transaction: no change, no event", async () => {
    const store = fixture.make();
    const { platform } = makePlatform({ store });
    const p = await product(platform, "WG-1", "4.00", 5);
    const { actor } = await signUp(platform);
    await platform.carts.addItem(actor, { productId: p.id, quantity: 1 });
    const order = await platform.orders.checkout(actor, { idempotencyKey: "write-guards-1" });
    await platform.carts.addItem(actor, { productId: p.id, quantity: 2 });
    const published: string[] = [];
    platform.events.on("cart.updated", (e) => published.push(e.type));
    platform.events.on("order.paid", (e) => published.push(e.type));
    const cart = (await store.transaction((tx) => tx.carts.getByCustomer(actor.id!)))!;
    const stored = (await store.transaction((tx) => tx.orders.get(order.id)))!;
    const event = (type: "cart.updated" | "order.paid") =>
      type === "cart.updated"
        ? createEvent("cart.updated", { cartId: cart.id, customerId: cart.customerId, lineCount: 0 }, systemClock)
        : createEvent(
            "order.paid",
            { orderId: order.id, customerId: order.customerId, total: order.total.toJSON(), paymentReference: "x" },
            systemClock,
          );

    const staleCart = () =>
      store.transaction(async (tx) => {
        await tx.carts.update({ ...cart, lines: [], version: cart.version + 1 }, cart.version - 1);
        tx.outbox.add(event("cart.updated"));
      });
    expect(await codeOf(staleCart)).toBe("version_conflict");
    const staleOrder = () =>
      store.transaction(async (tx) => {
        await tx.orders.update({ ...stored, trackingNumber: "TRK-STALE", version: stored.version + 1 }, stored.version - 1);
        tx.outbox.add(event("order.paid"));
      });
    expect(await codeOf(staleOrder)).toBe("version_conflict");
    // Followed by a read in the same transaction: the read reports the write's failure, not its own.
    const staleThenRead = () =>
      store.transaction(async (tx) => {
        await tx.carts.update({ ...cart, lines: [], version: cart.version + 1 }, cart.version + 5);
        await tx.products.getMany([p.id]);
        tx.outbox.add(event("cart.updated"));
      });
    expect(await codeOf(staleThenRead)).toBe("version_conflict");
    const takenKey = () =>
      store.transaction(async (tx) => {
        await tx.orders.insert({ ...stored, id: "ord_other", version: 1 });
        tx.outbox.add(event("order.paid"));
      });
    expect(await codeOf(takenKey)).toBe("idempotency_key_taken");

    expect(published).toEqual([]);
    expect((await platform.carts.get(actor)).lines.map((l) => l.quantity)).toEqual([2]);
    expect(await store.transaction((tx) => tx.orders.get(order.id))).toEqual(stored);
    expect(await store.transaction((tx) => tx.orders.get("ord_other"))).toBeNull();
  });
});
