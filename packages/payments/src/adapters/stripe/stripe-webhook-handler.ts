import { ValidationError, type Actor } from "@platform/core";
import type Stripe from "stripe";
import type { PaymentSystem } from "../../create-payment-system.js";
import type { GatewayEventInput, GatewayEventResult } from "../../services/gateway-event-service.js";
import { PAYMENT_ID_METADATA_KEY, REFUND_ID_METADATA_KEY, stateOf } from "./stripe-intents.js";
import { verifyStripeWebhook } from "./stripe-webhook.js";
import { fromStripeAmount } from "./stripe-amounts.js";
import { paymentsCodes } from "../../domain/error-codes.js";

/** Options of {@link handleStripeWebhook}. */
export interface HandleStripeWebhookOptions {
  /** The endpoint's signing secret (`whsec_...`), from configuration. */
  secret: string | undefined;
  /** The registered name of the Stripe gateway the endpoint belongs to (default `stripe`). */
  gateway?: string;
  /** Largest accepted age of the signature, in seconds (default 300, as Stripe). */
  toleranceSeconds?: number;
}

/**
 * The actor {@link handleStripeWebhook} applies verified Stripe events with: `admin`, the role
 * `gatewayEvents.apply` needs. The signature check is its authentication; no caller's actor is involved.
 */
export const STRIPE_WEBHOOK_ACTOR: Actor = Object.freeze({ id: "stripe-webhook", roles: Object.freeze(["admin"]) as readonly string[] });

/** What {@link handleStripeWebhook} did with a delivery; every result is acknowledged (HTTP 200). */
export interface StripeWebhookResult extends GatewayEventResult {
  readonly eventId: string;
  readonly type: string;
}

type RefundInput = NonNullable<GatewayEventInput["refunds"]>[number];
type ExternalRefund = NonNullable<GatewayEventInput["externalRefunds"]>[number];
const REASONS = new Set(["duplicate", "fraudulent", "requested_by_customer"]);

/**
 * A Stripe Refund as the payment system's input: ours (made by the SDK, named by `platform_refund_id`) or
 * external (made in Stripe's dashboard: no metadata of ours, so imported by Stripe's refund and
 * PaymentIntent ids).
 */
function refundOf(r: Stripe.Refund): { ours: RefundInput } | { external: ExternalRefund } | undefined {
  const status = r.status === "succeeded" ? "succeeded" : r.status === "failed" || r.status === "canceled" ? "failed" : "pending";
  const common = {
    reference: r.id,
    status,
    declineCode: r.failure_reason ?? undefined,
    gatewayData: { provider: "stripe", refundId: r.id, refundStatus: r.status ?? "unknown" },
  } as const;
  const refundId = r.metadata?.[REFUND_ID_METADATA_KEY];
  if (refundId) return { ours: { refundId, ...common } };
  const intent = typeof r.payment_intent === "string" ? r.payment_intent : r.payment_intent?.id;
  if (!intent || typeof r.id !== "string" || typeof r.amount !== "number" || typeof r.currency !== "string") return undefined;
  const reason = r.reason && REASONS.has(r.reason) ? (r.reason as ExternalRefund["reason"]) : "other";
  return { external: { ...common, paymentReference: intent, amount: fromStripeAmount(r.amount, r.currency).toJSON(), reason } };
}

/** Refunds of an event, split into ours and external ones (see {@link refundOf}). */
function refundsInput(refunds: readonly Stripe.Refund[]): Pick<GatewayEventInput, "refunds" | "externalRefunds"> | undefined {
  const read = refunds.map(refundOf).filter((r) => r !== undefined);
  const ours = read.flatMap((r) => ("ours" in r ? [r.ours] : []));
  const external = read.flatMap((r) => ("external" in r ? [r.external] : []));
  if (ours.length === 0 && external.length === 0) return undefined;
  return { refunds: ours, ...(external.length > 0 ? { externalRefunds: external } : {}) };
}

