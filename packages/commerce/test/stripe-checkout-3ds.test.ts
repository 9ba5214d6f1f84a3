import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "@platform/core";
import { createPaymentSystem } from "@platform/payments";
import { handleStripeWebhook, StripeGateway } from "@platform/payments/stripe";
import { startStripeMockServer, stripeWebhookDelivery, type StripeMockServer } from "@platform/payments/testing";
import { followPaymentEvents, paymentPortFor } from "../src/adapters/payments/index.js";
import { commerceStores, makeOn, product, signUp, ANONYMOUS_ACTOR, eventually } from "./helpers.js";
import { PAYMENTS_ADMIN_ACTOR } from "@platform/payments/testing";

// The whole 3-D Secure path on Stripe's wire protocol (the local Stripe-compatible server): checkout,
// the customer's step, Stripe's signed webhook, the payment, then the order. The PostgreSQL run of
// the service suites re-runs this file with a PostgreSQL commerce store.
const KEY = "sk_test_commerce3ds0001";
const SECRET = "whsec_commerce_3ds_0001";
let server: StripeMockServer;
beforeAll(async () => {
  server = await startStripeMockServer({ secretKey: KEY });
});
afterAll(() => server.close());

describe.each(commerceStores())("Stripe 3-D Secure checkout on $name", (store) => {
  beforeAll(() => store.setup());
  afterAll(() => store.teardown());

  async function wired() {
    const clock = new ManualClock("2026-03-01T10:00:00Z");
    const gateway = new StripeGateway({ secretKey: KEY, host: server.host, port: server.port, protocol: "http", maxNetworkRetries: 0 });
    const system = createPaymentSystem({ clock, gateways: { stripe: gateway }, webhooks: { autoDispatch: false } });
    const ctx = makeOn(store, { clock, payments: paymentPortFor(system) });
    const stop = followPaymentEvents(system, ctx.platform.orders);
    const p = await product(ctx.platform, "STRIPE-3DS", "40.00", 5);
    const buyer = await signUp(ctx.platform);
    await ctx.platform.carts.addItem(buyer.actor, { productId: p.id, quantity: 2 });
    const order = await ctx.platform.orders.checkout(buyer.actor, {
      idempotencyKey: "stripe-3ds-checkout",
      paymentToken: "pm_card_threeDSecure2Required",
    });
    const payment = await system.payments.get(PAYMENTS_ADMIN_ACTOR, { paymentId: order.payment.reference! });
    const intent = server.api.intents.get(payment.gatewayTransactionId!)!;
    const webhook = async (type: string) => {
      const d = await stripeWebhookDelivery({ type, object: server.api.intentJson(intent), secret: SECRET, at: clock.now() });
      return handleStripeWebhook(system, d.payload, d.header, { secret: SECRET });
    };
    return { ...ctx, system, p, buyer, order, intent, webhook, stop };
  }

  describe("3-D Secure end to end on Stripe", () => {
    it("checkout -> requires_action with the client secret -> customer completes -> webhook -> payment succeeded -> order paid", async () => {
      const { platform, system, p, buyer, order, intent, webhook, stop } = await wired();
      expect(order).toMatchObject({ status: "pending", payment: { status: "requires_action" } });
      expect(intent.status).toBe("requires_action");
      expect(order.payment.action?.clientSecret).toBe(intent.clientSecret);
      server.completeAction(intent.id, "succeed");
      expect((await webhook("payment_intent.succeeded")).outcome).toBe("applied");
      expect((await system.payments.get(PAYMENTS_ADMIN_ACTOR, { paymentId: order.payment.reference! })).status).toBe("succeeded");
      const paid = await eventually(
        () => platform.orders.get(buyer.actor, { orderId: order.id }),
        (o) => o.status === "paid",
      );
      expect(paid).toMatchObject({ status: "paid", payment: { status: "succeeded" } });
      expect(await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: p.id })).toMatchObject({ onHand: 3, reserved: 0, sold: 2 });
      expect(server.chargeCount(order.payment.reference!)).toBe(1);
      stop();
    });

    it("abandoned: the customer fails the step -> webhook -> payment failed -> order canceled, stock released", async () => {
      const { platform, system, p, buyer, order, intent, webhook, stop } = await wired();
      server.completeAction(intent.id, "fail");
      expect((await webhook("payment_intent.payment_failed")).outcome).toBe("applied");
      expect((await system.payments.get(PAYMENTS_ADMIN_ACTOR, { paymentId: order.payment.reference! })).status).toBe("failed");
      const canceled = await eventually(
        () => platform.orders.get(buyer.actor, { orderId: order.id }),
        (o) => o.status === "canceled",
      );
      expect(canceled).toMatchObject({ status: "canceled", payment: { status: "failed" } });
      expect(await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: p.id })).toMatchObject({ onHand: 5, reserved: 0, sold: 0 });
      expect(intent.status).toBe("canceled");
      stop();
    });
  });
});
