import { DomainRuleError } from "@platform/core";
import { paymentsCodes } from "./error-codes.js";

/**
 * Lifecycle of a payment, after Stripe's PaymentIntent:
 * `created` (recorded, not yet sent; also held here while a fraud review is pending),
 * `requires_capture` (authorised, manual capture), `processing` (a gateway call is in flight or its
 * outcome is unknown), `requires_action` (the customer must act at the provider, e.g. 3-D Secure,
 * until `actionExpiresAt`), and the terminal `succeeded`, `failed`, `canceled`.
 * Refunds do not change the status: they are tracked by amounts (`refundStatus`).
 */
export type PaymentStatus = "created" | "requires_action" | "requires_capture" | "processing" | "succeeded" | "failed" | "canceled";

/** Every status, in lifecycle order. */
export const PAYMENT_STATUSES: readonly PaymentStatus[] = [
  "created",
  "processing",
  "requires_action",
  "requires_capture",
  "succeeded",
  "failed",
  "canceled",
];

// `processing -> requires_capture` covers both "manual authorisation confirmed" and
// "capture request declined, the authorisation still stands". `requires_action` is entered only from
// an authorisation the gateway answered, and left only by what the gateway then knows (the customer
// completed: requires_capture/succeeded; failed or abandoned: failed; expired or voided: canceled).
const TRANSITIONS: Readonly<Record<PaymentStatus, readonly PaymentStatus[]>> = {
  created: ["processing", "requires_capture", "succeeded", "failed", "canceled"],
  processing: ["requires_action", "requires_capture", "succeeded", "failed", "canceled"],
  requires_action: ["requires_capture", "succeeded", "failed", "canceled"],
  requires_capture: ["processing", "succeeded", "canceled"],
  succeeded: [],
  failed: [],
  canceled: [],
};

/** True when a payment may move from `from` to `to`. */
export function canTransition(from: PaymentStatus, to: PaymentStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/**
 * Checks a transition.
 * @throws DomainRuleError `invalid_transition` with `{ from, to }` details.
 */
export function assertTransition(from: PaymentStatus, to: PaymentStatus, paymentId?: string): void {
  if (!canTransition(from, to)) {
    throw new DomainRuleError(paymentsCodes.invalid_transition, `payment cannot move from ${from} to ${to}`, {
      details: { from, to, paymentId },
    });
  }
}

/** True for `succeeded`, `failed` and `canceled`. */
export function isTerminal(status: PaymentStatus): boolean {
  return TRANSITIONS[status].length === 0;
}
