import { ManualClock } from "@platform/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleStripeWebhook, StripeGateway } from "../src/adapters/stripe/index.js";
import { createPaymentSystem, type PaymentSystem } from "../src/index.js";
import { startStripeMockServer, stripeWebhookDelivery, type StripeMockServer } from "../src/testing/index.js";
import { codeOf, paymentStores, type PaymentStoreFixture } from "./helpers.js";
import { ADMIN } from "./helpers.js";

// 3-D Secure on StripeGateway against the local Stripe-compatible server, with the outcome arriving
// as signed Stripe webhooks. The PostgreSQL run of the service suites re-runs this file on that store.
const KEY = "sk_test_threeds0001";
const SECRET = "whsec_threeds_endpoint_0001";
let server: StripeMockServer;
beforeAll(async () => {
  server = await startStripeMockServer({ secretKey: KEY });
});
afterAll(() => server.close());

function stripeSystem(fixture: PaymentStoreFixture) {
  const clock = new ManualClock("2026-03-01T12:00:00.000Z");
  const gateway = new StripeGateway({ secretKey: KEY, host: server.host, port: server.port, protocol: "http", maxNetworkRetries: 0 });
  const system = createPaymentSystem({ store: fixture.make(), clock, gateways: { stripe: gateway }, webhooks: { autoDispatch: false } });
  return { system, clock };
}
const usd = (amount: string) => ({ amount, currency: "USD" });

/** A Stripe event about `object` as Stripe would deliver it, signed at the system's clock. */
const delivery = (system: PaymentSystem, type: string, object: unknown, options: { id?: string; secret?: string } = {}) =>
  stripeWebhookDelivery({
    type,
    object,
    secret: options.secret ?? SECRET,
    at: system.clock.now(),
    ...(options.id ? { id: options.id } : {}),
  });
async function deliver(system: PaymentSystem, type: string, object: unknown, options: { id?: string } = {}) {
  const d = await delivery(system, type, object, options);
  return handleStripeWebhook(system, d.payload, d.header, { secret: SECRET });
}
const intentJson = (id: string) => server.api.intentJson(server.api.intents.get(id)!);

