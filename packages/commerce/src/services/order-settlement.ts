import { createEvent, PlatformError, writeLog, type Money } from "@platform/core";
import { isPaymentOpen, type Order } from "../domain/order.js";
import { chargeKeyOf } from "../domain/charge-outcome.js";
import { removePurchased } from "./cart-operations.js";
import { withLoadedOrder } from "./notification-recorder.js";
import type { CommerceTx } from "../ports/commerce-store.js";
import type { ChargeStatus, PaymentPort } from "../ports/payment-port.js";
import { refundOrder } from "./order-refunds.js";
import type { ServiceContext } from "./service-context.js";
import { commerceCodes } from "../domain/error-codes.js";

/** How {@link OrderSettlement.resolvePending} left an order. */
export type PendingResolution = "paid" | "canceled" | "refunded" | "unknown" | "settled";

/**
 * Commits a reservation that is still active; one that is missing or no longer active (released,
 * expired, committed) is left as it is. `commit` locks and checks the reservation itself, so this is
 * one locking read, not a read and then the same read again under the lock.
 */
async function commitIfActive(tx: CommerceTx, reservationId: string, at: Date): Promise<void> {
  try {
    await tx.inventory.commit(reservationId, at);
  } catch (error) {
    const code = PlatformError.is(error) ? error.code : undefined;
    if (code === commerceCodes.reservation_not_active || code === commerceCodes.reservation_not_found) return;
    throw error;
  }
}

