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

/**
 * How commerce takes money. Checkout calls it OUTSIDE any store transaction.
 * A decline or gateway failure must be thrown as a `GatewayError` (its `code` is recorded
 * on the order); anything else is treated as a failure too.
 */
export interface PaymentPort {
  /** Charges (authorises and captures) the amount. */
  charge(request: ChargeRequest): Promise<ChargeResult>;
  /** Refunds a captured charge, in full or in part. */
  refund(request: RefundRequest): Promise<{ reference: string }>;
}