/** The event as the payment system's input, or undefined when it names nothing of ours. */
function inputOf(event: Stripe.Event, gateway: string): GatewayEventInput | undefined {
  const base = { gateway, eventId: event.id, type: event.type };
  if (event.type.startsWith("payment_intent.")) {
    const pi = event.data.object as Stripe.PaymentIntent;
    const paymentId = pi.metadata?.[PAYMENT_ID_METADATA_KEY];
    if (!paymentId) return undefined;
    // Signed by Stripe, yet still read as untrusted: an object without the fields a PaymentIntent
    // always has is refused with a code (nothing changes) instead of failing with a TypeError.
    if (typeof pi.id !== "string" || typeof pi.amount !== "number" || typeof pi.currency !== "string" || typeof pi.status !== "string") {
      throw ValidationError.field(
        paymentsCodes.invalid_webhook_payload,
        "data.object",
        `Stripe event ${event.id} carries an incomplete PaymentIntent`,
      );
    }
    return { ...base, payment: { paymentId, reference: pi.id, state: stateOf(pi) } };
  }
  if (event.type === "charge.refund.updated" || event.type.startsWith("refund.")) {
    const refunds = refundsInput([event.data.object as Stripe.Refund]);
    return refunds ? { ...base, ...refunds } : undefined;
  }
  // charge.refunded: a Charge; under current API versions its `refunds` list is not included, so
  // refunds settle by refund.* / charge.refund.updated (or refunds.reconcilePending) when it is absent.
  const charge = event.data.object as Stripe.Charge;
  return { ...base, refunds: [], ...refundsInput(charge.refunds?.data ?? []) };
}

/**
 * The Stripe webhook endpoint: verifies the delivery (`verifyStripeWebhook`: the stripe SDK's
 * `webhooks.constructEvent` on the raw body, the signature's age against the system's clock), then
 * applies `payment_intent.succeeded`, `.payment_failed`, `.requires_action`, `.canceled`,
 * `charge.refunded`, `charge.refund.updated` and `refund.created`, `.updated`, `.failed` to the payment
 * or refund named in the object's metadata (`platform_payment_id`, `platform_refund_id`), through
 * `system.gatewayEvents`: each event once by its id across processes, never moving a payment backwards.
 * A refund without `platform_refund_id` (made in Stripe's dashboard) is imported as a refund of the
 * payment holding its PaymentIntent, once by Stripe's refund id, and settled by its status. It applies them as
 * {@link STRIPE_WEBHOOK_ACTOR} (`admin`): the verified signature is what authorises the delivery.
 *
 * Answer HTTP 200 for every result (including `ignored` for other event types and `unknown_payment`
 * for objects that are not ours: another integration on the same account; Stripe would otherwise
 * retry them for days). Answer an error (e.g. `toHttpError`) when it throws: a refused signature is
 * 401, and a storage failure (503) lets Stripe deliver again later.
 * @throws AuthenticationError `stripe_signature_missing`, `stripe_signature_invalid`, `stripe_signature_stale` (nothing changed).
 * @throws ConfigurationError `stripe_webhook_secret_missing`, `stripe_webhook_secret_malformed`, `missing_peer_dependency`.
 * @throws ValidationError `unknown_gateway` when `options.gateway` is not registered; `invalid_webhook_payload`
 *   for a signed event whose PaymentIntent lacks its id, amount, currency or status (nothing changed).
 * @example
 * ```ts
 * app.post("/webhooks/stripe", async (req, res) => {
 *   const result = await handleStripeWebhook(system, req.rawBody, req.headers["stripe-signature"], { secret: process.env.STRIPE_WEBHOOK_SECRET });
 *   res.status(200).json({ received: true, outcome: result.outcome });
 * });
 * ```
 */
export async function handleStripeWebhook(
  system: Pick<PaymentSystem, "gatewayEvents" | "clock">,
  rawBody: string | Buffer,
  signatureHeader: string | undefined,
  options: HandleStripeWebhookOptions,
): Promise<StripeWebhookResult> {
  const { event, relevant } = await verifyStripeWebhook(rawBody, signatureHeader, {
    secret: options.secret,
    now: system.clock.now(),
    ...(options.toleranceSeconds !== undefined ? { toleranceSeconds: options.toleranceSeconds } : {}),
  });
  const named = { eventId: event.id, type: event.type };
  if (!relevant) return { ...named, outcome: "ignored" };
  const input = inputOf(event, options.gateway ?? "stripe");
  if (!input) return { ...named, outcome: event.type.startsWith("payment_intent.") ? "unknown_payment" : "unknown_refund" };
  return { ...named, ...(await system.gatewayEvents.apply(STRIPE_WEBHOOK_ACTOR, input)) };
}
