import {
  checkActor,
  createEvent,
  ForbiddenError,
  GatewayError,
  hasRole,
  NotFoundError,
  pageRequestSchema,
  parse,
  requireActorId,
  requireRole,
  ValidationError,
  type Page,
  coreCodes,
  type Actor,
} from "@platform/core";
import { z } from "zod";
import { sumByKey } from "../domain/inventory.js";
import {
  assertTransition,
  cancelSchema,
  fulfillSchema,
  fulfilmentStatus,
  shipSchema,
  type CheckoutInput,
  type Order,
  isPaymentOpen,
} from "../domain/order.js";
import { stockKeyOf } from "../domain/product.js";
import { refSchema } from "../domain/schemas.js";
import type { CommerceTx } from "../ports/commerce-store.js";
import type { PaymentPort } from "../ports/payment-port.js";
import type { CheckoutService } from "./checkout-service.js";
import { OrderSettlement } from "./order-settlement.js";
import { PaymentSweeper, type PaymentSweepSummary } from "./payment-sweeper.js";
import type { ServiceContext } from "./service-context.js";
import { commerceCodes } from "../domain/error-codes.js";

const listSchema = pageRequestSchema.extend({ customerId: refSchema.optional() });
const orderRefSchema = z.object({ orderId: refSchema });

