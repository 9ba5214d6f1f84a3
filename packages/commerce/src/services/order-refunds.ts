import { createEvent, GatewayError, type Money } from "@platform/core";
import type { Order } from "../domain/order.js";
import type { PaymentPort } from "../ports/payment-port.js";
import type { ServiceContext } from "./service-context.js";

/**
 * Refunds an order whose payment is `refund_pending`, outside any transaction, then
 * records it. A failure leaves `refund_pending`, so calling again retries the refund. An
 * ambiguous failure (retryable, or not a GatewayError) keeps the idempotency key: the refund may
 * have happened, and the gateway dedupes it. A definite failure (non-retryable GatewayError) is
 * counted on the order, so the next attempt uses a new key; a gateway would otherwise replay
 * the stored failure for the old one forever.
 */
export async function refundOrder(ctx: ServiceContext, payments: PaymentPort, order: Order, reason: string, amount: Money): Promise<Order> {
  const reference = order.payment.reference;
  if (reference === null) return order;
  const attempt = order.payment.refundAttempts;
  const idempotencyKey = attempt === 0 ? `refund_${order.id}` : `refund_${order.id}_${attempt}`;
  try {
    await payments.refund({ orderId: order.id, reference, amount, idempotencyKey, reason });
  } catch (error) {
    if (error instanceof GatewayError && !error.retryable) await countFailedRefund(ctx, order.id, attempt);
    throw error;
  }
  const { store, clock } = ctx;
  return store.transaction(async (tx) => {
    const cur = (await tx.orders.get(order.id))!;
    if (cur.payment.status !== "refund_pending") return cur;
    const next: Order = { ...cur, payment: { ...cur.payment, status: "refunded" }, updatedAt: clock.now(), version: cur.version + 1 };
    await tx.orders.update(next, cur.version);
    tx.outbox.add(createEvent("order.refunded", { orderId: cur.id, customerId: cur.customerId, amount: amount.toJSON() }, clock));
    return next;
  });
}

async function countFailedRefund(ctx: ServiceContext, orderId: string, attempt: number): Promise<void> {
  await ctx.store.transaction(async (tx) => {
    const cur = await tx.orders.get(orderId);
    // Another caller already counted this attempt (or the refund went through meanwhile).
    if (!cur || cur.payment.status !== "refund_pending" || cur.payment.refundAttempts !== attempt) return;
    await tx.orders.update(
      { ...cur, payment: { ...cur.payment, refundAttempts: attempt + 1 }, updatedAt: ctx.clock.now(), version: cur.version + 1 },
      cur.version,
    );
  });
}
