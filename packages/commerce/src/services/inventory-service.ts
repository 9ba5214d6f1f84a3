import {
  checkActor,
  createEvent,
  createId,
  NotFoundError,
  parse,
  requireRole,
  type Clock,
  type EventOutbox,
  type Actor,
} from "@platform/core";
import { z } from "zod";
import { adjustStockSchema, available, lowStockThresholdSchema, type AdjustStockInput, type StockLevel } from "../domain/inventory.js";
import { stockKeyOf } from "../domain/product.js";
import { refSchema } from "../domain/schemas.js";

const stockRefSchema = z.object({ productId: refSchema, variantId: refSchema.nullish() });
import type { OrderSettlement } from "./order-settlement.js";
import type { ServiceContext } from "./service-context.js";
import { commerceCodes } from "../domain/error-codes.js";

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
  return {
    productId: l.productId,
    variantId: l.variantId,
    onHand: l.onHand,
    reserved: l.reserved,
    available: available(l),
    sold: l.sold,
    received: l.received,
    adjusted: l.adjusted,
    lowStockThreshold: l.lowStockThreshold,
  };
}

/** Records `inventory.low_stock_reached` when available stock crosses below its threshold. */
export function recordLowStock(outbox: EventOutbox, clock: Clock, before: StockLevel | undefined, after: StockLevel): void {
  const was = before ? available(before) : Number.POSITIVE_INFINITY;
  const now = available(after);
  if (now < after.lowStockThreshold && was >= after.lowStockThreshold) {
    outbox.add(
      createEvent(
        "inventory.low_stock_reached",
        { productId: after.productId, variantId: after.variantId, available: now, threshold: after.lowStockThreshold },
        clock,
      ),
    );
  }
}

/** Stock levels, adjustments and reservation expiry (`platform.inventory`). */
export class InventoryService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly settlement: OrderSettlement | null = null,
  ) {}

  /** Stock of a product (or variant), for any actor. @throws NotFoundError `stock_not_found`. */
  async getStock(actor: Actor, input: { productId: string; variantId?: string | null }): Promise<StockView> {
    checkActor(actor);
    const q = parse(stockRefSchema, input);
    const key = stockKeyOf(q.productId, q.variantId ?? null);
    const l = await this.ctx.store.transaction((tx) => tx.inventory.get(key));
    if (!l) throw NotFoundError.of(commerceCodes.stock_not_found, "stock item", key);
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
  async adjust(actor: Actor, input: AdjustStockInput): Promise<StockView> {
    requireRole(actor, "admin");
    const data = parse(adjustStockSchema, input);
    const { store, clock } = this.ctx;
    return store.transaction(async (tx) => {
      const key = stockKeyOf(data.productId, data.variantId ?? null);
      const before = await tx.inventory.get(key);
      if (!before) throw NotFoundError.of(commerceCodes.stock_not_found, "stock item", key);
      const after = await tx.inventory.adjust({
        id: createId("adj"),
        key,
        delta: data.delta,
        reason: data.reason,
        note: data.note ?? null,
        at: clock.now(),
      });
      tx.outbox.add(
        createEvent(
          "inventory.adjusted",
          { productId: after.productId, variantId: after.variantId, delta: data.delta, reason: data.reason, onHand: after.onHand },
          clock,
        ),
      );
      recordLowStock(tx.outbox, clock, before, after);
      return toStockView(after);
    });
  }

  /** Sets the threshold under which `inventory.low_stock_reached` fires (admin). @throws NotFoundError `stock_not_found`. @throws ForbiddenError `role_required`. */
  async setLowStockThreshold(actor: Actor, input: { productId: string; variantId?: string | null; threshold: number }): Promise<StockView> {
    requireRole(actor, "admin");
    const data = parse(lowStockThresholdSchema, input);
    return this.ctx.store.transaction(async (tx) => {
      const key = stockKeyOf(data.productId, data.variantId ?? null);
      if (!(await tx.inventory.get(key))) throw NotFoundError.of(commerceCodes.stock_not_found, "stock item", key);
      return toStockView(await tx.inventory.setLowStockThreshold(key, data.threshold, this.ctx.clock.now()));
    });
  }

  /**
   * Releases every reservation whose TTL has passed by the clock. Run it from a timer or job;
   * returns how many expired reservations were settled. A reservation of a pending order is never
   * released blindly, since the order's charge may exist: the charge is resolved through the payment
   * port first. Charged, the order is paid (its stock was still held); not charged, the order is
   * canceled (`reservation_expired`) and the stock released; still unknown, it stays held and the
   * order is left for the next run or the sweeper (`orders.sweepPendingPayments`). A charge waiting
   * for the customer (3-D Secure) is canceled through the port first (`PaymentPort.cancel`), so it
   * cannot complete for released stock.
   */
  async releaseExpired(input: { limit?: number } = {}): Promise<number> {
    const { limit } = parse(z.object({ limit: z.number().int().min(1).max(10_000).default(500) }), input);
    const { store, clock } = this.ctx;
    const held: string[] = [];
    const released = await store.transaction(async (tx) => {
      held.length = 0;
      const due = await tx.inventory.expiredReservations(clock.now(), limit);
      let n = 0;
      for (const r of due) {
        const order = r.orderId ? await tx.orders.get(r.orderId) : null;
        if (order && order.status === "pending") {
          held.push(order.id);
          continue;
        }
        await tx.inventory.release(r.id, "expired", clock.now());
        tx.outbox.add(createEvent("inventory.reservation_expired", { reservationId: r.id }, clock));
        n++;
      }
      return n;
    });
    // Gateway calls run outside the transaction; one failure does not stop the others.
    let settled = released;
    for (const orderId of held) {
      const r = await this.settlement?.resolvePending(orderId, "reservation_expired", { abandonAction: true }).catch(() => null);
      if (r && (r.resolution === "paid" || r.resolution === "canceled" || r.resolution === "refunded")) settled++;
    }
    return settled;
  }
}