/** Orders: checkout, history, cancel, fulfilment, shipping and refunds (`platform.orders`). */
export class OrderService {
  private readonly settlement: OrderSettlement;
  private readonly sweeper: PaymentSweeper;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly checkoutService: CheckoutService,
    payments: PaymentPort,
    options: { paymentSweepAfterMs?: number } = {},
  ) {
    this.settlement = new OrderSettlement(ctx, payments);
    this.sweeper = new PaymentSweeper(ctx, this.settlement, options);
  }

  /**
   * Places and pays an order from the signed-in customer's cart (see {@link CheckoutService.checkout}).
   * @throws DomainRuleError `empty_cart`, `cart_changed`, `insufficient_stock`. @throws GatewayError decline codes.
   * @throws IdempotencyError `idempotency_conflict`. @throws AuthenticationError `unauthenticated`.
   * @example
   * ```ts
   * const order = await platform.orders.checkout(actor, { idempotencyKey: crypto.randomUUID(), paymentToken: "tok_visa" });
   * ```
   */
  async checkout(actor: Actor, input: CheckoutInput): Promise<Order> {
    return this.checkoutService.checkout(requireActorId(actor), input);
  }

  /** An order, for its owner or an admin. @throws NotFoundError `order_not_found` (also for other customers' orders). */
  async get(actor: Actor, input: { orderId: string }): Promise<Order> {
    const a = checkActor(actor);
    const { orderId: id } = parse(orderRefSchema, input);
    return this.ctx.store.transaction((tx) => this.readable(tx, a, id));
  }

  /**
   * Order history, newest first. Customers see their own; an admin passes `customerId`.
   * @throws ValidationError `invalid_cursor`. @throws ForbiddenError `forbidden` for another customer's history.
   */
  async list(actor: Actor, input: { customerId?: string; limit?: number; cursor?: string | null } = {}): Promise<Page<Order>> {
    const a = checkActor(actor);
    const q = parse(listSchema, input);
    const customerId = q.customerId ?? a.id;
    if (customerId === null || customerId === undefined)
      throw ValidationError.field(coreCodes.validation_failed, "customerId", "customerId is required for admin listings");
    if (customerId !== a.id && !hasRole(a, "admin"))
      throw new ForbiddenError(commerceCodes.forbidden, "only admins read other customers' orders");
    return this.ctx.store.transaction((tx) => tx.orders.listByCustomer(customerId, { limit: q.limit, cursor: q.cursor ?? null }));
  }

  /**
   * Cancels an order before it ships: stock goes back, a captured payment is refunded.
   * Calling again on a canceled order whose refund failed retries the refund. A pending order's
   * charge may exist, so it is resolved through the payment port first: charged, the order is paid
   * and then canceled like a paid one (restocked, refunded); not charged, it is canceled and its
   * stock released. While the gateway cannot tell yet, nothing changes and the cancel answers
   * `payment_pending` (retryable): call again later; the sweeper settles it meanwhile.
   * @throws DomainRuleError `invalid_transition` (shipped, delivered ...). @throws NotFoundError `order_not_found`.
   * @throws GatewayError when the refund fails (the order stays canceled, refund pending);
   *   `payment_pending` (retryable) while the charge outcome of a pending order is unknown.
   */
  async cancel(actor: Actor, input: { orderId: string; reason?: string }): Promise<Order> {
    const a = checkActor(actor);
    const data = parse(cancelSchema, input);
    const { store, clock } = this.ctx;
    const seen = await store.transaction((tx) => this.readable(tx, a, data.orderId));
    if (seen.status === "pending" && isPaymentOpen(seen.payment)) {
      const { resolution, order } = await this.settlement.resolvePending(seen.id, data.reason, { abandonAction: true });
      if (resolution === "unknown") throw paymentPending(seen.id);
      if (resolution === "canceled" && order) return order;
    }
    const order = await store.transaction(async (tx) => {
      const o = await this.readable(tx, a, data.orderId);
      if (o.status === "canceled" && (o.payment.status === "refund_pending" || o.payment.status === "pending")) return o;
      // Never cancel while the charge may exist (a checkout resumed it since we resolved it).
      if (o.status === "pending" && isPaymentOpen(o.payment)) throw paymentPending(o.id);
      assertTransition(o.status, "canceled");
      const now = clock.now();
      if (o.status === "pending") {
        const r = o.reservationId ? await tx.inventory.getReservation(o.reservationId) : null;
        if (r && r.status === "active") await tx.inventory.release(r.id, "released", now);
      } else {
        await tx.inventory.restock(
          sumByKey(o.lines.map((l) => ({ key: stockKeyOf(l.productId, l.variantId), quantity: l.quantity }))),
          now,
        );
      }
      const payment = o.payment.status === "succeeded" ? { ...o.payment, status: "refund_pending" as const } : o.payment;
      const next: Order = { ...o, status: "canceled", cancelReason: data.reason, payment, updatedAt: now, version: o.version + 1 };
      await tx.orders.update(next, o.version);
      tx.outbox.add(createEvent("order.canceled", { orderId: o.id, customerId: o.customerId, reason: data.reason }, clock));
      return next;
    });
    if (order.payment.status === "refund_pending") return this.settlement.refund(order, data.reason);
    // Canceled with its charge unresolved (by an earlier version): resolve it and refund it if it went through.
    if (order.payment.status === "pending") return (await this.settlement.resolveCanceled(order.id)) ?? order;
    return order;
  }

  /**
   * Settles a pending order from its payment's current outcome, asked through the payment port (never
   * a new charge): charged, the order is paid (stock committed, cart cleared); failed, canceled or
   * expired, it is canceled and its stock released; still waiting for the customer (3-D Secure) or
   * unknown, it is returned unchanged. Call it when the host learns that a payment moved (its front
   * end finished 3-D Secure, a payment event or provider webhook arrived: `followPaymentEvents` in
   * `@platform/commerce/payments` does so for `@platform/payments`). Any other order is returned as it is.
   * @throws ForbiddenError `role_required` (admin only). @throws NotFoundError `order_not_found`. @throws ValidationError `validation_failed` for a malformed id.
   * @example
   * ```ts
   * const order = await platform.orders.confirmPayment(ADMIN_ACTOR, { orderId });
   * order.status; // "paid" once the customer completed 3-D Secure
   * ```
   */
  async confirmPayment(actor: Actor, input: { orderId: string }): Promise<Order> {
    requireRole(actor, "admin");
    const { orderId: id } = parse(orderRefSchema, input);
    const { order } = await this.settlement.resolvePending(id);
    if (!order) throw NotFoundError.of(commerceCodes.order_not_found, "order", id);
    return order;
  }

  /**
   * The sweeper of unknown payment outcomes, a background duty for a worker: claims pending orders
   * whose payment outcome is unknown and that have not changed for `paymentSweepAfterMs` (platform
   * option, default 60 s), asks the payment port about each (never charging again), then pays it
   * (stock committed, cart cleared), or cancels it and releases its stock when the charge definitely
   * failed or never arrived, refunding a charge whose order was canceled meanwhile. Orders still
   * unknown are left for the next run. Safe with several processes sweeping at once: each order is
   * claimed by one sweeper for a while (`FOR UPDATE SKIP LOCKED` and a lease in PostgreSQL), and every
   * settlement is conditional on the order still being pending. Once `signal` aborts (the worker abandoning
   * the run near its stop deadline) it examines no further order and hands the claims of those it did not examine back
   * (`released`), so another sweeper takes them at once.
   * @throws ValidationError for a bad `limit` (1-1000, default 100).
   * @example
   * ```ts
   * setInterval(() => void platform.orders.sweepPendingPayments({ limit: 100 }).then((s) => s.unknown && log(s)), 30_000);
   * ```
   */
  sweepPendingPayments(options: { limit?: number; signal?: AbortSignal } = {}): Promise<PaymentSweepSummary> {
    return this.sweeper.sweep(options);
  }

  /** Records fulfilment of some or all remaining units (admin). @throws ForbiddenError `role_required`. @throws DomainRuleError `invalid_transition`, `over_fulfilment`. */
  async fulfill(actor: Actor, input: { orderId: string; lines?: { lineId: string; quantity: number }[] }): Promise<Order> {
    requireRole(actor, "admin");
    const data = parse(fulfillSchema, input);
    return this.change(data.orderId, async (o) => {
      const lines = o.lines.map((l) => {
        const asked = data.lines
          ? data.lines.filter((x) => x.lineId === l.lineId).reduce((n, x) => n + x.quantity, 0)
          : l.quantity - l.fulfilledQuantity;
        if (l.fulfilledQuantity + asked > l.quantity)
          throw new ValidationError(
            commerceCodes.over_fulfilment,
            `line ${l.lineId} has only ${l.quantity - l.fulfilledQuantity} units left`,
            { issues: [{ path: ["lines"], message: "too many units", code: commerceCodes.over_fulfilment }] },
          );
        return { ...l, fulfilledQuantity: l.fulfilledQuantity + asked };
      });
      if (data.lines?.some((x) => !o.lines.some((l) => l.lineId === x.lineId)))
        throw NotFoundError.of(commerceCodes.line_not_found, "order line", o.id);
      const status = fulfilmentStatus(lines);
      assertTransition(o.status, status);
      return { next: { ...o, lines, status }, event: createEvent("order.fulfilled", { orderId: o.id, status }, this.ctx.clock) };
    });
  }

  /** Marks a fulfilled order shipped (admin). @throws ForbiddenError `role_required`. @throws DomainRuleError `invalid_transition`. */
  async ship(actor: Actor, input: { orderId: string; trackingNumber?: string | null }): Promise<Order> {
    requireRole(actor, "admin");
    const data = parse(shipSchema, input);
    return this.change(data.orderId, async (o) => {
      assertTransition(o.status, "shipped");
      const trackingNumber = data.trackingNumber ?? null;
      return {
        next: { ...o, status: "shipped", trackingNumber },
        event: createEvent("order.shipped", { orderId: o.id, customerId: o.customerId, trackingNumber }, this.ctx.clock),
      };
    });
  }

  /** Marks a shipped order delivered (admin). @throws ForbiddenError `role_required`. @throws DomainRuleError `invalid_transition`. */
  async markDelivered(actor: Actor, input: { orderId: string }): Promise<Order> {
    requireRole(actor, "admin");
    const { orderId: id } = parse(orderRefSchema, input);
    return this.change(id, async (o) => {
      assertTransition(o.status, "delivered");
      return {
        next: { ...o, status: "delivered" },
        event: createEvent("order.delivered", { orderId: o.id, customerId: o.customerId }, this.ctx.clock),
      };
    });
  }

  /** Refunds a paid, shipped or delivered order in full (admin). @throws ForbiddenError `role_required`. @throws DomainRuleError `invalid_transition`. @throws GatewayError. */
  async refund(actor: Actor, input: { orderId: string; reason?: string }): Promise<Order> {
    requireRole(actor, "admin");
    const data = parse(cancelSchema, input);
    const order = await this.change(data.orderId, async (o) => {
      assertTransition(o.status, "refunded");
      return { next: { ...o, status: "refunded", payment: { ...o.payment, status: "refund_pending" } }, event: null };
    });
    return this.settlement.refund(order, data.reason);
  }

  private async change(
    orderId: string,
    apply: (o: Order) => Promise<{ next: Order; event: ReturnType<typeof createEvent> | null }>,
  ): Promise<Order> {
    return this.ctx.store.transaction(async (tx) => {
      const o = await tx.orders.get(orderId);
      if (!o) throw NotFoundError.of(commerceCodes.order_not_found, "order", orderId);
      const { next, event } = await apply(o);
      const saved = { ...next, updatedAt: this.ctx.clock.now(), version: o.version + 1 };
      await tx.orders.update(saved, o.version);
      if (event) tx.outbox.add(event);
      return saved;
    });
  }

  private async readable(tx: CommerceTx, actor: Actor, orderId: string): Promise<Order> {
    const o = await tx.orders.get(orderId);
    // Another customer's order answers exactly like a missing one: no existence leak.
    if (!o || (o.customerId !== actor.id && !hasRole(actor, "admin")))
      throw NotFoundError.of(commerceCodes.order_not_found, "order", orderId);
    return o;
  }
}

function paymentPending(orderId: string): GatewayError {
  return new GatewayError(commerceCodes.payment_pending, "the outcome of this order's payment is still unknown; retry later", {
    provider: "payment_port",
    retryable: true,
    details: { orderId },
  });
}
