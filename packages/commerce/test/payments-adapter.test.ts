import { describe, expect, it, beforeAll, afterAll } from "vitest";
import { ManualClock } from "@platform/core";
import { createPaymentSystem, TestGateway } from "@platform/payments";
import { paymentPortFor } from "../src/adapters/payments/index.js";
import { codeOf, commerceStores, makeOn, product, signUp, ANONYMOUS_ACTOR } from "./helpers.js";
import { PAYMENTS_ADMIN_ACTOR } from "@platform/payments/testing";

describe.each(commerceStores())("payments adapter on $name", (store) => {
  beforeAll(() => store.setup());
  afterAll(() => store.teardown());

  describe("@platform/payments adapter", () => {
    async function wired() {
      // One clock for both, so reservation expiry and the payment system's reconcile delay line up.
      const clock = new ManualClock("2026-03-01T10:00:00Z");
      const gateway = new TestGateway();
      const system = createPaymentSystem({ clock, gateways: { test: gateway } });
      const ctx = makeOn(store, { clock, payments: paymentPortFor(system) });
      const p = await product(ctx.platform, "PAY-1", "40.00", 5);
      const buyer = await signUp(ctx.platform);
      await ctx.platform.carts.addItem(buyer.actor, { productId: p.id, quantity: 2 });
      return { ...ctx, clock, system, gateway, p, buyer };
    }

    it("checks out through the payment system, once per idempotency key, and refunds on cancel", async () => {
      const { platform, system, buyer } = await wired();
      const [a, b] = await Promise.all([
        platform.orders.checkout(buyer.actor, { idempotencyKey: "pay-adapter-1", paymentToken: "pm_card_visa" }),
        platform.orders.checkout(buyer.actor, { idempotencyKey: "pay-adapter-1", paymentToken: "pm_card_visa" }),
      ]);
      expect(a.id).toBe(b.id);
      const payment = await system.payments.get(PAYMENTS_ADMIN_ACTOR, { paymentId: a.payment.reference! });
      expect(payment).toMatchObject({ status: "succeeded", orderId: a.id });
      expect(payment.amountCaptured.toFixed()).toBe("80.00");
      const canceled = await platform.orders.cancel(buyer.actor, { orderId: a.id });
      expect(canceled.payment.status).toBe("refunded");
      expect((await system.payments.get(PAYMENTS_ADMIN_ACTOR, { paymentId: a.payment.reference! })).amountRefunded.toFixed()).toBe("80.00");
    });

    it("a decline from the payment system releases the stock with the decline code", async () => {
      const { platform, p, buyer } = await wired();
      expect(
        await codeOf(() =>
          platform.orders.checkout(buyer.actor, { idempotencyKey: "pay-adapter-2", paymentToken: "pm_card_chargeDeclined" }),
        ),
      ).toBe("card_declined");
      expect(await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: p.id })).toMatchObject({ onHand: 5, reserved: 0 });
      expect(await codeOf(() => platform.orders.checkout(buyer.actor, { idempotencyKey: "pay-adapter-3" }))).toBe(
        "payment_method_required",
      );
      expect(await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: p.id })).toMatchObject({ onHand: 5, reserved: 0 });
    });

    it("a failing refund leaves the order canceled with the refund pending; cancel again retries it (new refund key)", async () => {
      const { platform, system, gateway, buyer } = await wired();
      const order = await platform.orders.checkout(buyer.actor, {
        idempotencyKey: "pay-adapter-refund-retry",
        paymentToken: "pm_card_visa",
      });
      gateway.injectFault({ operation: "refund", kind: "unavailable", times: 1 });
      expect(await codeOf(() => platform.orders.cancel(buyer.actor, { orderId: order.id }))).toBe("gateway_unavailable");
      expect((await platform.orders.get(buyer.actor, { orderId: order.id })).payment).toMatchObject({
        status: "refund_pending",
        refundAttempts: 1,
      });
      const canceled = await platform.orders.cancel(buyer.actor, { orderId: order.id });
      expect(canceled.payment.status).toBe("refunded");
      expect((await system.payments.get(PAYMENTS_ADMIN_ACTOR, { paymentId: order.payment.reference! })).amountRefunded.toFixed()).toBe(
        "80.00",
      );
      // Canceling again is a no-op: never refunded twice.
      expect(await codeOf(() => platform.orders.cancel(buyer.actor, { orderId: order.id }))).toBe("invalid_transition");
      expect((await system.payments.get(PAYMENTS_ADMIN_ACTOR, { paymentId: order.payment.reference! })).amountRefunded.toFixed()).toBe(
        "80.00",
      );
    });

    describe("pm_card_timeoutAfterCharge (charged, answer lost)", () => {
      async function timedOut() {
        const ctx = await wired();
        const input = { idempotencyKey: "pay-adapter-timeout", paymentToken: "pm_card_timeoutAfterCharge" };
        expect(await codeOf(() => ctx.platform.orders.checkout(ctx.buyer.actor, input))).toBe("payment_pending");
        const [order] = (await ctx.platform.orders.list(ctx.buyer.actor)).items;
        expect(order).toMatchObject({ status: "pending", payment: { status: "pending" } });
        return { ...ctx, input, order: order! };
      }

      it("is paid when the reservation expires (reconciled: charged, stock still held); a retry with the key returns it", async () => {
        const { platform, system, clock, buyer, p, input, order } = await timedOut();
        clock.advance(16 * 60_000);
        expect(await platform.inventory.releaseExpired()).toBe(1);
        const after = await platform.orders.get(buyer.actor, { orderId: order.id });
        expect(after).toMatchObject({ status: "paid", payment: { status: "succeeded" } });
        const payment = await system.payments.get(PAYMENTS_ADMIN_ACTOR, { paymentId: after.payment.reference! });
        expect(payment.amountCaptured.toFixed()).toBe("80.00");
        expect(payment.amountRefunded.toFixed()).toBe("0.00");
        expect(await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: p.id })).toMatchObject({ onHand: 3, reserved: 0, sold: 2 });
        expect(await platform.orders.checkout(buyer.actor, input)).toMatchObject({ id: order.id, status: "paid" });
      });

      it("a cancel before the payment system knows changes nothing (payment_pending); once it knows, cancel pays, cancels and refunds", async () => {
        const { platform, system, clock, buyer, p, order } = await timedOut();
        expect(await codeOf(() => platform.orders.cancel(buyer.actor, { orderId: order.id }))).toBe("payment_pending");
        expect(await platform.orders.get(buyer.actor, { orderId: order.id })).toMatchObject({
          status: "pending",
          payment: { status: "pending" },
        });
        clock.advance(61_000);
        const canceled = await platform.orders.cancel(buyer.actor, { orderId: order.id });
        expect(canceled).toMatchObject({ status: "canceled", payment: { status: "refunded" } });
        expect((await system.payments.get(PAYMENTS_ADMIN_ACTOR, { paymentId: canceled.payment.reference! })).amountRefunded.toFixed()).toBe(
          "80.00",
        );
        expect(await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: p.id })).toMatchObject({ onHand: 5, reserved: 0, sold: 0 });
      });
    });
  });
});