/** Payment outcomes that touch orders and stock: failed charges, unknown charges and refunds. */
export class OrderSettlement {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly payments: PaymentPort,
  ) {}

  /**
   * A charge that definitely failed (declined, or the gateway has no record of it): release the
   * stock and cancel the pending order. Never call it while the charge may exist. True when this
   * call canceled the order (false: it was settled meanwhile).
   */
  async failPayment(orderId: string, code: string, reason = "payment_failed"): Promise<boolean> {
    const { store, clock } = this.ctx;
    return store.transaction(async (tx) => {
      const cur = await tx.orders.get(orderId);
      if (!cur || cur.status !== "pending") return false;
      const r = cur.reservationId ? await tx.inventory.getReservation(cur.reservationId) : null;
      if (r && r.status === "active") {
        await tx.inventory.release(r.id, reason === "reservation_expired" ? "expired" : "released", clock.now());
        if (reason === "reservation_expired") tx.outbox.add(createEvent("inventory.reservation_expired", { reservationId: r.id }, clock));
      }
      await tx.orders.update(
        {
          ...cur,
          status: "canceled",
          cancelReason: reason,
          payment: { ...cur.payment, reference: null, status: "failed", failureCode: code },
          updatedAt: clock.now(),
          version: cur.version + 1,
        },
        cur.version,
      );
      tx.outbox.add(createEvent("order.payment_failed", { orderId, customerId: cur.customerId, code }, clock));
      tx.outbox.add(createEvent("order.canceled", { orderId, customerId: cur.customerId, reason }, clock));
      return true;
    });
  }

  /**
   * Records a charge that went through (transaction 2 of checkout, or a resolved unknown outcome):
   * commits the reservation, marks the order paid, takes the purchased units out of the cart and
   * frees the cart's checkout claim. An order no longer pending (canceled while the charge ran) is
   * marked `refund_pending` instead: the caller refunds it. The cart is locked before the order,
   * the same order as checkout's first transaction, so the two never deadlock.
   */
  async markPaid(
    tx: CommerceTx,
    order: Pick<Order, "id" | "customerId">,
    reference: string,
  ): Promise<{ kind: "paid" | "settled" | "refund"; order: Order }> {
    const { clock } = this.ctx;
    // Sent together (one round trip where the store pipelines), the cart first: the lock order. The
    // customer is for the confirmation the paid order queues (read here rather than after the writes).
    const [cart, found, customer] = await Promise.all([
      tx.carts.getByCustomer(order.customerId),
      tx.orders.get(order.id),
      tx.customers.get(order.customerId),
    ]);
    const current = found!;
    if (current.status !== "pending") {
      // Settled by a concurrent retry (paid), or canceled while the charge ran (expired).
      if (current.payment.status === "succeeded" || current.payment.status === "refunded" || current.payment.status === "refund_pending")
        return { kind: "settled", order: current };
      const marked = {
        ...current,
        payment: { ...current.payment, reference, status: "refund_pending" as const, failureCode: null },
        updatedAt: clock.now(),
        version: current.version + 1,
      };
      await tx.orders.update(marked, current.version);
      return { kind: "refund", order: marked };
    }
    if (current.reservationId) await commitIfActive(tx, current.reservationId, clock.now());
    const paid: Order = {
      ...current,
      status: "paid",
      payment: { ...current.payment, reference, status: "succeeded", failureCode: null },
      updatedAt: clock.now(),
      version: current.version + 1,
    };
    await tx.orders.update(paid, current.version);
    if (cart) await removePurchased(tx, clock, cart, paid);
    const event = createEvent(
      "order.paid",
      { orderId: paid.id, customerId: paid.customerId, total: paid.total.toJSON(), paymentReference: reference },
      clock,
    );
    tx.outbox.add(withLoadedOrder(event, paid, customer));
    return { kind: "paid", order: paid };
  }

  /**
   * Records that the charge of a pending order waits for the customer (3-D Secure): payment
   * `requires_action` with the charge's reference; the order stays pending and its stock held.
   * Returns the order as it stands (not pending: settled or canceled meanwhile).
   */
  async markRequiresAction(orderId: string, reference: string): Promise<Order> {
    const { store, clock } = this.ctx;
    return store.transaction(async (tx) => {
      const cur = (await tx.orders.get(orderId))!;
      if (cur.status !== "pending" || !isPaymentOpen(cur.payment)) return cur;
      if (cur.payment.status === "requires_action" && cur.payment.reference === reference) return cur;
      const next: Order = {
        ...cur,
        payment: { ...cur.payment, reference, status: "requires_action", failureCode: null },
        updatedAt: clock.now(),
        version: cur.version + 1,
      };
      await tx.orders.update(next, cur.version);
      tx.outbox.add(
        createEvent("order.payment_action_required", { orderId, customerId: cur.customerId, paymentReference: reference }, clock),
      );
      return next;
    });
  }

  /**
   * Resolves a pending order whose charge outcome is unknown: asks the payment port (same key, never
   * a new charge), then pays the order (stock committed, cart cleared; refunded instead if it was
   * canceled meanwhile), or cancels it and releases its stock when the charge definitely failed or
   * never arrived. While the port cannot tell (`pending`, or the lookup itself fails), nothing changes:
   * the stock stays held and the order is left for a retry or the next sweep. A charge waiting for
   * the customer (`requires_action`) is recorded as such and waits too, unless `abandonAction`
   * (reservation expired, order canceled): then it is canceled through the port (when it can) and the
   * order settled by the answer. A canceled order whose
   * charge was unresolved (left so by earlier versions) is resolved and refunded.
   */
  async resolvePending(
    orderId: string,
    reason = "payment_failed",
    options: { abandonAction?: boolean } = {},
  ): Promise<{ resolution: PendingResolution; order: Order | null }> {
    const order = await this.ctx.store.transaction((tx) => tx.orders.get(orderId));
    if (!order || !isPaymentOpen(order.payment)) return { resolution: "settled", order };
    if (order.status === "canceled") {
      const resolved = await this.resolveCanceled(orderId);
      return { resolution: resolved?.payment.status === "pending" ? "unknown" : "refunded", order: resolved };
    }
    if (order.status !== "pending") return { resolution: "settled", order };
    let outcome: ChargeStatus;
    try {
      outcome = await this.payments.retrieve({ orderId, idempotencyKey: chargeKeyOf(orderId), reference: order.payment.reference });
    } catch (error) {
      writeLog(
        this.ctx.logger,
        "warn",
        "payment lookup of a pending order failed; outcome stays unknown",
        { orderId, customerId: order.customerId },
        error,
      );
      return { resolution: "unknown", order };
    }
    // Given up (reservation expired, order canceled): a charge still waiting for the customer is
    // canceled at the provider first, so it can never complete for a released order.
    let abandonedHere = false;
    if (outcome.status === "requires_action" && options.abandonAction && this.payments.cancel) {
      const lookup = { orderId, idempotencyKey: chargeKeyOf(orderId), reference: outcome.reference };
      outcome = await this.payments.cancel(lookup).catch((error: unknown): ChargeStatus => {
        writeLog(
          this.ctx.logger,
          "warn",
          "cancel of a payment waiting for the customer failed; the order waits",
          { orderId, customerId: order.customerId },
          error,
        );
        return { status: "requires_action", reference: lookup.reference };
      });
      abandonedHere = outcome.status === "failed";
    }
    if (outcome.status === "requires_action") {
      return { resolution: "unknown", order: await this.markRequiresAction(orderId, outcome.reference) };
    }
    if (outcome.status === "pending") {
      if (outcome.reference) await this.notePendingReference(orderId, outcome.reference);
      return { resolution: "unknown", order };
    }
    if (outcome.status === "succeeded") {
      const reference = outcome.reference;
      const settled = await this.ctx.store.transaction((tx) => this.markPaid(tx, order, reference));
      if (settled.kind === "refund")
        return { resolution: "refunded", order: await this.refund(settled.order, settled.order.cancelReason ?? "canceled") };
      return { resolution: settled.kind, order: settled.order };
    }
    const changed = await this.failPayment(orderId, outcome.status === "failed" ? outcome.code : "payment_not_found", reason);
    const after = await this.ctx.store.transaction((tx) => tx.orders.get(orderId));
    // The cancel this call made publishes the payment's cancellation, and whoever follows those events
    // (followPaymentEvents, a Stripe webhook in another process) may cancel the order first: the order was
    // still settled by this call's cancel. Another abandoning call records this call's own reason, and counts.
    const causedHere = abandonedHere && after?.status === "canceled" && after.cancelReason !== reason;
    return { resolution: changed || causedHere ? "canceled" : "settled", order: after };
  }

  /** Keeps the gateway's payment id of a charge whose outcome is unknown, so it can be resolved later. */
  async notePendingReference(orderId: string, reference: unknown): Promise<void> {
    if (typeof reference !== "string" || reference.length === 0) return;
    await this.ctx.store.transaction(async (tx) => {
      const cur = await tx.orders.get(orderId);
      if (!cur || cur.payment.status !== "pending" || cur.payment.reference !== null) return;
      await tx.orders.update(
        { ...cur, payment: { ...cur.payment, reference }, updatedAt: this.ctx.clock.now(), version: cur.version + 1 },
        cur.version,
      );
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
    if (outcome.status === "pending" || outcome.status === "requires_action") return order;
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

  /** Refunds an order whose payment is `refund_pending` (see {@link refundOrder}). @throws GatewayError when the refund fails. */
  refund(order: Order, reason: string, amount: Money = order.total): Promise<Order> {
    return refundOrder(this.ctx, this.payments, order, reason, amount);
  }
}
