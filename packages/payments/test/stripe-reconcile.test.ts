import { ManualClock } from "@platform/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StripeGateway } from "../src/adapters/stripe/index.js";
import { createPaymentSystem } from "../src/index.js";
import { startStripeMockServer, type StripeMockServer } from "../src/testing/index.js";
import { paymentStores, type PaymentStoreFixture } from "./helpers.js";
import { ADMIN } from "./helpers.js";

const KEY = "sk_test_reconcile0001";
let server: StripeMockServer;
beforeAll(async () => {
  server = await startStripeMockServer({ secretKey: KEY });
});
afterAll(() => server.close());

function stripeSystem(fixture: PaymentStoreFixture) {
  const clock = new ManualClock("2026-03-01T12:00:00.000Z");
  const gateway = new StripeGateway({ secretKey: KEY, host: server.host, port: server.port, protocol: "http", maxNetworkRetries: 0 });
  // maxAmount above Stripe's own limit, so the gateway's check (amount_above_gateway_maximum) is the one that answers.
  const system = createPaymentSystem({
    store: fixture.make(),
    clock,
    gateways: { stripe: gateway },
    maxAmount: 10n ** 12n,
    webhooks: { autoDispatch: false },
  });
  return { system, clock, gateway };
}
const usd = (amount: string) => ({ amount, currency: "USD" });
const intentsOf = (paymentId: string) => [...server.api.intents.values()].filter((pi) => pi.metadata.platform_payment_id === paymentId);

