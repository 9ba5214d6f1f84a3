import { Money } from "@platform/core";
import { refundStatusOf, type Payment, type PaymentReview } from "../../domain/payment.js";

/** A `payments` row as node-postgres returns it (numeric as string, jsonb parsed). */
export interface PaymentRow {
  id: string;
  order_id: string | null;
  description: string | null;
  amount: string;
  currency: string;
  amount_authorized: string;
  amount_captured: string;
  amount_refunded: string;
  amount_refund_pending: string;
  status: Payment["status"];
  capture_method: Payment["captureMethod"];
  method: string;
  method_details: Payment["paymentMethodDetails"];
  gateway: string;
  transaction_id: string | null;
  pending_operation: Payment["pendingOperation"] | null;
  pending_capture_amount: string | null;
  failure: Payment["failure"] | null;
  last_error: Payment["lastError"] | null;
  fraud: Payment["fraud"];
  review: { status: PaymentReview["status"]; openedAt: string; closedAt?: string; note?: string; decidedBy?: string } | null;
  customer_id: string | null;
  customer_email: string | null;
  customer_ip: string | null;
  customer_country: string | null;
  metadata: Record<string, string>;
  cancellation_reason: string | null;
  authorization_expires_at: Date | null;
  created_at: Date;
  updated_at: Date;
  version: number;
  gateway_data: Payment["gatewayData"] | null;
  customer_action: Payment["customerAction"] | null;
  action_expires_at: Date | null;
}

/** Every column of `payments`, in the order of {@link paymentValues}. */
export const PAYMENT_COLUMNS = [
  "id",
  "order_id",
  "description",
  "amount",
  "currency",
  "amount_authorized",
  "amount_captured",
  "amount_refunded",
  "amount_refund_pending",
  "status",
  "capture_method",
  "method",
  "method_details",
  "gateway",
  "transaction_id",
  "pending_operation",
  "pending_capture_amount",
  "failure",
  "last_error",
  "fraud",
  "review",
  "customer_id",
  "customer_email",
  "customer_ip",
  "customer_country",
  "metadata",
  "cancellation_reason",
  "authorization_expires_at",
  "created_at",
  "updated_at",
  "version",
  "gateway_data",
  "customer_action",
  "action_expires_at",
] as const;

const opt = <T>(v: T | null): T | undefined => (v === null ? undefined : v);
const json = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));

/** Query parameters of a payment, in {@link PAYMENT_COLUMNS} order (amounts at the currency's scale). */
export function paymentValues(p: Payment): unknown[] {
  return [
    p.id,
    p.orderId ?? null,
    p.description ?? null,
    p.amount.toFixed(),
    p.amount.currency,
    p.amountAuthorized.toFixed(),
    p.amountCaptured.toFixed(),
    p.amountRefunded.toFixed(),
    p.amountRefundPending.toFixed(),
    p.status,
    p.captureMethod,
    p.paymentMethod,
    json(p.paymentMethodDetails),
    p.gateway,
    p.gatewayTransactionId ?? null,
    p.pendingOperation ?? null,
    p.pendingCaptureAmount?.toFixed() ?? null,
    json(p.failure),
    json(p.lastError),
    json(p.fraud),
    json(p.review),
    p.customer.id ?? null,
    p.customer.email ?? null,
    p.customer.ip ?? null,
    p.customer.country ?? null,
    json(p.metadata),
    p.cancellationReason ?? null,
    p.authorizationExpiresAt ?? null,
    p.createdAt,
    p.updatedAt,
    p.version,
    json(p.gatewayData),
    json(p.customerAction),
    p.actionExpiresAt ?? null,
  ];
}

/** A payment from its row. */
export function toPayment(r: PaymentRow): Payment {
  const money = (v: string) => Money.of(v, r.currency);
  const customer = {
    ...(r.customer_id !== null ? { id: r.customer_id } : {}),
    ...(r.customer_email !== null ? { email: r.customer_email } : {}),
    ...(r.customer_ip !== null ? { ip: r.customer_ip } : {}),
    ...(r.customer_country !== null ? { country: r.customer_country } : {}),
  };
  const review: PaymentReview | undefined = r.review
    ? { ...r.review, openedAt: new Date(r.review.openedAt), closedAt: r.review.closedAt ? new Date(r.review.closedAt) : undefined }
    : undefined;
  return {
    id: r.id,
    orderId: opt(r.order_id),
    description: opt(r.description),
    amount: money(r.amount),
    amountAuthorized: money(r.amount_authorized),
    amountCaptured: money(r.amount_captured),
    amountRefunded: money(r.amount_refunded),
    amountRefundPending: money(r.amount_refund_pending),
    // Derived, never stored: it cannot disagree with the amounts it is computed from.
    refundStatus: refundStatusOf({ amountCaptured: money(r.amount_captured), amountRefunded: money(r.amount_refunded) }),
    status: r.status,
    captureMethod: r.capture_method,
    paymentMethod: r.method,
    paymentMethodDetails: r.method_details,
    gateway: r.gateway,
    gatewayTransactionId: opt(r.transaction_id),
    ...(r.gateway_data !== null ? { gatewayData: r.gateway_data } : {}),
    pendingOperation: opt(r.pending_operation),
    pendingCaptureAmount: r.pending_capture_amount === null ? undefined : money(r.pending_capture_amount),
    failure: opt(r.failure),
    lastError: opt(r.last_error),
    fraud: r.fraud,
    review,
    customer,
    metadata: r.metadata,
    cancellationReason: opt(r.cancellation_reason),
    authorizationExpiresAt: opt(r.authorization_expires_at),
    ...(r.customer_action !== null ? { customerAction: r.customer_action } : {}),
    ...(r.action_expires_at !== null ? { actionExpiresAt: r.action_expires_at } : {}),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}
