import { ManualClock } from "@platform/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleStripeWebhook, StripeGateway } from "../src/adapters/stripe/index.js";
import { createPaymentSystem, type PaymentSystem } from "../src/index.js";
import { startStripeMockServer, stripeWebhookDelivery, type StripeMockServer } from "../src/testing/index.js";
import { ADMIN, paymentStores, type PaymentStoreFixture } from "./helpers.js";

// Refunds made in Stripe's dashboard (no platform_refund_id) arrive as Stripe refund events and are imported
// as refunds of the payment holding their PaymentIntent, once by Stripe's refund id.
const KEY = "sk_test_dashrefund01";
const SECRET = "whsec_dashboard_refunds_0001";
let server: StripeMockServer;
beforeAll(async () => {
  server = await startStripeMockServer({ secretKey: KEY });
});
afterAll(() => server.close());

function stripeSystem(fixture: PaymentStoreFixture) {
  const gateway = new StripeGateway({ secretKey: KEY, host: server.host, port: server.port, protocol: "http", maxNetworkRetries: 0 });
  const clock = new ManualClock("2026-03-01T12:00:00.000Z");
  return createPaymentSystem({ store: fixture.make(), clock, gateways: { stripe: gateway }, webhooks: { autoDispatch: false } });
}
async function deliver(system: PaymentSystem, type: string, object: unknown, id?: string) {
  const d = await stripeWebhookDelivery({ type, object, secret: SECRET, at: system.clock.now(), ...(id ? { id } : {}) });
  return handleStripeWebhook(system, d.payload, d.header, { secret: SECRET });
}
/** A refund made in Stripe's dashboard: no metadata of ours. */
const dashboardRefund = (intent: string, amount: number) => server.api.refund({ payment_intent: intent, amount: String(amount) });

describe.each(paymentStores())("refunds made in Stripe's dashboard on $name", (fixture) => {
  beforeAll(() => fixture.setup());
  afterAll(() => fixture.teardown());

  it("refund.created imports a succeeded refund once by Stripe's id; later events of it change nothing", async () => {
    const system = stripeSystem(fixture);
    const p = await system.payments.create(ADMIN, { amount: { amount: "40.00", currency: "USD" }, paymentMethod: "pm_card_visa" });
    const object = dashboardRefund(p.gatewayTransactionId!, 1500);
    const res = await deliver(system, "refund.created", object, "evt_dash_1");
    expect(res.outcome).toBe("applied");
    expect(res.payment).toMatchObject({ id: p.id, refundStatus: "partially_refunded" });
    const after = await system.payments.get(ADMIN, { paymentId: p.id });
    expect(after.amountRefunded.toFixed()).toBe("15.00");
    expect(after.amountRefundPending.isZero()).toBe(true);
    const refunds = (await system.refunds.listByPayment(ADMIN, { paymentId: p.id })).items;
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({ status: "succeeded", gatewayRefundId: object.id, gateway: "stripe" });
    expect(refunds[0]!.amount.toFixed()).toBe("15.00");
    // The same delivery again, and the other events Stripe sends about the same refund.
    expect((await deliver(system, "refund.created", object, "evt_dash_1")).outcome).toBe("duplicate");
    expect((await deliver(system, "charge.refund.updated", object)).outcome).toBe("ignored");
    expect((await deliver(system, "refund.updated", object)).outcome).toBe("ignored");
    expect((await system.refunds.listByPayment(ADMIN, { paymentId: p.id })).items).toHaveLength(1);
    expect((await system.payments.get(ADMIN, { paymentId: p.id })).amountRefunded.toFixed()).toBe("15.00");
    // The rest of the charge refunded in the dashboard: the payment is refunded in full.
    expect((await deliver(system, "refund.created", dashboardRefund(p.gatewayTransactionId!, 2500))).outcome).toBe("applied");
    expect(await system.payments.get(ADMIN, { paymentId: p.id })).toMatchObject({ refundStatus: "refunded" });
  });

  it("a pending dashboard refund reserves its amount and settles by its update", async () => {
    const system = stripeSystem(fixture);
    const p = await system.payments.create(ADMIN, { amount: { amount: "40.00", currency: "USD" }, paymentMethod: "pm_card_pendingRefund" });
    const object = dashboardRefund(p.gatewayTransactionId!, 4000);
    expect(object.status).toBe("pending");
    expect((await deliver(system, "refund.created", object)).outcome).toBe("applied");
    expect((await system.payments.get(ADMIN, { paymentId: p.id })).amountRefundPending.toFixed()).toBe("40.00");
    server.api.settleRefund(object.id as string, "succeeded");
    expect((await deliver(system, "refund.updated", server.api.getRefund(object.id as string))).outcome).toBe("applied");
    const after = await system.payments.get(ADMIN, { paymentId: p.id });
    expect(after).toMatchObject({ refundStatus: "refunded" });
    expect(after.amountRefundPending.isZero()).toBe(true);
    expect((await system.refunds.listByPayment(ADMIN, { paymentId: p.id })).items.map((r) => r.status)).toEqual(["succeeded"]);
  });

  it("a dashboard refund of a PaymentIntent that is not ours is acknowledged as unknown_refund", async () => {
    const system = stripeSystem(fixture);
    const foreign = { id: "re_foreign_1", object: "refund", amount: 500, currency: "usd", status: "succeeded", payment_intent: "pi_other" };
    expect((await deliver(system, "refund.created", foreign)).outcome).toBe("unknown_refund");
  });
});
