import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Logger } from "@platform/core";
import { createPaymentSystem, TestGateway, type WebhookTransport } from "@platform/payments";
import { StripeGateway } from "@platform/payments/stripe";
import { startStripeMockServer, type StripeMockServer } from "@platform/payments/testing";
import { paymentPortFor } from "../src/adapters/payments/index.js";
import { codeOf, makePlatform, product, ANONYMOUS_ACTOR } from "./helpers.js";
import { PAYMENTS_ADMIN_ACTOR } from "@platform/payments/testing";

interface Line {
  level: string;
  fields: Record<string, unknown>;
  message: string;
}

function capturingLogger(): { logger: Logger; lines: Line[] } {
  const lines: Line[] = [];
  const at =
    (level: string) =>
    (fields: Record<string, unknown>, message: string): void =>
      void lines.push({ level, fields: structuredClone(fields), message });
  return { lines, logger: { error: at("error"), warn: at("warn"), info: at("info"), debug: at("debug") } };
}

const STRIPE_KEY = "sk_test_obslogging000001";
const WRONG_STRIPE_KEY = "sk_test_wrongkey99999999";
const CURSOR_SECRET = "cursor-secret-0123456789abcdefghijklmnop";
const PASSWORD = "s3cure-passw0rd-obs";
const CARD_TOKEN = "tok_4242424242424242";
let server: StripeMockServer;
beforeAll(async () => {
  server = await startStripeMockServer({ secretKey: STRIPE_KEY });
});
afterAll(() => server.close());

describe("logging through the logger option", () => {
  it("logs a failed webhook attempt and failed gateway calls with code and ids, and never a secret", async () => {
    const { logger, lines } = capturingLogger();
    const secrets: string[] = [STRIPE_KEY, WRONG_STRIPE_KEY, CURSOR_SECRET, PASSWORD, CARD_TOKEN, "4242424242424242"];
    // Endpoints answer 500; the request (with its signature header) is what a careless log line would dump.
    const transport: WebhookTransport = async () => ({ status: 500, headers: {}, body: "upstream exploded" });
    const system = createPaymentSystem({
      gateways: {
        test: new TestGateway({ extraMethods: [CARD_TOKEN] }),
        stripe: new StripeGateway({
          secretKey: WRONG_STRIPE_KEY,
          host: server.host,
          port: server.port,
          protocol: "http",
          maxNetworkRetries: 0,
        }),
      },
      defaultGateway: "test",
      routing: [{ gateway: "stripe", currencies: ["EUR"] }],
      cursorSecret: CURSOR_SECRET,
      logger,
      webhooks: { transport, autoDispatch: false },
    });
    const { platform } = makePlatform({ payments: paymentPortFor(system), cursorSecret: CURSOR_SECRET, logger });

    // Webhook endpoint create and rotate: both answers carry a signing secret.
    const endpoint = await system.webhooks.createEndpoint(PAYMENTS_ADMIN_ACTOR, {
      url: "https://hooks.example.com/platform",
      events: ["*"],
    });
    const rotated = await system.webhooks.rotateSecret(PAYMENTS_ADMIN_ACTOR, { endpointId: endpoint.id });
    secrets.push(endpoint.secret, rotated.secret);

    // Login: a password in, a session token out.
    await platform.users.register(ANONYMOUS_ACTOR, { email: "obs@example.com", password: PASSWORD, name: "Obs Erver" });
    const { token } = await platform.users.login(ANONYMOUS_ACTOR, { email: "obs@example.com", password: PASSWORD });
    secrets.push(token);
    const actor = await platform.users.authenticate(ANONYMOUS_ACTOR, { token });

    // A checkout paid with a card token, then one the gateway declines.
    const p = await product(platform, "OBS-1", "25.00", 3);
    await platform.carts.addItem(actor, { productId: p.id, quantity: 1 });
    await platform.orders.checkout(actor, { idempotencyKey: "obs-checkout-1", paymentToken: CARD_TOKEN });
    await platform.carts.addItem(actor, { productId: p.id, quantity: 1 });
    expect(
      await codeOf(() => platform.orders.checkout(actor, { idempotencyKey: "obs-checkout-2", paymentToken: "pm_card_chargeDeclined" })),
    ).toBe("card_declined");
    // A Stripe call with a key Stripe refuses.
    expect(
      await codeOf(() =>
        system.payments.create(PAYMENTS_ADMIN_ACTOR, { amount: { amount: "10.00", currency: "EUR" }, paymentMethod: "pm_card_visa" }),
      ),
    ).not.toBe("");
    // A payment that succeeds, so its events reach the endpoint, which fails.
    await system.payments.create(PAYMENTS_ADMIN_ACTOR, { amount: { amount: "12.00", currency: "USD" }, paymentMethod: "pm_card_visa" });
    expect(await system.webhooks.dispatchDue()).toBeGreaterThan(0);

    const webhookLine = lines.find((l) => l.message === "webhook delivery attempt failed");
    expect(webhookLine).toBeDefined();
    expect(webhookLine!.level).toBe("warn");
    expect(webhookLine!.fields).toMatchObject({ code: "webhook_http_error", endpointId: endpoint.id, status: 500 });
    expect(webhookLine!.fields.deliveryId).toMatch(/^whd_/);
    expect(webhookLine!.fields.eventId).toMatch(/^evt_/);

    const gatewayLines = lines.filter((l) => l.message === "payment gateway call failed");
    const declined = gatewayLines.find((l) => l.fields.gateway === "test");
    expect(declined).toMatchObject({ level: "info", fields: { code: "card_declined", operation: "authorize" } });
    expect(declined!.fields.paymentId).toMatch(/^pay_/);
    const stripe = gatewayLines.find((l) => l.fields.gateway === "stripe");
    expect(stripe).toBeDefined();
    expect(typeof stripe!.fields.code).toBe("string");
    expect(stripe!.fields).toMatchObject({ code: "stripe_authentication_failed", operation: "describePaymentMethod" });

    const all = JSON.stringify(lines);
    for (const secret of secrets) expect(all).not.toContain(secret);
  });

  it("logs subscriber failures through the logger instead of console.error", async () => {
    const { logger, lines } = capturingLogger();
    const { platform } = makePlatform({ logger });
    platform.events.on("product.created", () => {
      throw Object.assign(new Error("subscriber broke"), { code: "subscriber_broke" });
    });
    const p = await product(platform, "OBS-2", "5.00", 1);
    const line = lines.find((l) => l.message === "event subscriber failed");
    expect(line).toMatchObject({ level: "error", fields: { code: "subscriber_broke", eventType: "product.created" } });
    expect(line!.fields.eventId).toMatch(/^evt_/);
    expect(p.id).toMatch(/^prod_/);
  });
});
