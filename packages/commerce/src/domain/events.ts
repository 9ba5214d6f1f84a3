import type { MoneyJSON } from "@platform/core";

/** Every event of the commerce platform, by type. Payloads are JSON-safe. */
export type CommerceEvents = {
  "product.created": { productId: string; sku: string };
  "product.updated": { productId: string; version: number; status: string };
  "category.created": { categoryId: string; parentId: string | null };
  "category.moved": { categoryId: string; parentId: string | null };
  "customer.registered": { customerId: string; email: string };
  "customer.logged_in": { customerId: string };
  "customer.password_changed": { customerId: string };
  /** Someone registered (uniformly) with the e-mail of this existing customer. */
  "customer.registration_attempted": { customerId: string };
  "cart.updated": { cartId: string; customerId: string | null; lineCount: number };
  "cart.merged": { cartId: string; guestCartId: string; customerId: string; skippedLines: number };
  "inventory.adjusted": { productId: string; variantId: string | null; delta: number; reason: string; onHand: number };
  "inventory.low_stock_reached": { productId: string; variantId: string | null; available: number; threshold: number };
  "inventory.reservation_expired": { reservationId: string };
  "order.placed": { orderId: string; customerId: string; total: MoneyJSON };
  "order.paid": { orderId: string; customerId: string; total: MoneyJSON; paymentReference: string };
  "order.payment_failed": { orderId: string; customerId: string; code: string };
  /** The order's payment waits for the customer (3-D Secure); never carries the client secret. */
  "order.payment_action_required": { orderId: string; customerId: string; paymentReference: string };
  "order.fulfilled": { orderId: string; status: string };
  "order.shipped": { orderId: string; customerId: string; trackingNumber: string | null };
  "order.delivered": { orderId: string; customerId: string };
  "order.canceled": { orderId: string; customerId: string; reason: string };
  "order.refunded": { orderId: string; customerId: string; amount: MoneyJSON };
  "notification.failed": { kind: "email" | "sms"; template: string; to: string; attempts: number; code: string };
};
