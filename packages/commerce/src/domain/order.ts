import { z } from "zod";
import { DomainRuleError, type Money, type MoneyJSON } from "@platform/core";
import type { AddressSnapshot } from "./address.js";
import { refSchema } from "./schemas.js";
import { addressFieldsSchema } from "./address.js";
import { commerceCodes } from "./error-codes.js";

/** States of an order. */
export const orderStatusSchema = z.enum([
  "pending",
  "paid",
  "partially_fulfilled",
  "fulfilled",
  "shipped",
  "delivered",
  "canceled",
  "refunded",
]);
/** An order status. */
export type OrderStatus = z.infer<typeof orderStatusSchema>;

/**
 * Allowed transitions. Cancel is possible until shipping; after shipping the way back is
 * a refund.
 */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending: ["paid", "canceled"],
  paid: ["partially_fulfilled", "fulfilled", "canceled", "refunded"],
  partially_fulfilled: ["partially_fulfilled", "fulfilled", "canceled"],
  fulfilled: ["shipped", "canceled"],
  shipped: ["delivered", "refunded"],
  delivered: ["refunded"],
  canceled: [],
  refunded: [],
};

/** @throws DomainRuleError `invalid_transition`. */
export function assertTransition(from: OrderStatus, to: OrderStatus): void {
  if (!ORDER_TRANSITIONS[from].includes(to)) {
    throw new DomainRuleError(commerceCodes.invalid_transition, `an order cannot go from ${from} to ${to}`, { details: { from, to } });
  }
}

/** A line of an order: the catalog data and price frozen at checkout. */
export interface OrderLine {
  readonly lineId: string;
  readonly productId: string;
  readonly variantId: string | null;
  readonly sku: string;
  readonly name: string;
  readonly quantity: number;
  readonly unitPrice: Money;
  readonly lineTotal: Money;
  readonly fulfilledQuantity: number;
}

/**
 * The step the customer must take for an order's payment (3-D Secure), for the host's front end.
 * Only in the answer of the checkout that met it (and of its retries with the same key): never
 * stored with the order, so the client secret never sits in commerce's storage, events or logs.
 */
export interface OrderPaymentAction {
  /** The secret the front end completes the step with (Stripe.js `handleNextAction`); give it to the paying customer only. */
  readonly clientSecret: string | null;
  /** The provider's description of the step (Stripe's `next_action`). */
  readonly nextAction: Readonly<Record<string, unknown>>;
}

/** The payment of an order as recorded from the {@link PaymentPort}. */
export interface OrderPayment {
  readonly reference: string | null;
  /**
   * `pending`: the charge's outcome is unknown. `requires_action`: the charge waits for the customer
   * (3-D Secure); the order stays `pending` with its stock held until the payment succeeds (paid),
   * fails or expires (canceled, stock released).
   */
  readonly status: "pending" | "requires_action" | "succeeded" | "failed" | "refund_pending" | "refunded";
  readonly failureCode: string | null;
  /**
   * Refunds that failed definitively: the next attempt uses a new refund idempotency key
   * (`refund_<orderId>_<n>`), since a gateway answers a reused key with the stored failure.
   */
  readonly refundAttempts: number;
  /** In a checkout answer whose payment `requires_action` only (never stored): the customer's step. */
  readonly action?: OrderPaymentAction | undefined;
}

/** True while an order's payment has no final outcome: `pending` (unknown) or `requires_action` (waiting for the customer). */
export function isPaymentOpen(payment: Pick<OrderPayment, "status">): boolean {
  return payment.status === "pending" || payment.status === "requires_action";
}

/** An order. */
export interface Order {
  readonly id: string;
  readonly customerId: string;
  readonly status: OrderStatus;
  readonly currency: string;
  readonly lines: readonly OrderLine[];
  readonly subtotal: Money;
  readonly shipping: Money;
  readonly tax: Money;
  readonly total: Money;
  readonly shippingAddress: AddressSnapshot | null;
  readonly billingAddress: AddressSnapshot | null;
  readonly reservationId: string | null;
  readonly idempotencyKey: string;
  /** Hash of the checkout request, to refuse a reused key with other parameters. */
  readonly requestFingerprint: string;
  readonly payment: OrderPayment;
  readonly trackingNumber: string | null;
  readonly cancelReason: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly version: number;
}

