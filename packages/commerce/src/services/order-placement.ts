import { createEvent, createId, ConflictError, DomainRuleError, type parse } from "@platform/core";
import type { Cart } from "../domain/cart.js";
import { sumByKey } from "../domain/inventory.js";
import type { checkoutSchema, Order, OrderLine } from "../domain/order.js";
import { stockKeyOf } from "../domain/product.js";
import type { CommerceTx } from "../ports/commerce-store.js";
import { viewCart } from "./cart-operations.js";
import type { CheckoutAddresses } from "./checkout-addresses.js";
import type { CartPricing } from "./cart-pricing.js";
import { recordLowStock } from "./inventory-service.js";
import type { ServiceContext } from "./service-context.js";
import { commerceCodes } from "../domain/error-codes.js";

/** A parsed checkout request. */
export type CheckoutData = ReturnType<typeof parse<typeof checkoutSchema>>;

/**
 * The first transaction of a checkout: claim the cart, reserve its stock and create the pending
 * order, all or nothing. The charge and its settlement happen afterwards, outside this transaction.
 */
export class OrderPlacement {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly pricing: CartPricing,
    private readonly reservationTtlMs: number,
  ) {}

  async place(
    tx: CommerceTx,
    customerId: string,
    data: CheckoutData,
    fingerprint: string,
    cart: Cart | null,
    { shippingAddress, billingAddress }: CheckoutAddresses,
  ): Promise<Order> {
    const { clock } = this.ctx;
    if (!cart || cart.lines.length === 0) throw new DomainRuleError(commerceCodes.empty_cart, "the cart is empty");
    // A cart is bought once: the cart row is locked (PostgreSQL) or the transaction serialised
    // (memory), so of two checkouts with different keys the second sees the first one's claim.
    if (cart.checkoutOrderId) {
      const claimer = await tx.orders.get(cart.checkoutOrderId);
      if (claimer && claimer.status === "pending") {
        throw new ConflictError(commerceCodes.checkout_in_progress, "another checkout of this cart is in progress; retry shortly", {
          details: { orderId: claimer.id, retryable: true },
        });
      }
    }
    const now = clock.now();
    const orderId = createId("ord");
    const reservationId = createId("res");
    // The stock of the cart's lines is reserved while its products are read (one round trip where the
    // store pipelines). A cart with issues throws before the reservation's outcome is looked at, and the
    // rollback undoes the reservation: the outcome is the one of checking the cart first.
    const lines = sumByKey(cart.lines.map((l) => ({ key: stockKeyOf(l.productId, l.variantId), quantity: l.quantity })));
    const [products, reservation] = await Promise.all([
      tx.products.getMany(cart.lines.map((l) => l.productId)),
      tx.inventory
        .reserve({
          id: reservationId,
          orderId,
          lines,
          status: "active",
          expiresAt: new Date(now.getTime() + this.reservationTtlMs),
          createdAt: now,
        })
        .then(
          (levels) => ({ levels }),
          (error: unknown) => ({ error }),
        ),
    ]);
    const view = await viewCart(tx, this.pricing, cart, shippingAddress, products);
    if (view.issues.length > 0)
      throw new DomainRuleError(commerceCodes.cart_changed, "the cart changed since items were added; review it first", {
        details: { issues: view.issues },
      });
    if ("error" in reservation) throw reservation.error;
    const after = reservation.levels;
    // Available stock drops when it is reserved: that is when low stock is crossed. The level before
    // is the one the reservation found on the locked row: the level after, less this reservation's units.
    const reserved = new Map(lines.map((l) => [l.key, l.quantity]));
    for (const level of after)
      recordLowStock(tx.outbox, clock, { ...level, reserved: level.reserved - (reserved.get(level.key) ?? 0) }, level);
    const orderLines: OrderLine[] = view.lines.map((l, i) => ({
      lineId: `line_${i + 1}`,
      productId: l.productId,
      variantId: l.variantId,
      sku: l.sku,
      name: l.name,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      lineTotal: l.lineTotal,
      fulfilledQuantity: 0,
    }));
    const order: Order = {
      id: orderId,
      customerId,
      status: "pending",
      currency: view.currency,
      lines: orderLines,
      subtotal: view.subtotal,
      shipping: view.shipping,
      tax: view.tax,
      total: view.total,
      shippingAddress,
      billingAddress,
      reservationId,
      idempotencyKey: data.idempotencyKey,
      requestFingerprint: fingerprint,
      payment: { reference: null, status: "pending", failureCode: null, refundAttempts: 0 },
      trackingNumber: null,
      cancelReason: null,
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    // Both writes go out with the COMMIT where the store defers them (their failure fails the transaction).
    await tx.orders.insert(order);
    await tx.carts.update({ ...cart, checkoutOrderId: orderId, updatedAt: now, version: cart.version + 1 }, cart.version);
    tx.outbox.add(createEvent("order.placed", { orderId, customerId, total: order.total.toJSON() }, clock));
    return order;
  }
}
