import { DomainRuleError, Money } from "@platform/core";
import type { GatewayData } from "./gateway-data.js";
import { assertTransition, type PaymentStatus } from "./payment-status.js";
import { paymentsCodes } from "./error-codes.js";
import { coreCodes } from "@platform/core";

/** `automatic`: authorise and capture in one step. `manual`: authorise now, capture later. */
export type CaptureMethod = "automatic" | "manual";

/** How much of the captured amount went back: derived from the amounts. */
export type RefundStatus = "none" | "partially_refunded" | "refunded";

/** Why a payment failed or a gateway call was declined. */
export interface PaymentFailure {
  /** Stable snake_case code: `card_declined`, `fraud_blocked`, `gateway_unavailable` ... */
  readonly code: string;
  /** The provider's decline code when there is one. */
  readonly declineCode?: string | undefined;
  readonly message: string;
}

/** The fraud verdict recorded on a payment. */
export interface FraudAssessment {
  readonly outcome: "allow" | "block" | "review";
  /** 0 (harmless) to 100 (certain fraud). */
  readonly score: number;
  /** Ids (or names) of the rules that matched, the deciding one first. */
  readonly matchedRules: readonly string[];
  /** Why: `rule:<id>`, `score_threshold`, `default`. */
  readonly reason: string;
}

/** A manual review of a payment held by a `review` verdict. */
export interface PaymentReview {
  readonly status: "pending" | "approved" | "rejected";
  readonly openedAt: Date;
  readonly closedAt?: Date | undefined;
  readonly note?: string | undefined;
  /** The id of the actor who approved or rejected it (null or absent: an actor without id). */
  readonly decidedBy?: string | undefined;
}

/** Who pays: fed to fraud rules and velocity counts. */
export interface PaymentCustomer {
  readonly id?: string | undefined;
  readonly email?: string | undefined;
  readonly ip?: string | undefined;
  readonly country?: string | undefined;
}

/** What the gateway told us about the payment method (never a raw card number). */
export interface PaymentMethodDetails {
  /** `card`, `bank_transfer` ... */
  readonly type: string;
  readonly brand?: string | undefined;
  readonly last4?: string | undefined;
  /** Stable per card number, so one card used with many tokens is one velocity key. */
  readonly fingerprint?: string | undefined;
  readonly country?: string | undefined;
}

/**
 * The step the customer must take at the provider while a payment is `requires_action` (3-D Secure).
 * Handed to the host for its front end; kept on the payment only while the action is open (cleared
 * when the payment leaves `requires_action`) and never part of `toPaymentJSON`, events or webhooks.
 */
export interface CustomerAction {
  /** The provider's description of the step (Stripe's `next_action`: `use_stripe_sdk`, `redirect_to_url` ...), a plain JSON object. */
  readonly nextAction: Readonly<Record<string, unknown>>;
  /**
   * The secret the front end completes the step with (Stripe's PaymentIntent `client_secret`, for
   * Stripe.js `handleNextAction`). Give it only to the paying customer; never log it.
   */
  readonly clientSecret?: string | undefined;
}

/** The gateway operation in flight (or of unknown outcome) while the payment is `processing`. */
export type PendingOperation = "authorize" | "capture" | "void";

/** A payment: an intent to collect an amount through one gateway. Immutable: operations return a new one. */
export interface Payment {
  readonly id: string;
  readonly orderId?: string | undefined;
  readonly description?: string | undefined;
  /** Requested amount. */
  readonly amount: Money;
  readonly amountAuthorized: Money;
  readonly amountCaptured: Money;
  /** Sum of succeeded refunds. */
  readonly amountRefunded: Money;
  /** Sum of refunds sent and not yet settled: reserved so concurrent refunds cannot exceed the capture. */
  readonly amountRefundPending: Money;
  /**
   * How much of the capture went back (`none`, `partially_refunded`, `refunded`): always
   * `refundStatusOf(amountCaptured, amountRefunded)`, kept by every operation that moves them.
   */
  readonly refundStatus: RefundStatus;
  readonly status: PaymentStatus;
  readonly captureMethod: CaptureMethod;
  /** The gateway token, e.g. `pm_card_visa`. */
  readonly paymentMethod: string;
  readonly paymentMethodDetails: PaymentMethodDetails;
  readonly gateway: string;
  /** The gateway's reference of the charge (`TransactionID` in the specification). */
  readonly gatewayTransactionId?: string | undefined;
  /** The provider data of the latest gateway result that settled this payment (opaque; never in `toPaymentJSON`). */
  readonly gatewayData?: GatewayData | undefined;
  readonly pendingOperation?: PendingOperation | undefined;
  /** Amount of the capture in flight, when `pendingOperation` is `capture`. */
  readonly pendingCaptureAmount?: Money | undefined;
  readonly failure?: PaymentFailure | undefined;
  /** The last declined follow-up call (capture, void) that left the payment as it was. */
  readonly lastError?: PaymentFailure | undefined;
  readonly fraud: FraudAssessment;
  readonly review?: PaymentReview | undefined;
  readonly customer: PaymentCustomer;
  readonly metadata: Readonly<Record<string, string>>;
  readonly cancellationReason?: string | undefined;
  readonly authorizationExpiresAt?: Date | undefined;
  /** While `requires_action`: what the customer must do at the provider. */
  readonly customerAction?: CustomerAction | undefined;
  /** While `requires_action`: when `payments.expireActions()` cancels it (`requiresActionTtl` after the gateway asked). */
  readonly actionExpiresAt?: Date | undefined;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /** Optimistic concurrency version, +1 per save. */
  readonly version: number;
}

