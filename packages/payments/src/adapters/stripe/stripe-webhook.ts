import { AuthenticationError, ConfigurationError, PlatformError } from "@platform/core";
import type Stripe from "stripe";
import { paymentsCodes } from "../../domain/error-codes.js";

/** The Stripe event types that move payments and refunds; any other type is acknowledged and ignored. */
export const STRIPE_PAYMENT_EVENT_TYPES = [
  "payment_intent.succeeded",
  "payment_intent.payment_failed",
  "payment_intent.requires_action",
  "payment_intent.canceled",
  "charge.refunded",
  "charge.refund.updated",
  "refund.created",
  "refund.updated",
  "refund.failed",
] as const;

/** Options of {@link verifyStripeWebhook}. */
export interface VerifyStripeWebhookOptions {
  /** The endpoint's signing secret (`whsec_...`), from configuration. */
  secret: string | undefined;
  /** The time of receipt, from the host's clock. */
  now: Date;
  /** Largest accepted distance between the signed timestamp and `now`, in seconds (default 300, as Stripe). */
  toleranceSeconds?: number;
}

/** A verified Stripe event, and whether it is one of {@link STRIPE_PAYMENT_EVENT_TYPES}. */
export interface VerifiedStripeEvent {
  readonly event: Stripe.Event;
  /** False for event types payments do not follow: acknowledge them (HTTP 200) and do nothing. */
  readonly relevant: boolean;
}

/**
 * Verifies a Stripe webhook request with the stripe SDK's `webhooks.constructEvent` on the raw body
 * (the exact bytes received, before any JSON parsing) and the `Stripe-Signature` header, then checks
 * the signed timestamp against the host's clock in both directions (Stripe's check only refuses old
 * ones). Nothing is applied here: this is the door, not the handler.
 * @throws ConfigurationError `stripe_webhook_secret_missing`, `stripe_webhook_secret_malformed`, `missing_peer_dependency`.
 * @throws AuthenticationError `stripe_signature_missing` (no header), `stripe_signature_invalid` (forged, another
 *   secret, a re-serialised body), `stripe_signature_stale` (outside the tolerance: a replay).
 * @example
 * ```ts
 * const { event, relevant } = await verifyStripeWebhook(rawBody, req.headers["stripe-signature"], { secret: process.env.STRIPE_WEBHOOK_SECRET, now: new Date() });
 * ```
 */
export async function verifyStripeWebhook(
  rawBody: string | Buffer,
  signatureHeader: string | undefined,
  options: VerifyStripeWebhookOptions,
): Promise<VerifiedStripeEvent> {
  const { secret } = options;
  if (!secret)
    throw new ConfigurationError(
      paymentsCodes.stripe_webhook_secret_missing,
      "no Stripe webhook signing secret: set STRIPE_WEBHOOK_SECRET (whsec_...)",
    );
  if (!/^whsec_[A-Za-z0-9+/=_-]{8,}$/.test(secret))
    throw new ConfigurationError(
      paymentsCodes.stripe_webhook_secret_malformed,
      "malformed Stripe webhook signing secret: expected whsec_...",
    );
  if (!signatureHeader) throw new AuthenticationError(paymentsCodes.stripe_signature_missing, "no Stripe-Signature header");
  let mod: typeof import("stripe");
  try {
    mod = await import("stripe");
  } catch (cause) {
    throw new ConfigurationError(
      paymentsCodes.missing_peer_dependency,
      "verifying Stripe webhooks needs the optional peer dependency stripe (npm install stripe)",
      { cause },
    );
  }
  const StripeClass = (mod.default ?? mod) as unknown as typeof Stripe;
  let event: Stripe.Event;
  try {
    // Tolerance 0: the signature alone here; the timestamp is checked below against the host's clock.
    event = StripeClass.webhooks.constructEvent(rawBody, signatureHeader, secret, 0);
  } catch (cause) {
    if (PlatformError.is(cause)) throw cause;
    throw new AuthenticationError(paymentsCodes.stripe_signature_invalid, "the Stripe-Signature does not match the body", { cause });
  }
  const timestamp = Number(/(?:^|,)t=(\d{1,12})(?:,|$)/.exec(signatureHeader)?.[1]);
  const tolerance = options.toleranceSeconds ?? 300;
  const age = Math.floor(options.now.getTime() / 1000) - timestamp;
  if (!Number.isFinite(age) || Math.abs(age) > tolerance) {
    throw new AuthenticationError(paymentsCodes.stripe_signature_stale, "the Stripe-Signature timestamp is outside the tolerance", {
      details: { timestamp, toleranceSeconds: tolerance },
    });
  }
  return { event, relevant: (STRIPE_PAYMENT_EVENT_TYPES as readonly string[]).includes(event.type) };
}
