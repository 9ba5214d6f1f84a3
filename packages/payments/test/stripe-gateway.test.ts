import { GatewayError, Money, PlatformError } from "@platform/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StripeGateway, stripeIdempotencyKey, type StripeGatewayOptions } from "../src/adapters/stripe/index.js";
import { startStripeMockServer, type StripeMockServer } from "../src/testing/index.js";
import { codeOf } from "./helpers.js";

const KEY = "sk_test_gateway00001";
let server: StripeMockServer;
beforeAll(async () => {
  server = await startStripeMockServer({ secretKey: KEY });
});
afterAll(() => server.close());

const gateway = (over: Partial<StripeGatewayOptions> = {}) =>
  new StripeGateway({ secretKey: KEY, host: server.host, port: server.port, protocol: "http", maxNetworkRetries: 0, ...over });
let n = 0;
const request = (amount: Money, paymentMethod = "pm_card_visa", capture = true) => {
  const paymentId = `pay_gw${++n}x${Date.now()}`;
  return { paymentId, idempotencyKey: `${paymentId}:authorize`, amount, paymentMethod, capture, metadata: { order: "ord_1" } };
};
const since = (mark: number) => server.requests.slice(mark);

describe("StripeGateway: the wire", () => {
  it("creates then confirms a PaymentIntent: form-encoded, minor units, lower-case currency, API version, one key per step", async () => {
    for (const [amount, minor, currency] of [
      [Money.of("12.34", "USD"), "1234", "usd"],
      [Money.of("500", "JPY"), "500", "jpy"],
      [Money.of("12.340", "KWD"), "12340", "kwd"],
      [Money.of("1500", "ISK"), "150000", "isk"],
      // Stripe's special case: UGX is zero-decimal but taken as a two-decimal integer (x100)
      [Money.of("5000", "UGX"), "500000", "ugx"],
    ] as const) {
      const mark = server.requests.length;
      const req = request(amount, "pm_card_visa", false);
      const res = await gateway().authorize(req);
      expect(res.status).toBe("authorized");
      expect(res.reference).toMatch(/^pi_/);
      expect(res.amountAuthorized.equals(amount)).toBe(true);
      expect(res.gatewayData).toMatchObject({
        provider: "stripe",
        paymentIntentId: res.reference,
        brand: "visa",
        last4: "4242",
        paymentIntentStatus: "requires_capture",
      });
      expect(res.gatewayData.chargeId).toMatch(/^ch_/);
      const [create, confirm] = since(mark);
      expect(create).toMatchObject({ method: "POST", path: "/v1/payment_intents", idempotencyKey: `${req.paymentId}:authorize:create` });
      expect(create!.contentType).toMatch(/^application\/x-www-form-urlencoded/);
      expect(create!.stripeVersion).toMatch(/^\d{4}-\d{2}-\d{2}/);
      expect(create!.form).toMatchObject({
        amount: minor,
        currency,
        capture_method: "manual",
        payment_method: "pm_card_visa",
        metadata: { order: "ord_1", platform_payment_id: req.paymentId },
        automatic_payment_methods: { enabled: "true", allow_redirects: "never" },
      });
      expect(confirm).toMatchObject({
        method: "POST",
        path: `/v1/payment_intents/${res.reference}/confirm`,
        idempotencyKey: `${req.paymentId}:authorize:confirm`,
      });
    }
  });

  it("derives Stripe keys per step and hashes keys past Stripe's 255 characters", () => {
    expect(stripeIdempotencyKey("pay_1:capture", "capture")).toBe("pay_1:capture:capture");
    const long = stripeIdempotencyKey("k".repeat(300), "create");
    expect(long.length).toBeLessThanOrEqual(255);
    expect(long).toBe(stripeIdempotencyKey("k".repeat(300), "create"));
    expect(long).not.toBe(stripeIdempotencyKey("k".repeat(300), "confirm"));
  });

  it("keeps provider data of a capture and a refund and sends their own keys", async () => {
    const g = gateway();
    const req = request(Money.of("80.00", "EUR"), "pm_card_mastercard", false);
    const auth = await g.authorize(req);
    const mark = server.requests.length;
    const cap = await g.capture({
      reference: auth.reference,
      amount: Money.of("79.99", "EUR"),
      idempotencyKey: `${req.paymentId}:capture`,
    });
    expect(cap.gatewayData).toMatchObject({ brand: "mastercard", last4: "4444", paymentIntentStatus: "succeeded" });
    const refund = await g.refund({
      reference: auth.reference,
      refundId: "re_ours1",
      amount: Money.of("0.01", "EUR"),
      idempotencyKey: "re_ours1:refund",
    });
    expect(refund).toMatchObject({ status: "succeeded", reference: expect.stringMatching(/^re_/) });
    const [c, r] = since(mark);
    expect(c).toMatchObject({ idempotencyKey: `${req.paymentId}:capture:capture`, form: { amount_to_capture: "7999" } });
    expect(r).toMatchObject({
      path: "/v1/refunds",
      idempotencyKey: "re_ours1:refund:refund",
      form: { payment_intent: auth.reference, amount: "1", metadata: { platform_refund_id: "re_ours1" } },
    });
  });
});

