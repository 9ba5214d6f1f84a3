import { handleStripeWebhook } from "@platform/payments/stripe";
import { Hono } from "hono";
import type { AppEnv } from "../http/app-env.js";
import type { Services } from "../services.js";

/**
 * `POST /webhooks/stripe`: `handleStripeWebhook` verifies the signature on the raw bytes (before
 * any JSON parsing) and applies the event to its payment or refund, once per event id across app
 * servers, never moving a payment backwards. Every outcome is acknowledged with 200 (also events
 * for payments this database does not hold: a 4xx would make Stripe re-send them for days); a
 * refused signature answers 400 and a storage outage 503 through `toHttpError`, so Stripe retries.
 * The payment events then pay or cancel the order (`followPaymentEvents` in services.ts).
 */
export function stripeRoutes({ payments }: Services, secret: string): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.post("/webhooks/stripe", async (c) => {
    const raw = Buffer.from(await c.req.arrayBuffer());
    const result = await handleStripeWebhook(payments, raw, c.req.header("stripe-signature"), { secret });
    return c.json({ received: true, id: result.eventId, outcome: result.outcome });
  });
  return app;
}