describe.each(paymentStores())("StripeGateway in the payment system on $name", (fixture) => {
  beforeAll(() => fixture.setup());
  afterAll(() => fixture.teardown());
  it("crash test: the answer to a confirm is lost after Stripe charged; reconcile ends succeeded with one PaymentIntent charged once", async () => {
    const { system, clock } = stripeSystem(fixture);
    // Lost twice: the stripe SDK retries a closed connection once, with the same key, and is answered by a replay that is lost too.
    server.injectFault({ operation: "confirm", kind: "lost_response", times: 2 });
    const mark = server.requests.length;
    const p = await system.payments.create(ADMIN, { amount: usd("49.99"), paymentMethod: "pm_card_visa", idempotencyKey: "order-crash-1" });
    expect(p.status).toBe("processing");
    expect(server.chargeCount(p.id)).toBe(1);

    // The host retries its request with the same key: same payment, nothing new sent to Stripe.
    const again = await system.payments.create(ADMIN, {
      amount: usd("49.99"),
      paymentMethod: "pm_card_visa",
      idempotencyKey: "order-crash-1",
    });
    expect(again.id).toBe(p.id);

    clock.advance({ seconds: 61 });
    const settled = await system.payments.reconcile(ADMIN, { paymentId: p.id });
    expect(settled).toMatchObject({ status: "succeeded", gatewayTransactionId: expect.stringMatching(/^pi_/) });
    expect(settled!.amountCaptured.toFixed()).toBe("49.99");
    expect(intentsOf(p.id)).toHaveLength(1);
    expect(intentsOf(p.id)[0]!.id).toBe(settled!.gatewayTransactionId);
    expect(server.chargeCount(p.id)).toBe(1);
    const creates = server.requests.slice(mark).filter((r) => r.operation === "create");
    expect(new Set(creates.map((r) => r.idempotencyKey))).toEqual(new Set([`${p.id}:authorize:create`]));
    const ledger = await system.transactions.listByPayment(ADMIN, { paymentId: p.id });
    expect(ledger.items.filter((t) => t.type === "capture")).toHaveLength(1);
  });

  it("a retried authorisation after a lost create answer sends the same Idempotency-Key and charges once", async () => {
    const { system, clock } = stripeSystem(fixture);
    // Stripe created the intent, the answer (and the SDK's retry's replay) were lost: we never learnt its id.
    server.injectFault({ operation: "create", kind: "lost_response", times: 2 });
    const mark = server.requests.length;
    const p = await system.payments.create(ADMIN, { amount: usd("15.00"), paymentMethod: "pm_card_visa", captureMethod: "manual" });
    expect(p.status).toBe("processing");
    expect(intentsOf(p.id).map((pi) => pi.status)).toEqual(["requires_confirmation"]);

    clock.advance({ seconds: 61 });
    // Reconcile finds the unconfirmed intent by our payment id, so no charge was tried: it re-sends the authorisation.
    const settled = await system.payments.reconcile(ADMIN, { paymentId: p.id });
    expect(settled).toMatchObject({ status: "requires_capture", gatewayTransactionId: intentsOf(p.id)[0]!.id });
    const creates = server.requests.slice(mark).filter((r) => r.operation === "create");
    expect(creates.length).toBe(3);
    expect(new Set(creates.map((r) => r.idempotencyKey))).toEqual(new Set([`${p.id}:authorize:create`]));
    expect(creates.at(-1)!.replayed).toBe(true);
    expect(intentsOf(p.id)).toHaveLength(1);
    expect(server.chargeCount(p.id)).toBe(1);

    const captured = await system.payments.capture(ADMIN, { paymentId: p.id, amount: usd("12.50") });
    expect(captured).toMatchObject({ status: "succeeded" });
    expect(captured.amountCaptured.toFixed()).toBe("12.50");
    expect(intentsOf(p.id)[0]!.amountReceived).toBe(1250);
  });

  it("a reset before Stripe saw the create leaves nothing at Stripe; reconcile sends it and it is charged once", async () => {
    const { system, clock } = stripeSystem(fixture);
    server.injectFault({ operation: "create", kind: "reset", times: 2 });
    const p = await system.payments.create(ADMIN, { amount: usd("9.00"), paymentMethod: "pm_card_visa" });
    expect(p.status).toBe("processing");
    expect(intentsOf(p.id)).toHaveLength(0);
    clock.advance({ seconds: 61 });
    const settled = await system.payments.reconcile(ADMIN, { paymentId: p.id });
    expect(settled!.status).toBe("succeeded");
    expect(server.chargeCount(p.id)).toBe(1);
  });

  it("a 429 from Stripe is no failure: the payment stays processing (nothing charged) and reconcile charges it once", async () => {
    const { system, clock } = stripeSystem(fixture);
    server.injectFault({ operation: "confirm", kind: "rate_limit", times: 1 });
    const p = await system.payments.create(ADMIN, {
      amount: usd("30.00"),
      paymentMethod: "pm_card_visa",
      idempotencyKey: "rate-limited-1",
    });
    expect(p.status).toBe("processing");
    expect(server.chargeCount(p.id)).toBe(0);
    // A retry with the key answers the same pending payment, never a terminal failure.
    expect(
      (await system.payments.create(ADMIN, { amount: usd("30.00"), paymentMethod: "pm_card_visa", idempotencyKey: "rate-limited-1" }))
        .status,
    ).toBe("processing");
    clock.advance({ seconds: 61 });
    const settled = await system.payments.reconcile(ADMIN, { paymentId: p.id });
    expect(settled!.status).toBe("succeeded");
    expect(server.chargeCount(p.id)).toBe(1);
  });

  it("a decline fails the payment with Stripe's decline code; refunds go through Stripe, partially, never above the capture", async () => {
    const { system } = stripeSystem(fixture);
    const declined = await system.payments.create(ADMIN, {
      amount: usd("10.00"),
      paymentMethod: "pm_card_chargeDeclinedInsufficientFunds",
    });
    expect(declined).toMatchObject({ status: "failed", failure: { code: "card_declined", declineCode: "insufficient_funds" } });

    const p = await system.payments.create(ADMIN, { amount: usd("30.00"), paymentMethod: "pm_card_visa" });
    expect(p.paymentMethodDetails).toMatchObject({ type: "card", brand: "visa", last4: "4242" });
    const r1 = await system.refunds.create(ADMIN, { paymentId: p.id, amount: usd("10.00") });
    expect(r1.status).toBe("succeeded");
    expect(r1.gatewayRefundId).toMatch(/^re_/);
    const r2 = await system.refunds.create(ADMIN, { paymentId: p.id });
    expect(r2.status).toBe("succeeded");
    expect(intentsOf(p.id)[0]!.amountRefunded).toBe(3000);
  });

  it("an amount Stripe cannot carry is refused by payments.create before anything is recorded or charged", async () => {
    const { system } = stripeSystem(fixture);
    const mark = server.requests.length;
    for (const [amount, code] of [
      [{ amount: "1.235", currency: "KWD" }, "amount_precision_unsupported"],
      [{ amount: "0.49", currency: "USD" }, "amount_below_gateway_minimum"],
      [{ amount: "1000000.00", currency: "USD" }, "amount_above_gateway_maximum"],
      [{ amount: "10.0000", currency: "CLF" }, "currency_not_supported"],
    ] as const) {
      const e = await system.payments
        .create(ADMIN, { amount, paymentMethod: "pm_card_visa", idempotencyKey: `bad-${code}` })
        .catch((x: unknown) => x);
      expect(e).toMatchObject({ kind: "validation", code });
    }
    for (const status of ["created", "processing", "failed"] as const)
      expect((await system.payments.listByStatus(ADMIN, { status })).items).toEqual([]);
    expect(server.requests.slice(mark).every((r) => r.operation === "payment_method")).toBe(true);
    // The keys were not consumed: the corrected request goes through.
    expect(
      (
        await system.payments.create(ADMIN, {
          amount: { amount: "1.230", currency: "KWD" },
          paymentMethod: "pm_card_visa",
          idempotencyKey: "bad-amount_precision_unsupported",
        })
      ).status,
    ).toBe("succeeded");
  });

  it("a key Stripe refuses fails payments.create before anything is recorded", async () => {
    const clock = new ManualClock("2026-03-01T12:00:00.000Z");
    const gateway = new StripeGateway({
      secretKey: "sk_test_revokedkey001",
      host: server.host,
      port: server.port,
      protocol: "http",
      maxNetworkRetries: 0,
    });
    // maxAmount above Stripe's own limit, so the gateway's check (amount_above_gateway_maximum) is the one that answers.
    const system = createPaymentSystem({
      store: fixture.make(),
      clock,
      gateways: { stripe: gateway },
      maxAmount: 10n ** 12n,
      webhooks: { autoDispatch: false },
    });
    const e = await system.payments.create(ADMIN, { amount: usd("10.00"), paymentMethod: "pm_card_visa" }).catch((x: unknown) => x);
    expect(e).toMatchObject({ kind: "configuration", code: "stripe_authentication_failed" });
    for (const status of ["created", "processing", "failed", "succeeded"] as const)
      expect((await system.payments.listByStatus(ADMIN, { status })).items).toEqual([]);
  });

  it("a pending refund settles on refunds.reconcile: the re-send is replayed by Stripe, the gateway reads the refund as it stands", async () => {
    const { system } = stripeSystem(fixture);
    const p = await system.payments.create(ADMIN, { amount: usd("40.00"), paymentMethod: "pm_card_pendingRefund" });
    const ok = await system.refunds.create(ADMIN, { paymentId: p.id, amount: usd("15.00") });
    const lost = await system.refunds.create(ADMIN, { paymentId: p.id, amount: usd("5.00") });
    expect([ok.status, lost.status]).toEqual(["pending", "pending"]);
    expect((await system.refunds.reconcile(ADMIN, { refundId: ok.id })).status).toBe("pending");
    server.api.settleRefund(ok.gatewayRefundId!, "succeeded");
    server.api.settleRefund(lost.gatewayRefundId!, "failed");
    expect((await system.refunds.reconcile(ADMIN, { refundId: ok.id })).status).toBe("succeeded");
    expect((await system.refunds.reconcile(ADMIN, { refundId: lost.id })).status).toBe("failed");
    const after = await system.payments.get(ADMIN, { paymentId: p.id });
    expect([after.amountRefunded.toFixed(), after.amountRefundPending.toFixed()]).toEqual(["15.00", "0.00"]);
  });
});
