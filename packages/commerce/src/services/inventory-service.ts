import { createEvent, createId, NotFoundError, parse, type Clock, type EventOutbox } from "@platform/core";
import { z } from "zod";
import { adjustStockSchema, available, lowStockThresholdSchema, type AdjustStockInput, type StockLevel } from "../domain/inventory.js";
import { stockKeyOf } from "../domain/product.js";
import { refSchema } from "../domain/schemas.js";
import type { CommerceTx } from "../ports/commerce-store.js";
import type { OrderSettlement } from "./order-settlement.js";
import type { ServiceContext } from "./service-context.js";

/** Stock of one item as the API shows it. */
export interface StockView {
  readonly productId: string;
  readonly variantId: string | null;
  readonly onHand: number;
  readonly reserved: number;
  readonly available: number;
  readonly sold: number;
  readonly received: number;
  readonly adjusted: number;
  readonly lowStockThreshold: number;
}

/** Shapes a stock level for callers. */
export function toStockView(l: StockLevel): StockView {
  return { productId: l.productId, variantId: l.variantId, onHand: l.onHand, reserved: l.reserved, available: available(l), sold: l.sold, received: l.received, adjusted: l.adjusted, lowStockThreshold: l.lowStockThreshold };
}

/** Records `inventory.low_stock` when available stock crosses below its threshold. */
export function recordLowStock(outbox: EventOutbox, clock: Clock, before: StockLevel | undefined, after: StockLevel): void {
  const was = before ? available(before) : Number.POSITIVE_INFINITY;
  const now = available(after);
  if (now < after.lowStockThreshold && was >= after.lowStockThreshold) {
    outbox.add(createEvent("inventory.low_stock", { productId: after.productId, variantId: after.variantId, available: now, threshold: after.lowStockThreshold }, clock));
  }
}

/** Stock levels, adjustments and reservation expiry (`platform.inventory`). */
export class InventoryService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly settlement: OrderSettlement | null = null,
  ) {}

  /** Stock of a product (or variant). @throws NotFoundError `stock_not_found`. */
  async getStock(productId: string, variantId: string | null = null): Promise<StockView> {
    const key = stockKeyOf(parse(refSchema, productId), variantId === null ? null : parse(refSchema, variantId));
    const l = await this.ctx.store.transaction((tx) => tx.inventory.get(key));
    if (!l) throw new NotFoundError("stock item", key, "stock_not_found");
    return toStockView(l);
  }

  /**
   * Changes on-hand stock with a reason (`received` counts as received stock).
   * @throws DomainRuleError `negative_stock` when on-hand would drop below what is reserved.
   * @throws NotFoundError `stock_not_found`. @throws ValidationError `invalid_quantity`.
   * @example
   * ```ts
   * await platform.inventory.adjust({ productId: mouse.id, delta: 20, reason: "received" });
   * ```
   */
  async adjust(input: AdjustStockInput): Promise<StockView> {
    const data = parse(adjustStockSchema, input);
    const { store, clock } = this.ctx;
    return store.transaction(async (tx) => {
      const key = stockKeyOf(data.productId, data.variantId ?? null);
      const before = await tx.inventory.get(key);
      if (!before) throw new NotFoundError("stock item", key, "stock_not_found");
      const after = await tx.inventory.adjust({ id: createId("adj"), key, delta: data.delta, reason: data.reason, note: data.note ?? null, at: clock.now() });
      tx.outbox.add(createEvent("inventory.adjusted", { productId: after.productId, variantId: after.variantId, delta: data.delta, reason: data.reason, onHand: after.onHand }, clock));
      recordLowStock(tx.outbox, clock, before, after);
      return toStockView(after);
    });
  }

  /** Sets the threshold under which `inventory.low_stock` fires. @throws NotFoundError `stock_not_found`. */
  async setLowStockThreshold(input: { productId: string; variantId?: string | null; threshold: number }): Promise<StockView> {
    const data = parse(lowStockThresholdSchema, input);
    return this.ctx.store.transaction(async (tx) => {
      const key = stockKeyOf(data.productId, data.variantId ?? null);
      if (!(await tx.inventory.get(key))) throw new NotFoundError("stock item", key, "stock_not_found");
      return toStockView(await tx.inventory.setLowStockThreshold(key, data.threshold, this.ctx.clock.now()));
    });
  }

  /**
   * Releases every reservation whose TTL has passed by the clock and cancels the pending
   * orders they held stock for. Run it from a timer or job; returns how many expired.
   * A canceled order whose charge outcome was unknown is then resolved through the payment port
   * (refunded if it was charged); a failure there leaves it for `orders.cancel` or a checkout retry.
   */
  async releaseExpired(input: { limit?: number } = {}): Promise<number> {
    const { limit } = parse(z.object({ limit: z.number().int().min(1).max(10_000).default(500) }), input);
    const { store, clock } = this.ctx;
    const unknown: string[] = [];
    const count = await store.transaction(async (tx) => {
      unknown.length = 0;
      const due = await tx.inventory.expiredReservations(clock.now(), limit);
      for (const r of due) {
        await tx.inventory.release(r.id, "expired", clock.now());
        tx.outbox.add(createEvent("inventory.reservation_expired", { reservationId: r.id }, clock));
        if (r.orderId && (await this.cancelPendingOrder(tx, r.orderId))) unknown.push(r.orderId);
      }
      return due.length;
    });
    // Gateway calls run outside the transaction; one failure does not stop the others.
    for (const orderId of unknown) await this.settlement?.resolveCanceled(orderId).catch(() => undefined);
    return count;
  }

  /** Cancels the order; true when its charge outcome is unknown (to resolve after commit). */
  private async cancelPendingOrder(tx: CommerceTx, orderId: string): Promise<boolean> {
    const order = await tx.orders.get(orderId);
    if (!order || order.status !== "pending") return false;
    const now = this.ctx.clock.now();
    await tx.orders.update({ ...order, status: "canceled", cancelReason: "reservation_expired", updatedAt: now, version: order.version + 1 }, order.version);
    tx.outbox.add(createEvent("order.canceled", { orderId, customerId: order.customerId, reason: "reservation_expired" }, this.ctx.clock));
    return order.payment.status === "pending";
  }
}
