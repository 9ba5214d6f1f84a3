import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStripeMockServer, type StripeMockServer } from "@platform/payments/testing";
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
    const lamp = await call("POST", "/admin/products", { token: ADMIN_TOKEN, body: { sku: "LAMP-STRIPE", name: "Lamp", price: { amount: "49.90", currency: "USD" }, initialStock: 5 } });
    expect(lamp.status).toBe(201);
    await call("POST", "/auth/register", { body: { email: "stripe@example.com", password: "s3cure-passw0rd", name: "Ada" } });
    const { token } = (await call("POST", "/auth/login", { body: { email: "stripe@example.com", password: "s3cure-passw0rd" } })).body;
    expect((await call("POST", "/cart/items", { token, body: { productId: lamp.body.id, quantity: 1 } })).status).toBe(200);

    const declined = await call("POST", "/checkout", { token, headers: { "idempotency-key": "stripe-http-1" }, body: { paymentToken: "pm_card_chargeDeclinedInsufficientFunds" } });
    expect(declined.status).toBe(402);
    expect(declined.body).toMatchObject({ code: "card_declined", details: { declineCode: "insufficient_funds" } });

    // Stripe answers 500 to the call and to the stripe SDK's two retries of it.
    stripe.injectFault({ operation: "any", kind: "server_error", times: 3 });
    const outage = await call("POST", "/checkout", { token, headers: { "idempotency-key": "stripe-http-2" }, body: { paymentToken: "pm_card_visa" } });
    expect(outage.status).toBe(503);
    expect(outage.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(outage.body).toMatchObject({ code: "gateway_error", details: { retryable: true } });

    // The client retries with the same key, as the 503 invites: one order, paid once.
    const paid = await call("POST", "/checkout", { token, headers: { "idempotency-key": "stripe-http-2" }, body: { paymentToken: "pm_card_visa" } });
    expect(paid.status).toBe(201);
    expect(paid.body).toMatchObject({ status: "paid", payment: { status: "succeeded" } });
    const orders = (await call("GET", "/orders", { token })).body.items as { status: string }[];
    expect(orders.filter((o) => o.status === "paid")).toHaveLength(1);
  });
});
