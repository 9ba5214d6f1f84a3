import { describe, expect, it, beforeAll, afterAll } from "vitest";
import { GatewayError, IdempotencyError, StorageError } from "@platform/core";
import { TestPaymentPort, TIMEOUT_AFTER_CHARGE_TOKEN, type ChargeRequest, type PaymentPort } from "../src/index.js";
import { codeOf, commerceStores, makeOn, product, signUp, ANONYMOUS_ACTOR } from "./helpers.js";

/** The test port, named explicitly, with a little latency so concurrent checkouts overlap the charge. */
describe.each(commerceStores())("checkout once on $name", (store) => {
  beforeAll(() => store.setup());
  afterAll(() => store.teardown());

  function slowTestPort(ms = 20) {
    const inner = new TestPaymentPort();
    const port: PaymentPort = {
      charge: async (r) => (await new Promise((s) => setTimeout(s, ms)), inner.charge(r)),
      retrieve: (l) => inner.retrieve(l),
      refund: (r) => inner.refund(r),
    };
    return { port, inner };
  }

  describe("a cart is bought once", () => {
    for (const clicks of [2, 10]) {
      it(`${clicks} concurrent checkouts of one cart with distinct keys: one order, one charge, the others checkout_in_progress or empty_cart`, async () => {
        const { port, inner } = slowTestPort();
        const { platform } = makeOn(store, { payments: port });
        const p = await product(platform, `ONCE-${clicks}`, "25.00", 50);
        const { actor } = await signUp(platform);
        await platform.carts.addItem(actor, { productId: p.id, quantity: 2 });
        const results = await Promise.allSettled(
          Array.from({ length: clicks }, (_, i) => platform.orders.checkout(actor, { idempotencyKey: `double-click-${clicks}-${i}` })),
        );
        const paid = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
        const codes = results.flatMap((r) => (r.status === "rejected" ? [(r.reason as { code?: string }).code] : []));
        expect(paid).toHaveLength(1);
        expect(paid[0]!.status).toBe("paid");
        expect(new Set(codes).size <= 2 && codes.every((c) => c === "checkout_in_progress" || c === "empty_cart")).toBe(true);
        expect(inner.charges).toHaveLength(1);
        expect((await platform.orders.list(actor)).items).toHaveLength(1);
        expect(await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: p.id })).toMatchObject({ onHand: 48, reserved: 0, sold: 2 });
        expect((await platform.carts.get(actor)).lines).toEqual([]);
      });
    }

    it("checkout_in_progress is retryable and names the claiming order; the same key still resumes that order", async () => {
      const payments = new TestPaymentPort();
      const { platform } = makeOn(store, { payments });
      const p = await product(platform, "ONCE-CLAIM", "40.00", 5);
      const { actor } = await signUp(platform);
      await platform.carts.addItem(actor, { productId: p.id, quantity: 1 });
      const first = { idempotencyKey: "claim-first-key", paymentToken: TIMEOUT_AFTER_CHARGE_TOKEN };
      expect(await codeOf(() => platform.orders.checkout(actor, first))).toBe("gateway_timeout");
      const [order] = (await platform.orders.list(actor)).items;
      const error = await platform.orders.checkout(actor, { idempotencyKey: "claim-second-key" }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "checkout_in_progress", details: { orderId: order!.id, retryable: true } });
      expect(payments.charges).toHaveLength(1);
      // The first checkout's retry with its key learns the charge went through: paid, cart emptied.
      expect(await platform.orders.checkout(actor, first)).toMatchObject({ id: order!.id, status: "paid" });
      expect(await codeOf(() => platform.orders.checkout(actor, { idempotencyKey: "claim-third-key" }))).toBe("empty_cart");
      expect(payments.charges).toHaveLength(1);
    });

    it("a definitely failed checkout frees the cart: another key buys it", async () => {
      const payments = new TestPaymentPort();
      const { platform } = makeOn(store, { payments });
      const p = await product(platform, "ONCE-FREE", "10.00", 5);
      const { actor } = await signUp(platform);
      await platform.carts.addItem(actor, { productId: p.id, quantity: 3 });
      expect(await codeOf(() => platform.orders.checkout(actor, { idempotencyKey: "declined-key-1", paymentToken: "tok_declined" }))).toBe(
        "card_declined",
      );
      expect(await platform.orders.checkout(actor, { idempotencyKey: "second-key-01" })).toMatchObject({ status: "paid" });
      expect(payments.charges).toHaveLength(1);
      expect(await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: p.id })).toMatchObject({ onHand: 2, reserved: 0, sold: 3 });
    });
  });

  describe("unknown payment outcomes", () => {
    const unknowns: [string, () => Error][] = [
      ["idempotency_key_in_use", () => new IdempotencyError("idempotency_key_in_use", "key in use", { details: { retryable: true } })],
      ["storage_unavailable", () => new StorageError("storage_unavailable", "the payment database went away")],
      ["a plain Error", () => new Error("socket hang up")],
      ["a retryable GatewayError", () => new GatewayError("gateway_unavailable", "503", { provider: "x", retryable: true })],
    ];
    for (const [name, make] of unknowns) {
      it(`${name} from the payment port keeps the order pending with its stock, answers a retryable error, and the retry resumes it`, async () => {
        const inner = new TestPaymentPort();
        let fail = true;
        const port: PaymentPort = {
          // The charge goes through, then the answer is lost in the way named by the test.
          charge: async (r: ChargeRequest) => {
            const result = await inner.charge(r);
            if (fail) throw make();
            return result;
          },
          retrieve: (l) => inner.retrieve(l),
          refund: (r) => inner.refund(r),
        };
        const { platform } = makeOn(store, { payments: port });
        const p = await product(platform, `UNK-${name.length}`, "30.00", 5);
        const { actor } = await signUp(platform);
        await platform.carts.addItem(actor, { productId: p.id, quantity: 2 });
        const input = { idempotencyKey: `unknown-outcome-${name.length}` };
        const error = await platform.orders.checkout(actor, input).catch((e: unknown) => e);
        expect(error).toMatchObject({ kind: "gateway", retryable: true });
        const [order] = (await platform.orders.list(actor)).items;
        expect(order).toMatchObject({ status: "pending", payment: { status: "pending" } });
        expect(await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: p.id })).toMatchObject({ reserved: 2, sold: 0 });
        fail = false;
        expect(await platform.orders.checkout(actor, input)).toMatchObject({ id: order!.id, status: "paid" });
        expect(inner.charges).toHaveLength(1);
        expect(inner.charges[0]!.refunded).toBeNull();
        expect(await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: p.id })).toMatchObject({ onHand: 3, reserved: 0, sold: 2 });
      });
    }
  });
});
