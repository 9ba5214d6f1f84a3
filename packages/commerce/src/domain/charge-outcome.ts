import { DomainRuleError, GatewayError, PlatformError } from "@platform/core";
import type { Order } from "./order.js";
import { commerceCodes } from "./error-codes.js";

/**
 * What a failed `PaymentPort.charge` call tells about the money. Only a definite failure allows
 * commerce to cancel the order and release its stock: a decline or any other non-retryable
 * `GatewayError`, or input refused before anything was sent (`ValidationError`, e.g.
 * `payment_method_required`). Everything else (a retryable `GatewayError` such as a timeout,
 * `idempotency_key_in_use`, `storage_unavailable` from the payment system, a plain `Error`) leaves
 * the outcome unknown: the charge may exist.
 */
export type ChargeFailure = { readonly kind: "declined"; readonly code: string } | { readonly kind: "unknown" };

/** Classifies an error thrown by `PaymentPort.charge` (see {@link ChargeFailure}). */
export function classifyChargeError(error: unknown): ChargeFailure {
  if (error instanceof GatewayError) return error.retryable ? { kind: "unknown" } : { kind: "declined", code: error.code };
  if (PlatformError.is(error) && error.kind === "gateway")
    return error.details.retryable === false ? { kind: "declined", code: error.code } : { kind: "unknown" };
  if (PlatformError.is(error) && error.kind === "validation") return { kind: "declined", code: error.code };
  return { kind: "unknown" };
}

/**
 * The retryable error a checkout answers while its charge outcome is unknown: the order stays
 * pending with its stock held, and a retry with the same idempotency key resumes it. A retryable
 * `GatewayError` is passed on as it is; anything else becomes `payment_pending` (its code in
 * `details.causeCode`).
 */
export function unknownOutcomeError(error: unknown, orderId: string): GatewayError {
  if (error instanceof GatewayError && error.retryable) return error;
  return new GatewayError(commerceCodes.payment_pending, "the outcome of the payment is unknown; retry with the same idempotency key", {
    provider: "payment_port",
    retryable: true,
    cause: error,
    details: { orderId, causeCode: PlatformError.is(error) ? error.code : null },
  });
}

/** The idempotency key of an order's charge (the same on every retry and lookup). */
export function chargeKeyOf(orderId: string): string {
  return `order_${orderId}`;
}

/**
 * The error a checkout retry answers for a canceled order, once its charge is resolved: the
 * refund (reservation expired / canceled), the decline, or `payment_pending` while still unknown.
 */
export function canceledCheckoutError(order: Order): Error {
  const p = order.payment;
  if (p.status === "pending")
    return new GatewayError(commerceCodes.payment_pending, "the outcome of this order's payment is still unknown; retry later", {
      provider: "payment_port",
      retryable: true,
    });
  if (p.status === "failed")
    return new GatewayError(p.failureCode ?? "payment_failed", "the payment of this checkout failed", {
      provider: "payment_port",
      retryable: false,
    });
  const refunded = p.status === "refunded" || p.status === "refund_pending" ? "; the payment was refunded" : "";
  return order.cancelReason === "reservation_expired"
    ? new DomainRuleError(commerceCodes.reservation_expired, `the stock reservation expired before the payment completed${refunded}`)
    : new DomainRuleError(commerceCodes.order_canceled, `the order was canceled${refunded}`);
}