/** How much of the capture went back. */
export function refundStatusOf(p: Pick<Payment, "amountCaptured" | "amountRefunded">): RefundStatus {
  if (p.amountRefunded.isZero()) return "none";
  return p.amountRefunded.equals(p.amountCaptured) ? "refunded" : "partially_refunded";
}

/** What can still be refunded: captured minus succeeded and pending refunds. */
export function refundableAmount(p: Payment): Money {
  return p.amountCaptured.subtract(p.amountRefunded).subtract(p.amountRefundPending);
}

/** Checks refunded + pending <= captured <= authorised <= amount; a violation is a bug, so it throws. */
function assertAmountInvariants(p: Payment): void {
  const ok =
    !p.amountRefunded.isNegative() &&
    !p.amountRefundPending.isNegative() &&
    p.amountRefunded.add(p.amountRefundPending).lessThanOrEqual(p.amountCaptured) &&
    p.amountCaptured.lessThanOrEqual(p.amountAuthorized) &&
    p.amountAuthorized.lessThanOrEqual(p.amount);
  if (!ok)
    throw new DomainRuleError(paymentsCodes.amount_invariant_violated, `payment ${p.id} amounts are inconsistent`, {
      details: { paymentId: p.id },
    });
}

function move(p: Payment, to: PaymentStatus, now: Date, patch: Partial<Payment>): Payment {
  assertTransition(p.status, to, p.id);
  // The customer action lives only as long as the state that asked for it (its secret with it).
  const leaving = to === "requires_action" ? {} : { customerAction: undefined, actionExpiresAt: undefined };
  const moved: Payment = { ...p, ...leaving, ...patch, status: to, updatedAt: now };
  const next: Payment = { ...moved, refundStatus: refundStatusOf(moved) };
  assertAmountInvariants(next);
  return next;
}

/** Marks a gateway call as sent: the payment is `processing` until the outcome is recorded. */
export function markProcessing(p: Payment, op: PendingOperation, now: Date, captureAmount?: Money): Payment {
  return move(p, "processing", now, { pendingOperation: op, pendingCaptureAmount: captureAmount });
}

/** The gateway authorised (manual capture): `requires_capture` until captured, voided or expired. */
export function markAuthorized(p: Payment, reference: string, authorized: Money, expiresAt: Date, now: Date): Payment {
  return move(p, "requires_capture", now, {
    amountAuthorized: authorized,
    gatewayTransactionId: reference,
    authorizationExpiresAt: expiresAt,
    pendingOperation: undefined,
    pendingCaptureAmount: undefined,
  });
}

/**
 * The gateway needs the customer (3-D Secure): `requires_action` until the customer completes or
 * abandons the step, or `expiresAt` passes. No money moved yet.
 */
export function markRequiresAction(p: Payment, reference: string, action: CustomerAction, expiresAt: Date, now: Date): Payment {
  return move(p, "requires_action", now, {
    gatewayTransactionId: reference,
    customerAction: action,
    actionExpiresAt: expiresAt,
    pendingOperation: undefined,
    pendingCaptureAmount: undefined,
  });
}

/**
 * The gateway captured `captured` (<= the authorisation): `succeeded`. The uncaptured rest of the
 * authorisation is released, as Stripe does on a partial capture.
 * @throws DomainRuleError `capture_exceeds_authorized`.
 */
