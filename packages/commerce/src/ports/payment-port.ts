import type { Money } from "@platform/core";

/** A charge request sent by checkout. */
export interface ChargeRequest {
  readonly orderId: string;
  readonly customerId: string;
  readonly amount: Money;
  /** Opaque token from the client (card token, payment method id). */
  readonly paymentToken: string | null;
  /** Derived from the order id: the gateway must treat a repeat as the same charge. */
  readonly idempotencyKey: string;
  readonly description: string;
}

/** A successful charge. */
export interface ChargeResult {
  /** The gateway's payment id, kept on the order for refunds. */
  readonly reference: string;
}

/** A refund request (cancel after payment, or refund after delivery). */
export interface RefundRequest {
  readonly orderId: string;
  readonly reference: string;
  readonly amount: Money;
  readonly idempotencyKey: string;
  readonly reason: string;
}

/** A lookup of a charge whose outcome checkout did not learn (timeout, crash). */
export interface ChargeLookup {
  readonly orderId: string;
  /** The idempotency key the charge was sent with (`order_<orderId>`). */
  readonly idempotencyKey: string;
  /** The gateway's payment id when the failed call reported one (`GatewayError.details.reference`), else null. */
  readonly reference: string | null;
}

/**
 * What the gateway knows about a charge: `succeeded` (money taken), `failed` (no money taken),
 * `pending` (still unknown: ask again later) or `not_found` (never received: no money taken).
 */
export type ChargeStatus =
  | { readonly status: "succeeded"; readonly reference: string }
  | { readonly status: "failed"; readonly code: string }
  | { readonly status: "pending"; readonly reference: string | null }
  | { readonly status: "not_found" };

/**
 * How commerce takes money. Checkout calls it OUTSIDE any store transaction.
 * A decline or gateway failure must be thrown as a `GatewayError` (its `code` is recorded
 * on the order); anything else is treated as a failure too. A retryable GatewayError means the
 * outcome is unknown (the charge may have happened): put the gateway's payment id in
 * `details.reference` when known, so {@link PaymentPort.retrieve} can resolve it later.
 */
export interface PaymentPort {
  /**
   * True for a port that moves no real money (a test double such as `TestPaymentPort`). Such a port
   * is refused when `NODE_ENV=production` unless the host passes `allowTestPaymentPort: true`.
   */
  readonly testMode?: boolean | undefined;
  /** Charges (authorises and captures) the amount. */
  charge(request: ChargeRequest): Promise<ChargeResult>;
  /**
   * Resolves a charge whose outcome is unknown, by its idempotency key or reference (the gateway
   * answers with the stored or reconciled result; it never charges again).
   */
  retrieve(lookup: ChargeLookup): Promise<ChargeStatus>;
  /** Refunds a captured charge, in full or in part. */
  refund(request: RefundRequest): Promise<{ reference: string }>;
}