/** Input of `orders.checkout`. */
export const checkoutSchema = z.object({
  /** One key per checkout attempt (e.g. a UUID made by the client): a retry with it never charges twice. */
  idempotencyKey: z.string().trim().min(8).max(255),
  shippingAddressId: refSchema.optional(),
  shippingAddress: addressFieldsSchema.optional(),
  billingAddressId: refSchema.optional(),
  /** Opaque payment token for the payment port (card token, payment method id). */
  paymentToken: z.string().trim().min(1).max(255).optional(),
});
/** Input of `orders.checkout`, before parsing. */
export type CheckoutInput = z.input<typeof checkoutSchema>;

/** Input of `orders.fulfill`: lines and quantities to fulfil; all remaining when omitted. */
export const fulfillSchema = z.object({
  orderId: refSchema,
  lines: z
    .array(z.object({ lineId: refSchema, quantity: z.number().int().positive().max(100_000) }))
    .max(100)
    .optional(),
});

/** Input of `orders.ship`. */
export const shipSchema = z.object({ orderId: refSchema, trackingNumber: z.string().trim().min(1).max(100).nullish() });

/** Input of `orders.cancel`. */
export const cancelSchema = z.object({ orderId: refSchema, reason: z.string().trim().max(200).default("requested") });

/** Status after fulfilling: fulfilled when every unit is, else partially fulfilled. */
export function fulfilmentStatus(lines: readonly OrderLine[]): OrderStatus {
  return lines.every((l) => l.fulfilledQuantity >= l.quantity) ? "fulfilled" : "partially_fulfilled";
}

/** True while stock of the order can go back on the shelf (nothing has left the warehouse). */
export function isCancelable(status: OrderStatus): boolean {
  return ORDER_TRANSITIONS[status].includes("canceled");
}

/** A line of an order as it crosses the wire. */
export interface OrderLineJSON {
  lineId: string;
  productId: string;
  variantId: string | null;
  sku: string;
  name: string;
  quantity: number;
  unitPrice: MoneyJSON;
  lineTotal: MoneyJSON;
  fulfilledQuantity: number;
}

/** An order as it crosses the wire: what the customer may see, none of the checkout bookkeeping. */
export interface OrderJSON {
  id: string;
  customerId: string;
  status: OrderStatus;
  currency: string;
  lines: OrderLineJSON[];
  subtotal: MoneyJSON;
  shipping: MoneyJSON;
  tax: MoneyJSON;
  total: MoneyJSON;
  shippingAddress: AddressSnapshot | null;
  billingAddress: AddressSnapshot | null;
  /** `pending` while the charge's outcome is unknown: reconciled later, neither paid nor failed. */
  payment: { status: OrderPayment["status"]; failureCode: string | null };
  trackingNumber: string | null;
  cancelReason: string | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * The wire view of an order (amounts as decimal strings, dates ISO 8601). It lists the fields it
 * keeps rather than dropping known internals, so a field added to {@link Order} later stays
 * private until someone decides to show it: the request fingerprint, the idempotency key, the stock
 * reservation id, the payment reference and refund attempt counter, and the version never leave.
 * @example
 * ```ts
 * const order = await shop.orders.checkout(actor, { idempotencyKey, paymentToken: "pm_card_visa" });
 * return c.json(toOrderJSON(order), 201);
 * ```
 */
export function toOrderJSON(order: Order): OrderJSON {
  return {
    id: order.id,
    customerId: order.customerId,
    status: order.status,
    currency: order.currency,
    lines: order.lines.map((l) => ({
      lineId: l.lineId,
      productId: l.productId,
      variantId: l.variantId,
      sku: l.sku,
      name: l.name,
      quantity: l.quantity,
      unitPrice: l.unitPrice.toJSON(),
      lineTotal: l.lineTotal.toJSON(),
      fulfilledQuantity: l.fulfilledQuantity,
    })),
    subtotal: order.subtotal.toJSON(),
    shipping: order.shipping.toJSON(),
    tax: order.tax.toJSON(),
    total: order.total.toJSON(),
    shippingAddress: order.shippingAddress ? addressJSON(order.shippingAddress) : null,
    billingAddress: order.billingAddress ? addressJSON(order.billingAddress) : null,
    payment: { status: order.payment.status, failureCode: order.payment.failureCode },
    trackingNumber: order.trackingNumber,
    cancelReason: order.cancelReason,
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}

function addressJSON(a: AddressSnapshot): AddressSnapshot {
  return {
    name: a.name,
    line1: a.line1,
    line2: a.line2,
    city: a.city,
    region: a.region,
    postalCode: a.postalCode,
    country: a.country,
    phone: a.phone,
  };
}
