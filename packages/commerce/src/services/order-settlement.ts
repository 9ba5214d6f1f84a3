import { createEvent, DomainRuleError, GatewayError, type Money } from "@platform/core";
import type { Order } from "../domain/order.js";
import type { PaymentPort } from "../ports/payment-port.js";
import type { ServiceContext } from "./service-context.js";

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
  if (p.status === "pending") return new GatewayError("payment_pending", "the outcome of this order's payment is still unknown; retry later", { provider: "payment_port", retryable: true });
  if (p.status === "failed") return new GatewayError(p.failureCode ?? "payment_failed", "the payment of this checkout failed", { provider: "payment_port", retryable: false });
  const refunded = p.status === "refunded" || p.status === "refund_pending" ? "; the payment was refunded" : "";
  return order.cancelReason === "reservation_expired"
    ? new DomainRuleError("reservation_expired", `the stock reservation expired before the payment completed${refunded}`)
    : new DomainRuleError("order_canceled", `the order was canceled${refunded}`);
}

/** Payment outcomes that touch orders and stock: failed charges, unknown charges and refunds. */
export class OrderSettlement {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly payments: PaymentPort,
  ) {}

  /** A declined or failed charge: release the stock and cancel the pending order. */
  async failPayment(orderId: string, code: string): Promise<void> {
    const { store, clock } = this.ctx;
    await store.transaction(async (tx) => {
      const cur = await tx.orders.get(orderId);
      if (!cur || cur.status !== "pending") return;
      const r = cur.reservationId ? await tx.inventory.getReservation(cur.reservationId) : null;
      if (r && r.status === "active") await tx.inventory.release(r.id, "released", clock.now());
      await tx.orders.update(
        { ...cur, status: "canceled", cancelReason: "payment_failed", payment: { ...cur.payment, reference: null, status: "failed", failureCode: code }, updatedAt: clock.now(), version: cur.version + 1 },
        cur.version,
      );
      tx.outbox.add(createEvent("order.payment_failed", { orderId, customerId: cur.customerId, code }, clock));
      tx.outbox.add(createEvent("order.canceled", { orderId, customerId: cur.customerId, reason: "payment_failed" }, clock));
    });
  }

  private async countFailedRefund(orderId: string, attempt: number): Promise<void> {
    await this.ctx.store.transaction(async (tx) => {
      const cur = await tx.orders.get(orderId);
      // Another caller already counted this attempt (or the refund went through meanwhile).
      if (!cur || cur.payment.status !== "refund_pending" || cur.payment.refundAttempts !== attempt) return;
      await tx.orders.update({ ...cur, payment: { ...cur.payment, refundAttempts: attempt + 1 }, updatedAt: this.ctx.clock.now(), version: cur.version + 1 }, cur.version);
    });
  }

  /** Keeps the gateway's payment id of a charge whose outcome is unknown, so it can be resolved later. */
  async notePendingReference(orderId: string, reference: unknown): Promise<void> {
    if (typeof reference !== "string" || reference.length === 0) return;
    await this.ctx.store.transaction(async (tx) => {
      const cur = await tx.orders.get(orderId);
      if (!cur || cur.payment.status !== "pending" || cur.payment.reference !== null) return;
      await tx.orders.update({ ...cur, payment: { ...cur.payment, reference }, updatedAt: this.ctx.clock.now(), version: cur.version + 1 }, cur.version);
    });
  }

  /**
   * A canceled (or expired) order whose charge outcome is unknown: asks the payment port with the
   * same key, records the answer and refunds a charge that succeeded. While the gateway does not
   * know yet, the order stays canceled with payment `pending` (cancel again or retry the checkout).
   * @throws GatewayError when the refund fails (payment `refund_pending`, retried by cancel).
   */
  async resolveCanceled(orderId: string): Promise<Order | null> {
    const { store, clock } = this.ctx;
    const order = await store.transaction((tx) => tx.orders.get(orderId));
    if (!order || order.status !== "canceled" || order.payment.status !== "pending") return order;
    const outcome = await this.payments.retrieve({ orderId, idempotencyKey: chargeKeyOf(orderId), reference: order.payment.reference });
    if (outcome.status === "pending") return order;
    const next = await store.transaction(async (tx) => {
      const cur = (await tx.orders.get(orderId))!;
      if (cur.status !== "canceled" || cur.payment.status !== "pending") return cur;
      const payment: Order["payment"] =
        outcome.status === "succeeded"
          ? { ...cur.payment, reference: outcome.reference, status: "refund_pending", failureCode: null }
          : { ...cur.payment, status: "failed", failureCode: outcome.status === "failed" ? outcome.code : "payment_not_found" };
      const saved: Order = { ...cur, payment, updatedAt: clock.now(), version: cur.version + 1 };
      await tx.orders.update(saved, cur.version);
      return saved;
    });
    return next.payment.status === "refund_pending" ? this.refund(next, next.cancelReason ?? "canceled") : next;
  }

  /**
   * Refunds an order whose payment is `refund_pending`, outside any transaction, then
   * records it. A failure leaves `refund_pending`, so calling again retries the refund. An
   * ambiguous failure (retryable, or not a GatewayError) keeps the idempotency key: the refund may
   * have happened, and the gateway dedupes it. A definite failure (non-retryable GatewayError) is
   * counted on the order, so the next attempt uses a new key; a gateway would otherwise replay
   * the stored failure for the old one forever.
   */
  async refund(order: Order, reason: string, amount: Money = order.total): Promise<Order> {
    const reference = order.payment.reference;
    if (reference === null) return order;
    const attempt = order.payment.refundAttempts;
    const idempotencyKey = attempt === 0 ? `refund_${order.id}` : `refund_${order.id}_${attempt}`;
    try {
      await this.payments.refund({ orderId: order.id, reference, amount, idempotencyKey, reason });
    } catch (error) {
      if (error instanceof GatewayError && !error.retryable) await this.countFailedRefund(order.id, attempt);
      throw error;
    }
    const { store, clock } = this.ctx;
    return store.transaction(async (tx) => {
      const cur = (await tx.orders.get(order.id))!;
      if (cur.payment.status !== "refund_pending") return cur;
      const next: Order = { ...cur, payment: { ...cur.payment, status: "refunded" }, updatedAt: clock.now(), version: cur.version + 1 };
      await tx.orders.update(next, cur.version);
      tx.outbox.add(createEvent("order.refunded", { orderId: cur.id, customerId: cur.customerId, amount: amount.toJSON() }, clock));
      return next;
    });
  }
}
