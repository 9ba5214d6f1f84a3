import { createEvent, type Money } from "@platform/core";
import type { Order } from "../domain/order.js";
import type { PaymentPort } from "../ports/payment-port.js";
import type { ServiceContext } from "./service-context.js";

/** Payment outcomes that touch orders and stock: failed charges and refunds. */
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
        { ...cur, status: "canceled", cancelReason: "payment_failed", payment: { reference: null, status: "failed", failureCode: code }, updatedAt: clock.now(), version: cur.version + 1 },
        cur.version,
      );
      tx.outbox.add(createEvent("order.payment_failed", { orderId, customerId: cur.customerId, code }, clock));
      tx.outbox.add(createEvent("order.canceled", { orderId, customerId: cur.customerId, reason: "payment_failed" }, clock));
    });
  }

  /**
   * Refunds an order whose payment is `refund_pending`, outside any transaction, then
   * records it. A failure leaves `refund_pending`, so calling again retries the refund
   * (same idempotency key: never refunded twice).
   */
  async refund(order: Order, reason: string, amount: Money = order.total): Promise<Order> {
    const reference = order.payment.reference;
    if (reference === null) return order;
    await this.payments.refund({ orderId: order.id, reference, amount, idempotencyKey: `refund_${order.id}`, reason });
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