describe("StripeGateway: bad input changes nothing", () => {
  it("refuses what Stripe cannot charge exactly before sending anything", async () => {
    const mark = server.requests.length;
    const g = gateway();
    expect(await codeOf(() => g.authorize(request(Money.of("10.0000", "CLF"))))).toBe("currency_not_supported");
    expect(await codeOf(() => g.authorize(request(Money.of("0.49", "USD"))))).toBe("amount_below_gateway_minimum");
    expect(await codeOf(() => g.authorize(request(Money.of("49", "JPY"))))).toBe("amount_below_gateway_minimum");
    expect(await codeOf(() => g.authorize(request(Money.of("1000000.00", "USD"))))).toBe("amount_above_gateway_maximum");
    expect(await codeOf(() => g.authorize(request(Money.of("1.235", "KWD"))))).toBe("amount_precision_unsupported");
    expect(await codeOf(() => g.authorize(request(Money.of("100.50", "MGA"))))).toBe("amount_precision_unsupported");
    expect(since(mark)).toEqual([]);
  });

  it("ISK and UGX are sent x100, so Stripe's eight digits end at 999999 units: one more is refused before sending anything", async () => {
    const mark = server.requests.length;
    const g = gateway();
    for (const currency of ["ISK", "UGX"]) {
      expect(await codeOf(() => g.authorize(request(Money.of("1000000", currency))))).toBe("amount_above_gateway_maximum");
      expect(await codeOf(() => g.assertSupported({ amount: Money.of("1000000", currency), capture: true }))).toBe(
        "amount_above_gateway_maximum",
      );
    }
    expect(since(mark)).toEqual([]);
    const res = await g.authorize(request(Money.of("999999", "UGX")));
    expect(res.status).toBe("captured");
    expect(since(mark)[0]!.form).toMatchObject({ amount: "99999900", currency: "ugx" });
  });

  it("refuses a missing or malformed secret key with its own code", () => {
    const codeOfSync = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        if (PlatformError.is(e)) return `${e.kind}:${e.code}`;
        throw e;
      }
      return "none";
    };
    expect(codeOfSync(() => new StripeGateway(undefined))).toBe("configuration:stripe_secret_key_missing");
    expect(codeOfSync(() => new StripeGateway({ secretKey: "" }))).toBe("configuration:stripe_secret_key_missing");
    for (const bad of [
      "pk_test_abcdefghij",
      "sk_test_abc",
      " sk_test_abcdefghij",
      "sk_test_abcdefghij\n",
      "sk_prod_abcdefghij",
      42 as unknown as string,
    ]) {
      expect(codeOfSync(() => new StripeGateway({ secretKey: bad }))).toBe("configuration:stripe_secret_key_malformed");
    }
    expect(new StripeGateway("sk_live_abcdefghij").mode).toBe("live");
    expect(new StripeGateway("rk_test_abcdefghij").mode).toBe("test");
  });

  it("maps a key Stripe refuses (401) to a configuration error", async () => {
    const e = await gateway({ secretKey: "sk_test_someoneelse1" })
      .describePaymentMethod("pm_card_visa")
      .catch((x: unknown) => x);
    expect(PlatformError.is(e) && `${e.kind}:${e.code}`).toBe("configuration:stripe_authentication_failed");
  });
});

describe("StripeGateway: ISK and UGX captures and refunds move in whole units", () => {
  it("captures part of a UGX authorization and refunds part of it, x100 on the wire, and reads amounts back exactly", async () => {
    const g = gateway();
    const req = request(Money.of("5000", "UGX"), "pm_card_visa", false);
    const auth = await g.authorize(req);
    const mark = server.requests.length;
    const cap = await g.capture({ reference: auth.reference, amount: Money.of("4000", "UGX"), idempotencyKey: `${req.paymentId}:capture` });
    expect(cap.amountCaptured.equals(Money.of("4000", "UGX"))).toBe(true);
    const refund = await g.refund({
      reference: auth.reference,
      refundId: "re_ugx1",
      amount: Money.of("1500", "UGX"),
      idempotencyKey: "re_ugx1:refund",
    });
    expect(refund.status).toBe("succeeded");
    const [c, r] = since(mark);
    expect(c!.form).toMatchObject({ amount_to_capture: "400000" });
    expect(r!.form).toMatchObject({ amount: "150000" });
    expect(server.api.intents.get(auth.reference)).toMatchObject({ amountReceived: 400000, amountRefunded: 150000 });
  });
});

