import { describe, expect, it, beforeAll, afterAll } from "vitest";
import { PlatformError } from "@platform/core";
import { codeOf, commerceStores, makeOn, product, signUp, ADMIN_ACTOR, ANONYMOUS_ACTOR } from "./helpers.js";

describe.each(commerceStores())("checkout concurrency on $name", (store) => {
  beforeAll(() => store.setup());
  afterAll(() => store.teardown());

  describe("checkout under concurrency", () => {
    it("100 concurrent checkouts for 10 units: exactly 10 orders, stock 0, nothing reserved, losers get insufficient_stock", async () => {
      const { platform, payments } = makeOn(store);
      const p = await product(platform, "HOT-1", "10.00", 10);
      const buyers = await Promise.all(Array.from({ length: 100 }, (_, i) => signUp(platform, `Buyer ${i}`)));
      for (const b of buyers) await platform.carts.addItem(b.actor, { productId: p.id, quantity: 1 });

      const results = await Promise.allSettled(
        buyers.map((b, i) => platform.orders.checkout(b.actor, { idempotencyKey: `checkout-key-${i}` })),
      );
      const won = results.filter((r) => r.status === "fulfilled");
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      expect(won).toHaveLength(10);
      expect(lost).toHaveLength(90);
      for (const r of lost) expect(PlatformError.is(r.reason, "insufficient_stock")).toBe(true);
      for (const r of won) expect((r as PromiseFulfilledResult<{ status: string }>).value.status).toBe("paid");

      const stock = await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: p.id });
      expect(stock).toMatchObject({ onHand: 0, reserved: 0, sold: 10, available: 0 });
      expect(payments.charges).toHaveLength(10);
    });

    it("a multi-line checkout reserves all lines or none, summing lines of one item", async () => {
      const { platform } = makeOn(store);
      const a = await product(platform, "A-1", "1.00", 5);
      const b = await product(platform, "B-1", "1.00", 1);
      const { actor } = await signUp(platform);
      await platform.carts.addItem(actor, { productId: a.id, quantity: 3 });
      await platform.carts.addItem(actor, { productId: b.id, quantity: 1 });
      await platform.inventory.adjust(ADMIN_ACTOR, { productId: b.id, delta: -1, reason: "damaged" });
      expect(await codeOf(() => platform.orders.checkout(actor, { idempotencyKey: "multi-line-1" }))).toBe("insufficient_stock");
      expect(await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: a.id })).toMatchObject({ onHand: 5, reserved: 0 });
    });

    it("concurrent retries with one idempotency key: one order, one charge", async () => {
      const { platform, payments } = makeOn(store);
      const p = await product(platform, "RETRY-1", "25.00", 5);
      const { actor } = await signUp(platform);
      await platform.carts.addItem(actor, { productId: p.id, quantity: 2 });
      const orders = await Promise.all(
        Array.from({ length: 20 }, () => platform.orders.checkout(actor, { idempotencyKey: "same-key-123" })),
      );
      expect(new Set(orders.map((o) => o.id)).size).toBe(1);
      expect(payments.charges).toHaveLength(1);
      // A later retry still answers the same order without charging.
      const again = await platform.orders.checkout(actor, { idempotencyKey: "same-key-123" });
      expect(again.id).toBe(orders[0]!.id);
      expect(again.status).toBe("paid");
      expect(payments.charges).toHaveLength(1);
      expect((await platform.orders.list(actor)).items).toHaveLength(1);
      expect(await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: p.id })).toMatchObject({ onHand: 3, reserved: 0, sold: 2 });
    });

    it("concurrent retries across two platform instances sharing one store still charge once", async () => {
      const first = makeOn(store);
      const { createECommercePlatform } = await import("../src/index.js");
      const second = createECommercePlatform({
        store: first.platform.store,
        clock: first.clock,
        payments: first.payments,
        passwordHashing: { N: 1024 },
      });
      const p = await product(first.platform, "TWO-1", "5.00", 5);
      const { actor } = await signUp(first.platform);
      await first.platform.carts.addItem(actor, { productId: p.id, quantity: 1 });
      const [a, b] = await Promise.all([
        first.platform.orders.checkout(actor, { idempotencyKey: "cross-proc-1" }),
        second.orders.checkout(actor, { idempotencyKey: "cross-proc-1" }),
      ]);
      expect(a.id).toBe(b.id);
      expect(first.payments.charges).toHaveLength(1);
      expect(await first.platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: p.id })).toMatchObject({
        onHand: 4,
        reserved: 0,
        sold: 1,
      });
    });

    it("a reused key with other parameters is refused", async () => {
      const { platform } = makeOn(store);
      const p = await product(platform, "IDEM-1", "5.00", 5);
      const { actor } = await signUp(platform);
      await platform.carts.addItem(actor, { productId: p.id, quantity: 1 });
      await platform.orders.checkout(actor, { idempotencyKey: "key-params-1", paymentToken: "tok_visa" });
      expect(await codeOf(() => platform.orders.checkout(actor, { idempotencyKey: "key-params-1", paymentToken: "tok_other" }))).toBe(
        "idempotency_conflict",
      );
    });

    it("a declined payment releases the stock, keeps the cart and cancels the order", async () => {
      const { platform, payments } = makeOn(store);
      const p = await product(platform, "DECL-1", "5.00", 3);
      const { actor } = await signUp(platform);
      await platform.carts.addItem(actor, { productId: p.id, quantity: 2 });
      expect(await codeOf(() => platform.orders.checkout(actor, { idempotencyKey: "declined-1", paymentToken: "tok_declined" }))).toBe(
        "card_declined",
      );
      expect(await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: p.id })).toMatchObject({ onHand: 3, reserved: 0, sold: 0 });
      expect((await platform.carts.get(actor)).itemCount).toBe(2);
      const [order] = (await platform.orders.list(actor)).items;
      expect(order).toMatchObject({
        status: "canceled",
        cancelReason: "payment_failed",
        payment: { status: "failed", failureCode: "card_declined" },
      });
      // The same key answers the same failure; a new key pays.
      expect(await codeOf(() => platform.orders.checkout(actor, { idempotencyKey: "declined-1", paymentToken: "tok_declined" }))).toBe(
        "card_declined",
      );
      const paid = await platform.orders.checkout(actor, { idempotencyKey: "declined-2", paymentToken: "tok_visa" });
      expect(paid.status).toBe("paid");
      expect(payments.charges).toHaveLength(1);
      expect((await platform.carts.get(actor)).lines).toHaveLength(0);
    });

    it("a retryable gateway failure keeps the order pending; a retry with the same key resumes the same charge", async () => {
      const { GatewayError } = await import("@platform/core");
      const taken = new Map<string, string>();
      let failNext = true;
      const { platform } = makeOn(store, {
        payments: {
          charge: async (r) => {
            // The first call charges but the answer is lost (timeout after charge).
            const ref = taken.get(r.idempotencyKey) ?? `pay_${taken.size + 1}`;
            taken.set(r.idempotencyKey, ref);
            if (failNext) {
              failNext = false;
              throw new GatewayError("gateway_timeout", "timed out", { provider: "fake", retryable: true });
            }
            return { reference: ref };
          },
          retrieve: async (l) => {
            const ref = taken.get(l.idempotencyKey);
            return ref ? { status: "succeeded" as const, reference: ref } : { status: "not_found" as const };
          },
          refund: async () => ({ reference: "re_1" }),
        },
      });
      const p = await product(platform, "AMB-1", "7.00", 3);
      const { actor } = await signUp(platform);
      await platform.carts.addItem(actor, { productId: p.id, quantity: 2 });
      expect(await codeOf(() => platform.orders.checkout(actor, { idempotencyKey: "ambiguous-1" }))).toBe("gateway_timeout");
      expect(await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: p.id })).toMatchObject({ onHand: 3, reserved: 2 });
      const order = await platform.orders.checkout(actor, { idempotencyKey: "ambiguous-1" });
      expect(order).toMatchObject({ status: "paid", payment: { reference: "pay_1" } });
      expect(taken.size).toBe(1);
      expect(await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: p.id })).toMatchObject({ onHand: 1, reserved: 0, sold: 2 });
    });
  });
});
