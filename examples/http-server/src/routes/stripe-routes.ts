import { PlatformError } from "@platform/core";
import { verifyStripeWebhook } from "@platform/payments/stripe";
import { Hono } from "hono";
import type { AppEnv } from "../http/app-env.js";
import type { Services } from "../services.js";

/**
 * `POST /webhooks/stripe`: verifies the signature on the raw bytes (before any JSON parsing), then,
 * for the payment events payments follows, asks Stripe about that payment now (`payments.reconcile(id)`)
 * instead of waiting for the scheduled sweep. Other event types are acknowledged and ignored.
 */
export function stripeRoutes({ payments }: Services, secret: string): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.post("/webhooks/stripe", async (c) => {
    const raw = Buffer.from(await c.req.arrayBuffer());
    const { event, relevant } = await verifyStripeWebhook(raw, c.req.header("stripe-signature"), { secret, now: new Date() });
    const object = event.data.object as { metadata?: Record<string, string> | null };
    const paymentId = relevant ? object.metadata?.platform_payment_id : undefined;
    // A payment this database does not hold (another environment on the same Stripe account) is
    // acknowledged: a 404 would make Stripe re-send it for days.
    if (paymentId) await payments.payments.reconcile(paymentId).catch((e: unknown) => {
      if (!(PlatformError.is(e) && e.kind === "not_found")) throw e;
    });
    return c.json({ received: true, id: event.id });
  });
  return app;
}
