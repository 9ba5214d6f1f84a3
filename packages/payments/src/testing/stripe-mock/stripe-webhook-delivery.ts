import type Stripe from "stripe";

/** A Stripe webhook delivery as it reaches the host: the raw JSON body and its `Stripe-Signature` header. */
export interface StripeWebhookDelivery {
  readonly payload: string;
  readonly header: string;
}

/** What {@link stripeWebhookDelivery} delivers. */
export interface StripeWebhookDeliveryInput {
  /** The event type, e.g. `payment_intent.succeeded`. */
  type: string;
  /** The event's `data.object` (e.g. `server.api.intentJson(intent)`). */
  object: unknown;
  /** The endpoint's signing secret (`whsec_...`). */
  secret: string;
  /** When Stripe signs it (the host's clock must be within the tolerance of it). */
  at: Date;
  /** The event id (default: a new `evt_...`): deliver the same id twice to test redelivery. */
  id?: string;
}

let sequence = 0;

/**
 * Builds a Stripe webhook delivery as Stripe sends it, signed with the stripe SDK's own test-header
 * helper (`webhooks.generateTestHeaderString`), for tests of `handleStripeWebhook` against the local
 * server. Needs the optional peer dependency `stripe`.
 * @example
 * ```ts
 * const d = await stripeWebhookDelivery({ type: "payment_intent.succeeded", object: server.api.intentJson(pi), secret, at: clock.now() });
 * await handleStripeWebhook(system, d.payload, d.header, { secret });
 * ```
 */
export async function stripeWebhookDelivery(input: StripeWebhookDeliveryInput): Promise<StripeWebhookDelivery> {
  const mod = await import("stripe");
  const StripeClass = (mod.default ?? mod) as unknown as typeof Stripe;
  const created = Math.floor(input.at.getTime() / 1000);
  const id = input.id ?? `evt_local_${created}_${++sequence}`;
  const payload = JSON.stringify({
    id,
    object: "event",
    api_version: "2026-10-28.endive",
    created,
    livemode: false,
    pending_webhooks: 1,
    type: input.type,
    data: { object: input.object },
  });
  return { payload, header: StripeClass.webhooks.generateTestHeaderString({ payload, secret: input.secret, timestamp: created }) };
}
