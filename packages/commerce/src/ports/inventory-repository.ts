import type { Reservation, ReservationLine, StockAdjustment, StockLevel } from "../domain/inventory.js";

/**
 * Stock levels and reservations. Every mutating method is atomic on its own, so that
 * PostgreSQL implements it with conditional updates, e.g. for `reserve`:
 * `UPDATE stock SET reserved = reserved + $q WHERE key = $k AND on_hand - reserved >= $q`
 * per summed line inside the caller's transaction (0 rows -> insufficient_stock -> rollback).
 * Services never read-then-write stock.
 */
export interface InventoryRepository {
  get(key: string): Promise<StockLevel | null>;
  getMany(keys: readonly string[]): Promise<Map<string, StockLevel>>;
  /** Creates the level if missing (zero stock). */
  ensure(level: Pick<StockLevel, "key" | "productId" | "variantId" | "lowStockThreshold">, at: Date): Promise<StockLevel>;
  /**
   * Adds `delta` to on-hand and records the adjustment; `received` adjustments count as received.
   * @throws DomainRuleError `negative_stock` when on-hand would drop below reserved (or zero).
   */
  adjust(adjustment: StockAdjustment): Promise<StockLevel>;
  setLowStockThreshold(key: string, threshold: number, at: Date): Promise<StockLevel>;
  /**
   * Reserves every line or none (lines already summed per key). Returns the stock levels as the
   * reservation left them, one per key, in key order (the caller need not read them again).
   * @throws DomainRuleError `insufficient_stock` with `details.key`, `details.available`.
   */
  reserve(reservation: Reservation): Promise<StockLevel[]>;
  getReservation(id: string): Promise<Reservation | null>;
  /**
   * Returns the held units of an active reservation to available stock.
   * @throws DomainRuleError `reservation_not_active`, `over_release` (more than reserved).
   */
  release(id: string, status: "released" | "expired", at: Date): Promise<Reservation>;
  /**
   * Turns an active reservation into a sale: on-hand and reserved drop, sold rises.
   * @throws DomainRuleError `reservation_not_active`.
   */
  commit(id: string, at: Date): Promise<Reservation>;
  /** Puts sold units back on the shelf (order canceled after payment). */
  restock(lines: readonly ReservationLine[], at: Date): Promise<StockLevel[]>;
  /** Active reservations whose expiry is at or before `now`, oldest first. */
  expiredReservations(now: Date, limit: number): Promise<Reservation[]>;
}