export function markCaptured(p: Payment, reference: string, authorized: Money, captured: Money, now: Date): Payment {
  if (captured.greaterThan(authorized)) {
    throw new DomainRuleError(paymentsCodes.capture_exceeds_authorized, `capture ${captured} exceeds authorised ${authorized}`, {
      details: { paymentId: p.id },
    });
  }
  return move(p, "succeeded", now, {
    amountAuthorized: authorized,
    amountCaptured: captured,
    gatewayTransactionId: reference,
    pendingOperation: undefined,
    pendingCaptureAmount: undefined,
    authorizationExpiresAt: undefined,
    lastError: undefined,
  });
}

/** The gateway declined or the payment was blocked: `failed` (terminal). */
export function markFailed(p: Payment, failure: PaymentFailure, now: Date, reference?: string): Payment {
  return move(p, "failed", now, {
    failure,
    gatewayTransactionId: reference ?? p.gatewayTransactionId,
    pendingOperation: undefined,
    pendingCaptureAmount: undefined,
  });
}

/** A capture or void was declined and the authorisation still stands: back to `requires_capture`. */
export function revertToAuthorized(p: Payment, error: PaymentFailure, now: Date): Payment {
  return move(p, "requires_capture", now, { lastError: error, pendingOperation: undefined, pendingCaptureAmount: undefined });
}

/** Voided (or never sent): `canceled` (terminal). */
export function markCanceled(p: Payment, reason: string, now: Date): Payment {
  return move(p, "canceled", now, {
    cancellationReason: reason,
    pendingOperation: undefined,
    pendingCaptureAmount: undefined,
    authorizationExpiresAt: undefined,
  });
}

/**
 * Validates a capture request against the authorisation.
 * @throws DomainRuleError `invalid_transition` when not `requires_capture`, `capture_exceeds_authorized`.
 */
export function assertCapturable(p: Payment, amount: Money): void {
  assertTransition(p.status, "processing", p.id);
  if (p.status !== "requires_capture") {
    throw new DomainRuleError(paymentsCodes.invalid_transition, `payment ${p.id} is ${p.status}, only requires_capture can be captured`, {
      details: { from: p.status, to: "succeeded" },
    });
  }
  if (amount.currency !== p.amount.currency) {
    throw new DomainRuleError(coreCodes.currency_mismatch, `capture in ${amount.currency} of a ${p.amount.currency} payment`, {
      details: { paymentId: p.id },
    });
  }
  if (amount.greaterThan(p.amountAuthorized)) {
    throw new DomainRuleError(paymentsCodes.capture_exceeds_authorized, `capture ${amount} exceeds authorised ${p.amountAuthorized}`, {
      details: { paymentId: p.id, authorized: p.amountAuthorized.toJSON() },
    });
  }
}

/** Reserves a refund amount on the payment. @throws DomainRuleError `invalid_transition`, `refund_exceeds_captured`, `currency_mismatch`. */
export function reserveRefund(p: Payment, amount: Money, now: Date): Payment {
  if (p.status !== "succeeded") {
    throw new DomainRuleError(paymentsCodes.invalid_transition, `payment ${p.id} is ${p.status}: only succeeded payments can be refunded`, {
      details: { from: p.status, to: "refunded" },
    });
  }
  if (amount.currency !== p.amount.currency) {
    throw new DomainRuleError(coreCodes.currency_mismatch, `refund in ${amount.currency} of a ${p.amount.currency} payment`, {
      details: { paymentId: p.id },
    });
  }
  const left = refundableAmount(p);
  // Nothing left (a default amount on a fully refunded payment) is refused like any excess.
  if (amount.greaterThan(left) || amount.isZero()) {
    throw new DomainRuleError(paymentsCodes.refund_exceeds_captured, `refund ${amount} exceeds the refundable ${left}`, {
      details: { paymentId: p.id, refundable: left.toJSON() },
    });
  }
  const next = { ...p, amountRefundPending: p.amountRefundPending.add(amount), updatedAt: now };
  assertAmountInvariants(next);
  return next;
}

/** Settles a reserved refund: succeeded moves it to `amountRefunded`, failed frees it again. */
export function settleRefund(p: Payment, amount: Money, succeeded: boolean, now: Date): Payment {
  const settled = {
    ...p,
    amountRefundPending: p.amountRefundPending.subtract(amount),
    amountRefunded: succeeded ? p.amountRefunded.add(amount) : p.amountRefunded,
    updatedAt: now,
  };
  const next: Payment = { ...settled, refundStatus: refundStatusOf(settled) };
  assertAmountInvariants(next);
  return next;
}