describe.each(paymentStores())("3-D Secure on Stripe, settled by webhooks on $name", (fixture) => {
  beforeAll(() => fixture.setup());
  afterAll(() => fixture.teardown());
  it("end to end: create -> requires_action with the client secret -> customer completes -> webhook -> succeeded, once", async () => {
    const { system } = stripeSystem(fixture);
    const p = await system.payments.create(ADMIN, {
      amount: usd("80.00"),
      paymentMethod: "pm_card_threeDSecure2Required",
      idempotencyKey: "3ds-e2e",
    });
    expect(p.status).toBe("requires_action");
    const pi = server.api.intents.get(p.gatewayTransactionId!)!;
    expect(pi.status).toBe("requires_action");
    expect(p.customerAction?.clientSecret).toBe(pi.clientSecret);
    expect(p.customerAction?.nextAction).toMatchObject({ type: "use_stripe_sdk" });
    const early = intentJson(pi.id);

    server.completeAction(pi.id, "succeed");
    const evt = await delivery(system, "payment_intent.succeeded", intentJson(pi.id));
    const first = await handleStripeWebhook(system, evt.payload, evt.header, { secret: SECRET });
    expect(first).toMatchObject({ outcome: "applied", type: "payment_intent.succeeded" });
    expect(first.payment).toMatchObject({ status: "succeeded" });
    // Stripe delivers again (it retries on any doubt): the same event id is applied once.
    expect((await handleStripeWebhook(system, evt.payload, evt.header, { secret: SECRET })).outcome).toBe("duplicate");
    // The older requires_action event arriving late never moves it back.
    expect((await deliver(system, "payment_intent.requires_action", early)).outcome).toBe("ignored");
    const after = await system.payments.get(ADMIN, { paymentId: p.id });
    expect(after.status).toBe("succeeded");
    expect(after.amountCaptured.toFixed()).toBe("80.00");
    expect(after.customerAction).toBeUndefined();
    expect(server.chargeCount(p.id)).toBe(1);
    expect((await system.transactions.listByPayment(ADMIN, { paymentId: p.id })).items.map((t) => t.type)).toEqual([
      "authorization",
      "capture",
    ]);
  });

  it("abandoned: payment_intent.payment_failed fails the payment and cancels the intent at Stripe", async () => {
    const { system } = stripeSystem(fixture);
    const p = await system.payments.create(ADMIN, { amount: usd("30.00"), paymentMethod: "pm_card_threeDSecure2Required" });
    server.completeAction(p.gatewayTransactionId!, "fail");
    const res = await deliver(system, "payment_intent.payment_failed", intentJson(p.gatewayTransactionId!));
    expect(res.outcome).toBe("applied");
    const failed = await system.payments.get(ADMIN, { paymentId: p.id });
    expect(failed.status).toBe("failed");
    expect(failed.failure).toMatchObject({ code: "authentication_failed", declineCode: "payment_intent_authentication_failure" });
    expect(server.api.intents.get(p.gatewayTransactionId!)!.status).toBe("canceled");
    expect(server.chargeCount(p.id)).toBe(0);
  });

  it("expiry on Stripe: expireActions cancels the intent and the payment (reason abandoned); the canceled webhook is then ignored", async () => {
    const { system, clock } = stripeSystem(fixture);
    const p = await system.payments.create(ADMIN, { amount: usd("30.00"), paymentMethod: "pm_card_threeDSecure2Required" });
    clock.advance({ hours: 1 });
    expect(await system.payments.expireActions()).toEqual({ canceled: 1, completed: 0, deferred: 0 });
    expect(server.api.intents.get(p.gatewayTransactionId!)!.status).toBe("canceled");
    expect(await system.payments.get(ADMIN, { paymentId: p.id })).toMatchObject({ status: "canceled", cancellationReason: "abandoned" });
    expect((await deliver(system, "payment_intent.canceled", intentJson(p.gatewayTransactionId!))).outcome).toBe("ignored");
  });

  it("a lost confirm answer (processing) is settled by the requires_action webhook, then by succeeded", async () => {
    const { system } = stripeSystem(fixture);
    server.injectFault({ operation: "confirm", kind: "lost_response", times: 2 });
    const p = await system.payments.create(ADMIN, { amount: usd("12.00"), paymentMethod: "pm_card_threeDSecure2Required" });
    expect(p.status).toBe("processing");
    const pi = [...server.api.intents.values()].find((i) => i.metadata.platform_payment_id === p.id)!;
    const waiting = await deliver(system, "payment_intent.requires_action", intentJson(pi.id));
    expect(waiting.payment).toMatchObject({ status: "requires_action", gatewayTransactionId: pi.id });
    expect(waiting.payment!.customerAction?.clientSecret).toBe(pi.clientSecret);
    server.completeAction(pi.id, "succeed");
    expect((await deliver(system, "payment_intent.succeeded", intentJson(pi.id))).payment?.status).toBe("succeeded");
  });

  it("a forged or stale signature is refused with a code and changes nothing; the genuine delivery then applies", async () => {
    const { system, clock } = stripeSystem(fixture);
    const p = await system.payments.create(ADMIN, { amount: usd("20.00"), paymentMethod: "pm_card_threeDSecure2Required" });
    server.completeAction(p.gatewayTransactionId!, "succeed");
    const object = intentJson(p.gatewayTransactionId!);
    const forged = await delivery(system, "payment_intent.succeeded", object, { id: "evt_forged_1", secret: "whsec_attacker_secret_0001" });
    expect(await codeOf(() => handleStripeWebhook(system, forged.payload, forged.header, { secret: SECRET }))).toBe(
      "stripe_signature_invalid",
    );
    const genuine = await delivery(system, "payment_intent.succeeded", object, { id: "evt_forged_1" });
    const tampered = genuine.payload.replace('"amount_received":2000', '"amount_received":1');
    expect(await codeOf(() => handleStripeWebhook(system, tampered, genuine.header, { secret: SECRET }))).toBe("stripe_signature_invalid");
    clock.advance({ minutes: 6 });
    expect(await codeOf(() => handleStripeWebhook(system, genuine.payload, genuine.header, { secret: SECRET }))).toBe(
      "stripe_signature_stale",
    );
    expect((await system.payments.get(ADMIN, { paymentId: p.id })).status).toBe("requires_action");
    // Refused deliveries recorded nothing: the same event id, delivered genuinely, applies.
    expect((await deliver(system, "payment_intent.succeeded", object, { id: "evt_forged_1" })).outcome).toBe("applied");
  });

  it("a signed event whose PaymentIntent lacks its amount or currency is refused with invalid_webhook_payload and changes nothing", async () => {
    const { system } = stripeSystem(fixture);
    const p = await system.payments.create(ADMIN, { amount: usd("20.00"), paymentMethod: "pm_card_threeDSecure2Required" });
    const partial = { id: p.gatewayTransactionId, object: "payment_intent", status: "succeeded", metadata: { platform_payment_id: p.id } };
    expect(await codeOf(() => deliver(system, "payment_intent.succeeded", partial, { id: "evt_partial_1" }))).toBe(
      "invalid_webhook_payload",
    );
    expect((await system.payments.get(ADMIN, { paymentId: p.id })).status).toBe("requires_action");
  });

  it("unknown intents and other event types are acknowledged no-ops", async () => {
    const { system } = stripeSystem(fixture);
    const foreign = {
      id: "pi_foreign_1",
      object: "payment_intent",
      status: "succeeded",
      amount: 500,
      amount_received: 500,
      currency: "usd",
      metadata: {},
    };
    expect((await deliver(system, "payment_intent.succeeded", foreign)).outcome).toBe("unknown_payment");
    const stranger = { ...foreign, metadata: { platform_payment_id: "pay_doesnotexist" } };
    expect((await deliver(system, "payment_intent.succeeded", stranger)).outcome).toBe("unknown_payment");
    expect((await deliver(system, "customer.created", { id: "cus_1", object: "customer" })).outcome).toBe("ignored");
    // Another payment's intent id under our payment's id is not applied to it.
    const p = await system.payments.create(ADMIN, { amount: usd("20.00"), paymentMethod: "pm_card_threeDSecure2Required" });
    const mismatched = { ...foreign, metadata: { platform_payment_id: p.id } };
    expect((await deliver(system, "payment_intent.succeeded", mismatched)).outcome).toBe("unknown_payment");
    expect((await system.payments.get(ADMIN, { paymentId: p.id })).status).toBe("requires_action");
  });

  it("charge.refund.updated settles a pending refund once", async () => {
    const { system } = stripeSystem(fixture);
    const p = await system.payments.create(ADMIN, { amount: usd("40.00"), paymentMethod: "pm_card_pendingRefund" });
    const refund = await system.refunds.create(ADMIN, { paymentId: p.id, amount: usd("15.00") });
    expect(refund.status).toBe("pending");
    server.api.settleRefund(refund.gatewayRefundId!, "succeeded");
    const object = server.api.getRefund(refund.gatewayRefundId!);
    const res = await deliver(system, "charge.refund.updated", object, { id: "evt_refund_1" });
    expect(res.outcome).toBe("applied");
    expect((await system.refunds.get(ADMIN, { refundId: refund.id })).status).toBe("succeeded");
    expect((await deliver(system, "charge.refund.updated", object, { id: "evt_refund_1" })).outcome).toBe("duplicate");
    expect((await deliver(system, "charge.refund.updated", object)).outcome).toBe("ignored");
    expect((await system.payments.get(ADMIN, { paymentId: p.id })).amountRefunded.toFixed()).toBe("15.00");
    expect((await deliver(system, "charge.refund.updated", { ...object, metadata: { platform_refund_id: "re_unknown" } })).outcome).toBe(
      "unknown_refund",
    );
  });

  it("charge.refunded settles the refunds it lists, and is acknowledged without a list", async () => {
    const { system } = stripeSystem(fixture);
    const p = await system.payments.create(ADMIN, { amount: usd("40.00"), paymentMethod: "pm_card_pendingRefund" });
    const refund = await system.refunds.create(ADMIN, { paymentId: p.id, amount: usd("40.00") });
    server.api.settleRefund(refund.gatewayRefundId!, "failed");
    const charge = { id: "ch_refunded_1", object: "charge", payment_intent: p.gatewayTransactionId, refunded: false };
    expect((await deliver(system, "charge.refunded", charge)).outcome).toBe("ignored");
    expect((await system.refunds.get(ADMIN, { refundId: refund.id })).status).toBe("pending");
    const listed = { ...charge, refunds: { object: "list", data: [server.api.getRefund(refund.gatewayRefundId!)] } };
    expect((await deliver(system, "charge.refunded", listed)).outcome).toBe("applied");
    expect(await system.refunds.get(ADMIN, { refundId: refund.id })).toMatchObject({
      status: "failed",
      failure: { code: "refund_failed" },
    });
    expect((await system.payments.get(ADMIN, { paymentId: p.id })).amountRefundPending.isZero()).toBe(true);
  });
});
