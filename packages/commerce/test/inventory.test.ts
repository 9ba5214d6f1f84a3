import { waitUntil } from "@platform/core/testing";
import { describe, expect, it, beforeAll, afterAll } from "vitest";
import { codeOf, commerceStores, makeOn, product, signUp, ADMIN_ACTOR, ANONYMOUS_ACTOR } from "./helpers.js";

describe.each(commerceStores())("inventory on $name", (store) => {
  beforeAll(() => store.setup());
  afterAll(() => store.teardown());

  describe("inventory", () => {
    it("a reservation expires by the manual clock, but stock whose charge may exist stays held; the late payment pays the order", async () => {
      // A payment port that never answers keeps the order pending with its reservation.
      let release!: () => void;
      const stuck = new Promise<void>((r) => (release = r));
      const { platform, clock } = makeOn(store, {
        reservationTtlMs: 15 * 60_000,
        payments: {
          charge: async () => {
            await stuck;
            return { reference: "pay_late" };
          },
          retrieve: async () => ({ status: "pending" as const, reference: null }),
          refund: async () => ({ reference: "re_late" }),
        },
      });
      const p = await product(platform, "TTL-1", "9.00", 4);
      const { actor } = await signUp(platform);
      await platform.carts.addItem(actor, { productId: p.id, quantity: 3 });
      const pending = platform.orders.checkout(actor, { idempotencyKey: "ttl-checkout" });
      // Wait until the checkout's first transaction has reserved (a few ms in memory, longer on PostgreSQL).
      await waitUntil(
        async () => (await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: p.id })).reserved > 0,
        "the checkout to reserve stock",
        { timeoutMs: 10_000 },
      );
      expect(await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: p.id })).toMatchObject({
        onHand: 4,
        reserved: 3,
        available: 1,
      });

      clock.advance({ minutes: 14 });
      expect(await platform.inventory.releaseExpired()).toBe(0);
      clock.advance({ minutes: 2 });
      // Expired, but the port cannot tell whether the charge went through: nothing is released or canceled.
      expect(await platform.inventory.releaseExpired()).toBe(0);
      expect(await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: p.id })).toMatchObject({
        onHand: 4,
        reserved: 3,
        available: 1,
      });
      const [order] = (await platform.orders.list(actor)).items;
      expect(order).toMatchObject({ status: "pending", payment: { status: "pending" } });

      // The late payment pays the order with the stock that was still held.
      release();
      expect(await pending).toMatchObject({ id: order!.id, status: "paid", payment: { status: "succeeded", reference: "pay_late" } });
      expect(await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: p.id })).toMatchObject({ onHand: 1, reserved: 0, sold: 3 });
      expect(await platform.inventory.releaseExpired()).toBe(0);
    });

    it("an expired reservation whose charge never arrived is released and its order canceled", async () => {
      const { platform, clock } = makeOn(store, {
        payments: {
          charge: async () => {
            throw new Error("connection reset");
          },
          retrieve: async () => ({ status: "not_found" as const }),
          refund: async () => ({ reference: "re_none" }),
        },
      });
      const p = await product(platform, "TTL-2", "9.00", 4);
      const { actor } = await signUp(platform);
      await platform.carts.addItem(actor, { productId: p.id, quantity: 2 });
      // A plain error says nothing about the money: retryable, the order stays pending with its stock.
      expect(await codeOf(() => platform.orders.checkout(actor, { idempotencyKey: "ttl-checkout-2" }))).toBe("payment_pending");
      expect(await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: p.id })).toMatchObject({ reserved: 2 });
      clock.advance({ minutes: 16 });
      const expired: string[] = [];
      platform.events.on("inventory.reservation_expired", (e) => expired.push(e.data.reservationId));
      expect(await platform.inventory.releaseExpired()).toBe(1);
      expect(expired).toHaveLength(1);
      expect(await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: p.id })).toMatchObject({
        onHand: 4,
        reserved: 0,
        available: 4,
      });
      const [order] = (await platform.orders.list(actor)).items;
      expect(order).toMatchObject({
        status: "canceled",
        cancelReason: "reservation_expired",
        payment: { status: "failed", failureCode: "payment_not_found" },
      });
    });

    it("adjusts with a reason, refuses negative stock, and fires low_stock when crossing the threshold", async () => {
      const { platform } = makeOn(store, { lowStockThreshold: 3 });
      const p = await product(platform, "LOW-1", "2.00", 5);
      const low: number[] = [];
      platform.events.on("inventory.low_stock_reached", (e) => low.push(e.data.available));
      await platform.inventory.adjust(ADMIN_ACTOR, { productId: p.id, delta: -1, reason: "damaged", note: "dropped" });
      expect(low).toEqual([]);
      await platform.inventory.adjust(ADMIN_ACTOR, { productId: p.id, delta: -2, reason: "lost" });
      expect(low).toEqual([2]);
      await platform.inventory.adjust(ADMIN_ACTOR, { productId: p.id, delta: -1, reason: "lost" });
      expect(low).toEqual([2]);
      expect(await codeOf(() => platform.inventory.adjust(ADMIN_ACTOR, { productId: p.id, delta: -5, reason: "correction" }))).toBe(
        "negative_stock",
      );
      expect(await codeOf(() => platform.inventory.adjust(ADMIN_ACTOR, { productId: p.id, delta: 0, reason: "correction" }))).toBe(
        "invalid_quantity",
      );
      expect(await codeOf(() => platform.inventory.adjust(ADMIN_ACTOR, { productId: p.id, delta: 1, reason: "stolen" as never }))).toBe(
        "validation_failed",
      );
      const s = await platform.inventory.adjust(ADMIN_ACTOR, { productId: p.id, delta: 10, reason: "received" });
      expect(s).toMatchObject({ onHand: 11, received: 15, adjusted: -4 });
    });

    it("a checkout that takes stock below the threshold fires low_stock", async () => {
      const { platform } = makeOn(store, { lowStockThreshold: 2 });
      const p = await product(platform, "LOW-2", "2.00", 3);
      const { actor } = await signUp(platform);
      const low: string[] = [];
      platform.events.on("inventory.low_stock_reached", (e) => low.push(e.data.productId));
      await platform.carts.addItem(actor, { productId: p.id, quantity: 2 });
      await platform.orders.checkout(actor, { idempotencyKey: "low-stock-checkout" });
      expect(low).toEqual([p.id]);
    });

    it("variants have their own stock", async () => {
      const { platform } = makeOn(store);
      const shirt = await platform.products.create(ADMIN_ACTOR, {
        sku: "TEE",
        name: "T-shirt",
        price: { amount: "15.00", currency: "USD" },
        variants: [
          { sku: "TEE-S", options: { size: "S" } },
          { sku: "TEE-L", options: { size: "L" }, price: { amount: "17.00", currency: "USD" } },
        ],
        variantStock: { "TEE-S": 1, "TEE-L": 5 },
      });
      const [s, l] = shirt.variants;
      expect(await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: shirt.id, variantId: s!.id })).toMatchObject({ onHand: 1 });
      const { actor } = await signUp(platform);
      expect(await codeOf(() => platform.carts.addItem(actor, { productId: shirt.id, quantity: 1 }))).toBe("variant_required");
      await platform.carts.addItem(actor, { productId: shirt.id, variantId: l!.id, quantity: 2 });
      await platform.carts.addItem(actor, { productId: shirt.id, variantId: s!.id, quantity: 2 });
      expect(await codeOf(() => platform.orders.checkout(actor, { idempotencyKey: "variant-checkout-1" }))).toBe("insufficient_stock");
      await platform.carts.setQuantity(actor, { productId: shirt.id, variantId: s!.id, quantity: 1 });
      const order = await platform.orders.checkout(actor, { idempotencyKey: "variant-checkout-2" });
      expect(order.total.toFixed()).toBe("49.00");
      expect(await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: shirt.id, variantId: l!.id })).toMatchObject({
        onHand: 3,
        sold: 2,
      });
    });
  });
});
