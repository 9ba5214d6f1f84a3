import { describe, expect, it, beforeAll, afterAll } from "vitest";
import { ManualClock } from "@platform/core";
import { createPaymentSystem, TestGateway } from "@platform/payments";
import { followPaymentEvents, paymentPortFor } from "../src/adapters/payments/index.js";
import type { PaymentPort } from "../src/index.js";
import { codeOf, commerceStores, makeOn, product, signUp, ADMIN_ACTOR, ANONYMOUS_ACTOR, eventually } from "./helpers.js";
import { PAYMENTS_ADMIN_ACTOR } from "@platform/payments/testing";

// A checkout whose payment needs 3-D Secure, through @platform/payments and its TestGateway token.
// The PostgreSQL run of the service suites re-runs this file on that store.
const threeDS = { paymentToken: "pm_card_threeDSecure2Required" };

describe.each(commerceStores())("checkout requiring action on $name", (store) => {
  beforeAll(() => store.setup());
  afterAll(() => store.teardown());

  async function wired() {
    const clock = new ManualClock("2026-03-01T10:00:00Z");
    const gateway = new TestGateway();
    const system = createPaymentSystem({ clock, gateways: { test: gateway }, webhooks: { autoDispatch: false } });
    const ctx = makeOn(store, { clock, payments: paymentPortFor(system) });
    const p = await product(ctx.platform, "TDS-1", "40.00", 5);
    const buyer = await signUp(ctx.platform);
    await ctx.platform.carts.addItem(buyer.actor, { productId: p.id, quantity: 2 });
    const order = await ctx.platform.orders.checkout(buyer.actor, { idempotencyKey: "checkout-3ds-1", ...threeDS });
    return { ...ctx, clock, system, gateway, p, buyer, order };
  }

  describe("checkout with a payment that requires action (3-D Secure)", () => {
    it("answers the pending order with the client secret, holds the stock, and never stores the secret", async () => {
      const { platform, system, buyer, p, order } = await wired();
      expect(order).toMatchObject({ status: "pending", payment: { status: "requires_action" } });
      const payment = await system.payments.get(PAYMENTS_ADMIN_ACTOR, { paymentId: order.payment.reference! });
      expect(payment.status).toBe("requires_action");
      expect(order.payment.action?.clientSecret).toBe(payment.customerAction!.clientSecret);
      expect(order.payment.action?.nextAction).toMatchObject({ type: "use_stripe_sdk" });
      expect(await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: p.id })).toMatchObject({ onHand: 5, reserved: 2 });
      const stored = await platform.orders.get(buyer.actor, { orderId: order.id });
      expect(stored.payment.status).toBe("requires_action");
      expect(stored.payment.action).toBeUndefined();
      expect(JSON.stringify(stored)).not.toContain(payment.customerAction!.clientSecret!);
      // The retried checkout (the same key) answers the same order and step again.
      const again = await platform.orders.checkout(buyer.actor, { idempotencyKey: "checkout-3ds-1", ...threeDS });
      expect(again.id).toBe(order.id);
      expect(again.payment.action?.clientSecret).toBe(order.payment.action?.clientSecret);
    });

    it("completed by the customer: confirmPayment pays the order (stock sold, cart emptied)", async () => {
      const { platform, gateway, buyer, p, order } = await wired();
      expect((await platform.orders.confirmPayment(ADMIN_ACTOR, { orderId: order.id })).payment.status).toBe("requires_action");
      gateway.completeAction(order.payment.reference!, "succeed");
      const paid = await platform.orders.confirmPayment(ADMIN_ACTOR, { orderId: order.id });
      expect(paid).toMatchObject({ status: "paid", payment: { status: "succeeded", reference: order.payment.reference } });
      expect(await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: p.id })).toMatchObject({ onHand: 3, reserved: 0, sold: 2 });
      expect((await platform.carts.get(buyer.actor)).lines).toEqual([]);
    });

    it("failed by the customer: the order is canceled and its stock released", async () => {
      const { platform, system, gateway, p, order } = await wired();
      gateway.completeAction(order.payment.reference!, "fail");
      const canceled = await platform.orders.confirmPayment(ADMIN_ACTOR, { orderId: order.id });
      expect(canceled).toMatchObject({ status: "canceled", payment: { status: "failed", failureCode: "authentication_failed" } });
      expect(await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: p.id })).toMatchObject({ onHand: 5, reserved: 0, sold: 0 });
      expect((await system.payments.get(PAYMENTS_ADMIN_ACTOR, { paymentId: order.payment.reference! })).status).toBe("failed");
    });

    it("abandoned until the reservation expires: the payment is canceled at the gateway, the order canceled, the stock released", async () => {
      const { platform, system, clock, gateway, p, buyer, order } = await wired();
      clock.advance(14 * 60_000);
      expect(await platform.inventory.releaseExpired()).toBe(0);
      clock.advance(2 * 60_000);
      expect(await platform.inventory.releaseExpired()).toBe(1);
      expect(await platform.orders.get(buyer.actor, { orderId: order.id })).toMatchObject({
        status: "canceled",
        cancelReason: "reservation_expired",
        payment: { status: "failed" },
      });
      expect(await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: p.id })).toMatchObject({ onHand: 5, reserved: 0 });
      expect(await system.payments.get(PAYMENTS_ADMIN_ACTOR, { paymentId: order.payment.reference! })).toMatchObject({
        status: "canceled",
        cancellationReason: "abandoned",
      });
      expect((await gateway.retrieve({ paymentId: order.payment.reference! })).status).toBe("voided");
    });

    /**
     * A 3-D Secure order whose payment events are followed (followPaymentEvents reacts to the payment.canceled
     * event of an abandoning cancel): here the follower is made to finish before the cancel's answer comes back,
     * as it may (or a webhook in another process), so the order is already canceled when the canceler settles it.
     */
    async function followedFirst() {
      const clock = new ManualClock("2026-03-01T10:00:00Z");
      const system = createPaymentSystem({ clock, gateways: { test: new TestGateway() }, webhooks: { autoDispatch: false } });
      const inner = paymentPortFor(system);
      let follow: (orderId: string) => Promise<unknown> = async () => undefined;
      const port: PaymentPort = {
        charge: (r) => inner.charge(r),
        retrieve: (l) => inner.retrieve(l),
        refund: (r) => inner.refund(r),
        cancel: async (l) => {
          const answer = await inner.cancel!(l);
          await follow(l.orderId);
          return answer;
        },
      };
      const { platform } = makeOn(store, { clock, payments: port });
      follow = (orderId) => platform.orders.confirmPayment(ADMIN_ACTOR, { orderId });
      const p = await product(platform, "TDS-2", "40.00", 5);
      const buyer = await signUp(platform);
      await platform.carts.addItem(buyer.actor, { productId: p.id, quantity: 2 });
      const order = await platform.orders.checkout(buyer.actor, { idempotencyKey: "checkout-3ds-follow", ...threeDS });
      const settledWell = async () => {
        expect((await platform.orders.get(buyer.actor, { orderId: order.id })).status).toBe("canceled");
        expect(await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: p.id })).toMatchObject({ onHand: 5, reserved: 0 });
        expect((await system.payments.get(PAYMENTS_ADMIN_ACTOR, { paymentId: order.payment.reference! })).status).toBe("canceled");
      };
      return { platform, clock, buyer, order, settledWell };
    }

    it("abandoned until expiry while payment events are followed: the expiry counts the order the follower canceled first", async () => {
      const { platform, clock, settledWell } = await followedFirst();
      clock.advance(16 * 60_000);
      expect(await platform.inventory.releaseExpired()).toBe(1);
      await settledWell();
      expect(await platform.inventory.releaseExpired()).toBe(0);
    });

    it("canceled by the customer while payment events are followed: cancel answers the canceled order", async () => {
      const { platform, buyer, order, settledWell } = await followedFirst();
      expect(await platform.orders.cancel(buyer.actor, { orderId: order.id })).toMatchObject({ id: order.id, status: "canceled" });
      await settledWell();
    });

    it("the customer cancels the order: its payment is canceled at the gateway and the stock released", async () => {
      const { platform, system, buyer, p, order } = await wired();
      const canceled = await platform.orders.cancel(buyer.actor, { orderId: order.id });
      expect(canceled).toMatchObject({ status: "canceled", payment: { status: "failed" } });
      expect(await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: p.id })).toMatchObject({ onHand: 5, reserved: 0 });
      expect((await system.payments.get(PAYMENTS_ADMIN_ACTOR, { paymentId: order.payment.reference! })).status).toBe("canceled");
    });

    it("the sweeper pays an order whose customer completed the step", async () => {
      const { platform, clock, gateway, buyer, order } = await wired();
      gateway.completeAction(order.payment.reference!, "succeed");
      clock.advance(61_000);
      expect(await platform.orders.sweepPendingPayments()).toMatchObject({ examined: 1, paid: 1 });
      expect((await platform.orders.get(buyer.actor, { orderId: order.id })).status).toBe("paid");
    });

    it("followPaymentEvents pays the order when the payment system records the completion", async () => {
      const { platform, system, gateway, buyer, order } = await wired();
      const stop = followPaymentEvents(system, platform.orders);
      gateway.completeAction(order.payment.reference!, "succeed");
      await system.payments.reconcile(PAYMENTS_ADMIN_ACTOR, { paymentId: order.payment.reference! });
      const paid = await eventually(
        () => platform.orders.get(buyer.actor, { orderId: order.id }),
        (o) => o.status === "paid",
      );
      expect(paid.status).toBe("paid");
      stop();
    });

    it("confirmPayment refuses a malformed or unknown order id with a code", async () => {
      const { platform } = await wired();
      expect(await codeOf(() => platform.orders.confirmPayment(ADMIN_ACTOR, { orderId: "" }))).toBe("validation_failed");
      expect(await codeOf(() => platform.orders.confirmPayment(ADMIN_ACTOR, { orderId: "ord_missing" }))).toBe("order_not_found");
    });
  });
});
