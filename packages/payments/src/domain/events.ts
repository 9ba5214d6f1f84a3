import type { PaymentJSON } from "./payment-json.js";
import type { RefundJSON } from "./refund.js";

/** Payload of every `payment.*` event: the payment as it stands after the change. */
export interface PaymentEventData {
  payment: PaymentJSON;
}

/** Payload of every `refund.*` event. */
export interface RefundEventData {
  refund: RefundJSON;
  payment: PaymentJSON;
}

/**
 * Events of the payment system, published on `system.events` after commit and fed to webhooks.
 * `payment.authorized`: funds held (manual capture, or just before an automatic capture is recorded).
 * `payment.processing_started`: the gateway outcome is unknown (timeout); `reconcile()` settles it.
 * `payment.action_required`: the customer must complete a step at the provider (3-D Secure); the
 * payload never carries the client secret (read `customerAction` from `payments.get` on the server).
 */
export interface PaymentEventMap {
  "payment.created": PaymentEventData;
  "payment.review_required": PaymentEventData;
  "payment.review_approved": PaymentEventData;
  "payment.processing_started": PaymentEventData;
  "payment.action_required": PaymentEventData;
  "payment.authorized": PaymentEventData;
  "payment.succeeded": PaymentEventData;
  "payment.failed": PaymentEventData;
  "payment.canceled": PaymentEventData;
  "payment.capture_failed": PaymentEventData;
  "payment.refunded": PaymentEventData;
  "refund.created": RefundEventData;
  "refund.succeeded": RefundEventData;
  "refund.failed": RefundEventData;
  [type: string]: unknown;
}

/** Every event type the system emits. */
export const PAYMENT_EVENT_TYPES = [
  "payment.created",
  "payment.review_required",
  "payment.review_approved",
  "payment.processing_started",
  "payment.action_required",
  "payment.authorized",
  "payment.succeeded",
  "payment.failed",
  "payment.canceled",
  "payment.capture_failed",
  "payment.refunded",
  "refund.created",
  "refund.succeeded",
  "refund.failed",
] as const;
/** A known event type. */
export type PaymentEventType = (typeof PAYMENT_EVENT_TYPES)[number];