describe("StripeGateway: errors by what the caller does next", () => {
  it("declines with card_declined and Stripe's decline_code", async () => {
    for (const [pm, declineCode] of [
      ["pm_card_chargeDeclinedExpiredCard", "expired_card"],
      ["pm_card_chargeDeclinedLostCard", "lost_card"],
    ] as const) {
      const e = await gateway()
        .authorize(request(Money.of("20.00", "USD"), pm))
        .catch((x: unknown) => x);
      expect(e).toBeInstanceOf(GatewayError);
      expect(e).toMatchObject({ code: "card_declined", declineCode, retryable: false });
    }
  });

  it("answers requires_action for a PaymentIntent that needs 3-D Secure, with next_action and client_secret, and cancels it on void", async () => {
    const req = request(Money.of("20.00", "USD"), "pm_card_threeDSecure2Required");
    const res = await gateway().authorize(req);
    expect(res).toMatchObject({ status: "requires_action", action: { nextAction: { type: "use_stripe_sdk" } } });
    const intents = [...server.api.intents.values()].filter((pi) => pi.metadata.platform_payment_id === req.paymentId);
    expect(intents.map((pi) => pi.status)).toEqual(["requires_action"]);
    expect(res.action?.clientSecret).toBe(intents[0]!.clientSecret);
    expect((await gateway().retrieve({ reference: res.reference, paymentId: req.paymentId })).status).toBe("requires_action");
    server.completeAction(res.reference, "fail");
    expect(await gateway().retrieve({ reference: res.reference, paymentId: req.paymentId })).toMatchObject({
      status: "failed",
      declineCode: "payment_intent_authentication_failure",
    });
    await gateway().void({ reference: res.reference, idempotencyKey: `${req.paymentId}:void` });
    expect(intents[0]!.status).toBe("canceled");
  });

  it("429 is retryable and not ambiguous; 500 on a POST is ambiguous; a refused idempotency key is ambiguous", async () => {
    server.injectFault({ operation: "create", kind: "rate_limit" });
    const limited = await gateway()
      .authorize(request(Money.of("5.00", "USD")))
      .catch((x: unknown) => x);
    expect(limited).toMatchObject({ code: "gateway_rate_limited", retryable: true });
    expect((limited as GatewayError).details.ambiguous).toBeUndefined();

    server.injectFault({ operation: "confirm", kind: "server_error" });
    const failed = await gateway()
      .authorize(request(Money.of("5.00", "USD")))
      .catch((x: unknown) => x);
    expect(failed).toMatchObject({ code: "gateway_error", retryable: true, details: { ambiguous: true } });

    const req = request(Money.of("5.00", "USD"));
    await gateway().authorize(req);
    const conflict = await gateway()
      .authorize({ ...req, amount: Money.of("6.00", "USD") })
      .catch((x: unknown) => x);
    expect(conflict).toMatchObject({ code: "gateway_idempotency_conflict", details: { ambiguous: true } });
    expect(server.chargeCount(req.paymentId)).toBe(1);
  });

  it("a reset before Stripe acted is retried by the stripe SDK with the same key and charges once", async () => {
    server.injectFault({ operation: "confirm", kind: "reset" });
    const mark = server.requests.length;
    const req = request(Money.of("7.00", "USD"));
    expect((await gateway().authorize(req)).status).toBe("captured");
    const confirms = since(mark).filter((r) => r.operation === "confirm");
    expect(confirms.map((r) => r.idempotencyKey)).toEqual([`${req.paymentId}:authorize:confirm`, `${req.paymentId}:authorize:confirm`]);
    expect(server.chargeCount(req.paymentId)).toBe(1);
  });

  it("a connection refused means nothing was sent: retryable, not ambiguous", async () => {
    const e = await new StripeGateway({ secretKey: KEY, host: "127.0.0.1", port: 1, protocol: "http", maxNetworkRetries: 0 })
      .authorize(request(Money.of("5.00", "USD")))
      .catch((x: unknown) => x);
    expect(e).toMatchObject({ code: "gateway_unavailable", retryable: true });
    expect((e as GatewayError).details.ambiguous).toBeUndefined();
  });
});
