import { Money } from "@platform/core";
import type { AddressSnapshot } from "../../domain/address.js";
import type { Order, OrderPayment, OrderStatus } from "../../domain/order.js";

/** An order row as {@link ORDER_SELECT} reads it (items aggregated as JSON). */
export interface OrderRow {
  id: string;
  user_id: string;
  status: OrderStatus;
  currency: string;
  subtotal: string;
  shipping: string;
  tax: string;
  total: string;
  shipping_address: AddressSnapshot | null;
  billing_address: AddressSnapshot | null;
  reservation_id: string | null;
  idempotency_key: string;
  request_fingerprint: string;
  payment_reference: string | null;
  payment_status: OrderPayment["status"];
  payment_failure_code: string | null;
  refund_attempts: number;
  tracking_number: string | null;
  cancel_reason: string | null;
  created_at: Date;
  updated_at: Date;
  version: number;
  items: {
    lineId: string;
    productId: string;
    variantId: string | null;
    sku: string;
    name: string;
    quantity: number;
    price: string;
    total: string;
    currency: string;
    fulfilled: number;
  }[];
}

/** A full order read, `o` being the orders table. */
export const ORDER_SELECT = `SELECT o.id, o.user_id, o.status, o.currency, o.subtotal::text AS subtotal, o.shipping::text AS shipping, o.tax::text AS tax,
  o.total::text AS total, o.shipping_address, o.billing_address, o.reservation_id, o.idempotency_key, o.request_fingerprint,
  o.payment_reference, o.payment_status, o.payment_failure_code, o.refund_attempts, o.tracking_number, o.cancel_reason, o.created_at, o.updated_at, o.version,
  COALESCE((SELECT json_agg(json_build_object('lineId', i.line_id, 'productId', i.product_id, 'variantId', i.variant_id, 'sku', i.sku, 'name', i.name,
     'quantity', i.quantity, 'price', i.price::text, 'total', i.total::text, 'currency', i.currency, 'fulfilled', i.fulfilled_quantity) ORDER BY i.position)
   FROM order_items i WHERE i.order_id = o.id), '[]') AS items
  FROM orders o`;

/** Maps an {@link OrderRow} to the domain order. */
export function toOrder(r: OrderRow): Order {
  return {
    id: r.id,
    customerId: r.user_id,
    status: r.status,
    currency: r.currency,
    lines: r.items.map((i) => ({
      lineId: i.lineId,
      productId: i.productId,
      variantId: i.variantId,
      sku: i.sku,
      name: i.name,
      quantity: i.quantity,
      unitPrice: Money.of(i.price, i.currency),
      lineTotal: Money.of(i.total, i.currency),
      fulfilledQuantity: i.fulfilled,
    })),
    subtotal: Money.of(r.subtotal, r.currency),
    shipping: Money.of(r.shipping, r.currency),
    tax: Money.of(r.tax, r.currency),
    total: Money.of(r.total, r.currency),
    shippingAddress: r.shipping_address,
    billingAddress: r.billing_address,
    reservationId: r.reservation_id,
    idempotencyKey: r.idempotency_key,
    requestFingerprint: r.request_fingerprint,
    payment: {
      reference: r.payment_reference,
      status: r.payment_status,
      failureCode: r.payment_failure_code,
      refundAttempts: r.refund_attempts,
    },
    trackingNumber: r.tracking_number,
    cancelReason: r.cancel_reason,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}

/** Column values of an order in the order of `ORDER_COLUMNS`. */
export function orderValues(o: Order): unknown[] {
  return [
    o.id,
    o.customerId,
    o.status,
    o.currency,
    o.subtotal.toFixed(),
    o.shipping.toFixed(),
    o.tax.toFixed(),
    o.total.toFixed(),
    o.shippingAddress ? JSON.stringify(o.shippingAddress) : null,
    o.billingAddress ? JSON.stringify(o.billingAddress) : null,
    o.reservationId,
    o.idempotencyKey,
    o.requestFingerprint,
    o.payment.reference,
    o.payment.status,
    o.payment.failureCode,
    o.payment.refundAttempts,
    o.trackingNumber,
    o.cancelReason,
    o.createdAt,
    o.updatedAt,
    o.version,
  ];
}

/** The written columns of `orders`, matching {@link orderValues}. */
export const ORDER_COLUMNS = [
  "id",
  "user_id",
  "status",
  "currency",
  "subtotal",
  "shipping",
  "tax",
  "total",
  "shipping_address",
  "billing_address",
  "reservation_id",
  "idempotency_key",
  "request_fingerprint",
  "payment_reference",
  "payment_status",
  "payment_failure_code",
  "refund_attempts",
  "tracking_number",
  "cancel_reason",
  "created_at",
  "updated_at",
  "version",
] as const;
