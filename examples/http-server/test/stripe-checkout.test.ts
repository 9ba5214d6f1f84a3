import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PAYMENTS_ADMIN_ACTOR, startStripeMockServer, stripeWebhookDelivery, type StripeMockServer } from "@platform/payments/testing";
import { waitUntil } from "@platform/core/testing";
import Stripe from "stripe";
import { loadConfig } from "../src/config.js";
import { ADMIN_TOKEN, serverFor, STRIPE_WEBHOOK_SECRET } from "./helpers.js";

// The server configured for Stripe from its environment, against the local Stripe-compatible server.
describe("the reference HTTP server taking payments through Stripe", () => {
  let stripe: StripeMockServer;
  let server: Awaited<ReturnType<typeof serverFor>>;
  beforeAll(async () => {
    stripe = await startStripeMockServer();
    const config = loadConfig({
      PAYMENTS_GATEWAY: "stripe",
      STRIPE_SECRET_KEY: "sk_test_httpserver0000",
      STRIPE_API_HOST: stripe.host,
      STRIPE_API_PORT: String(stripe.port),
      STRIPE_API_PROTOCOL: "http",
      STRIPE_WEBHOOK_SECRET,
      ADMIN_TOKEN,
      NODE_ENV: "production",
    });
    server = await serverFor({}, config);
  });
  afterAll(async () => {
    await server?.close();
    await stripe?.close();
  });

  it("answers a Stripe decline 402, a Stripe outage 503 with retry-after, and a paid order 201", async () => {
    const { call } = server;
    const lamp = await call("POST", "/admin/products", {
      token: ADMIN_TOKEN,
      body: { sku: "LAMP-STRIPE", name: "Lamp", price: { amount: "49.90", currency: "USD" }, initialStock: 5 },
    });
    expect(lamp.status).toBe(201);
    await call("POST", "/auth/register", { body: { email: "stripe@example.com", password: "s3cure-passw0rd", name: "Ada" } });
    const { token } = (await call("POST", "/auth/login", { body: { email: "stripe@example.com", password: "s3cure-passw0rd" } })).body;
    expect((await call("POST", "/cart/items", { token, body: { productId: lamp.body.id, quantity: 1 } })).status).toBe(200);

    const declined = await call("POST", "/checkout", {
      token,
      headers: { "idempotency-key": "stripe-http-1" },
      body: { paymentToken: "pm_card_chargeDeclinedInsufficientFunds" },
    });
    expect(declined.status).toBe(402);
    expect(declined.body).toMatchObject({ code: "card_declined", details: { declineCode: "insufficient_funds" } });

    // Stripe answers 500 to the call and to the stripe SDK's two retries of it.
    stripe.injectFault({ operation: "any", kind: "server_error", times: 3 });
    const outage = await call("POST", "/checkout", {
      token,
      headers: { "idempotency-key": "stripe-http-2" },
      body: { paymentToken: "pm_card_visa" },
    });
    expect(outage.status).toBe(503);
    expect(outage.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(outage.body).toMatchObject({ code: "gateway_error", details: { retryable: true } });

    // The client retries with the same key, as the 503 invites: one order, paid once.
    const paid = await call("POST", "/checkout", {
      token,
      headers: { "idempotency-key": "stripe-http-2" },
      body: { paymentToken: "pm_card_visa" },
    });
    expect(paid.status).toBe(201);
    expect(paid.body).toMatchObject({ status: "paid", payment: { status: "succeeded" } });
    const orders = (await call("GET", "/orders", { token })).body.items as { status: string }[];
    expect(orders.filter((o) => o.status === "paid")).toHaveLength(1);
  });

  it("receives Stripe webhooks only with a valid signature on the raw body; foreign payments are acknowledged", async () => {
    const payload = JSON.stringify({
      id: "evt_http_1",
      object: "event",
      type: "payment_intent.succeeded",
      data: {
        object: {
          id: "pi_1",
          object: "payment_intent",
          amount: 1000,
          amount_received: 1000,
          amount_capturable: 0,
          currency: "usd",
          status: "succeeded",
          metadata: { platform_payment_id: "pay_unknown" },
        },
      },
    });
    const unsigned = await server.call("POST", "/webhooks/stripe", { raw: payload });
    expect(unsigned.body).toMatchObject({ status: 401, code: "stripe_signature_missing" });
    const forged = await server.call("POST", "/webhooks/stripe", {
      raw: payload,
      headers: { "stripe-signature": Stripe.webhooks.generateTestHeaderString({ payload, secret: "whsec_anothersecret0123456789abcdef" }) },
    });
    expect(forged.body.code).toBe("stripe_signature_invalid");
    const signed = await server.call("POST", "/webhooks/stripe", {
      raw: payload,
      headers: { "stripe-signature": Stripe.webhooks.generateTestHeaderString({ payload, secret: STRIPE_WEBHOOK_SECRET }) },
    });
    expect(signed.status).toBe(200);
    // A payment this database does not hold is acknowledged (Stripe would re-send a 4xx for days).
    expect(signed.body).toEqual({ received: true, id: "evt_http_1", outcome: "unknown_payment" });
  });

  it("3-D Secure over HTTP: checkout answers 202 with the client secret, the customer completes it, Stripe's webhook pays the order", async () => {
    const { call } = server;
    const lamp = await call("POST", "/admin/products", {
      token: ADMIN_TOKEN,
      body: { sku: "LAMP-3DS", name: "Lamp", price: { amount: "20.00", currency: "USD" }, initialStock: 2 },
    });
    await call("POST", "/auth/register", { body: { email: "sca@example.com", password: "s3cure-passw0rd", name: "Sca" } });
    const { token } = (await call("POST", "/auth/login", { body: { email: "sca@example.com", password: "s3cure-passw0rd" } })).body;
    await call("POST", "/cart/items", { token, body: { productId: lamp.body.id, quantity: 1 } });
    const headers = { "idempotency-key": "stripe-3ds-1" };
    const waiting = await call("POST", "/checkout", { token, headers, body: { paymentToken: "pm_card_threeDSecure2Required" } });
    expect(waiting.status).toBe(202);
    expect(waiting.body.paymentAction.clientSecret).toMatch(/^pi_.+_secret_/);
    const payment = await server.services.payments.payments.findByIdempotencyKey(PAYMENTS_ADMIN_ACTOR, {
      idempotencyKey: `order_${waiting.body.id}`,
    });
    const intentId = payment!.gatewayTransactionId!;
    stripe.completeAction(intentId, "succeed");
    const delivery = await stripeWebhookDelivery({
      type: "payment_intent.succeeded",
      object: stripe.api.intentJson(stripe.api.intents.get(intentId)!),
      secret: STRIPE_WEBHOOK_SECRET,
      at: new Date(),
    });
    const received = await call("POST", "/webhooks/stripe", { raw: delivery.payload, headers: { "stripe-signature": delivery.header } });
    expect(received.body).toMatchObject({ received: true, outcome: "applied" });
    await waitUntil(
      async () => (await call("GET", `/orders/${waiting.body.id}`, { token })).body.status === "paid",
      "the order to be paid",
    );
    // Stripe delivers the same event again: applied once.
    expect(
      (await call("POST", "/webhooks/stripe", { raw: delivery.payload, headers: { "stripe-signature": delivery.header } })).body.outcome,
    ).toBe("duplicate");
  });
});
