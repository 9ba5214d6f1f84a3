import { createHash } from "node:crypto";
import type Stripe from "stripe";
import type { CustomerAction } from "../../domain/payment.js";
import type { GatewayPaymentState } from "../../ports/payment-gateway.js";
import { fromStripeAmount } from "./stripe-amounts.js";

/** The metadata key that carries our payment id on every PaymentIntent, so `retrieve` finds it after a lost answer. */
export const PAYMENT_ID_METADATA_KEY = "platform_payment_id";
/** The metadata key that carries our refund id on every Refund. */
export const REFUND_ID_METADATA_KEY = "platform_refund_id";

/**
 * What Stripe knows about a payment, kept on the gateway's results: the PaymentIntent and charge ids
 * and the card's brand and last 4. A flat record of strings, so it maps onto a payment's opaque
 * `gatewayData` as it is.
 */
export type StripeGatewayData = {
  readonly provider: "stripe";
  readonly paymentIntentId: string;
  readonly paymentIntentStatus: string;
  readonly chargeId?: string | undefined;
  readonly paymentMethodId?: string | undefined;
  readonly brand?: string | undefined;
  readonly last4?: string | undefined;
  readonly livemode: string;
};

/**
 * Stripe's Idempotency-Key for one step (`create`, `confirm`, `capture`, `cancel`, `refund`) of an SDK
 * request: the same SDK key always gives the same Stripe key, so a re-send after a crash is answered
 * with the first result; different steps never share one (Stripe refuses a key reused with other
 * parameters). Keys past Stripe's 255 characters are hashed.
 */
export function stripeIdempotencyKey(sdkKey: string, step: string): string {
  const key = `${sdkKey}:${step}`;
  return key.length <= 255 ? key : `sha256:${createHash("sha256").update(sdkKey).digest("hex")}:${step}`;
}

function chargeOf(pi: Stripe.PaymentIntent): Stripe.Charge | undefined {
  return typeof pi.latest_charge === "object" && pi.latest_charge !== null ? pi.latest_charge : undefined;
}

/** The provider data of a PaymentIntent (card details only when `latest_charge` was expanded). */
export function gatewayDataOf(pi: Stripe.PaymentIntent): StripeGatewayData {
  const charge = chargeOf(pi);
  const card = charge?.payment_method_details?.card ?? undefined;
  return {
    provider: "stripe",
    paymentIntentId: pi.id,
    paymentIntentStatus: pi.status,
    chargeId: charge?.id ?? (typeof pi.latest_charge === "string" ? pi.latest_charge : undefined),
    paymentMethodId: typeof pi.payment_method === "string" ? pi.payment_method : pi.payment_method?.id,
    brand: card?.brand ?? undefined,
    last4: card?.last4 ?? undefined,
    livemode: String(pi.livemode),
  };
}

/**
 * The customer's step of a PaymentIntent in `requires_action`: its `next_action` (a plain JSON
 * object for Stripe.js) and `client_secret`.
 */
export function actionOf(pi: Stripe.PaymentIntent): CustomerAction {
  const next = pi.next_action ? (JSON.parse(JSON.stringify(pi.next_action)) as Record<string, unknown>) : { type: "unknown" };
  return { nextAction: next, clientSecret: pi.client_secret ?? undefined };
}

/** The decline code of a PaymentIntent's last failed attempt, if any. */
export function declineCodeOf(pi: Stripe.PaymentIntent): string | undefined {
  const e = pi.last_payment_error;
  return e ? e.decline_code || e.code || "generic_decline" : undefined;
}

/**
 * A PaymentIntent as the provider's view for reconciliation. An intent that was never confirmed (no
 * attempt, no error) is `not_found`: no charge was tried, so the authorisation may be re-sent with its
 * keys. `requires_action` waits for the customer, with the step for the front end.
 */
export function stateOf(pi: Stripe.PaymentIntent): GatewayPaymentState & { gatewayData: StripeGatewayData } {
  const base = { reference: pi.id, gatewayData: gatewayDataOf(pi), amountAuthorized: fromStripeAmount(pi.amount, pi.currency) };
  switch (pi.status) {
    case "succeeded":
      return { ...base, status: "captured", amountCaptured: fromStripeAmount(pi.amount_received, pi.currency) };
    case "requires_capture":
      return {
        ...base,
        status: "authorized",
        amountAuthorized: fromStripeAmount(pi.amount_capturable, pi.currency),
        amountCaptured: fromStripeAmount(0, pi.currency),
      };
    case "canceled":
      return { ...base, status: "voided" };
    case "processing":
      return { ...base, status: "pending" };
    case "requires_action":
      return { ...base, status: "requires_action", action: actionOf(pi) };
    default: {
      const declineCode = declineCodeOf(pi);
      return declineCode ? { ...base, status: "failed", declineCode } : { ...base, status: "not_found" };
    }
  }
}
