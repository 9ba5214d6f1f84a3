import type { MoneyJSON } from "@platform/core";
import type { Payment, RefundStatus, CaptureMethod, PaymentFailure, FraudAssessment } from "./payment.js";
import type { PaymentStatus } from "./payment-status.js";

/** JSON-safe view of a payment (amounts as decimal strings, dates as ISO), used in events and webhooks. */
export interface PaymentJSON {
  id: string;
  orderId: string | null;
  amount: MoneyJSON;
  amountAuthorized: MoneyJSON;
  amountCaptured: MoneyJSON;
  amountRefunded: MoneyJSON;
  status: PaymentStatus;
  refundStatus: RefundStatus;
  captureMethod: CaptureMethod;
  paymentMethodType: string;
  gateway: string;
  gatewayTransactionId: string | null;
  failure: PaymentFailure | null;
  fraud: FraudAssessment;
  review: { status: string } | null;
  customerId: string | null;
  metadata: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

/** The JSON view of a payment; never contains the payment method token or customer PII beyond the id. */
export function toPaymentJSON(p: Payment): PaymentJSON {
  return {
    id: p.id,
    orderId: p.orderId ?? null,
    amount: p.amount.toJSON(),
    amountAuthorized: p.amountAuthorized.toJSON(),
    amountCaptured: p.amountCaptured.toJSON(),
    amountRefunded: p.amountRefunded.toJSON(),
    status: p.status,
    refundStatus: p.refundStatus,
    captureMethod: p.captureMethod,
    paymentMethodType: p.paymentMethodDetails.type,
    gateway: p.gateway,
    gatewayTransactionId: p.gatewayTransactionId ?? null,
    failure: p.failure ?? null,
    fraud: p.fraud,
    review: p.review ? { status: p.review.status } : null,
    customerId: p.customer.id ?? null,
    metadata: { ...p.metadata },
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}
