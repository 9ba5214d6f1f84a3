import { DomainRuleError, NotFoundError, type MemoryTable } from "@platform/core";
import { available, type Reservation, type ReservationLine, type StockAdjustment, type StockLevel } from "../../domain/inventory.js";
import type { InventoryRepository } from "../../ports/inventory-repository.js";
import { commerceCodes } from "../../domain/error-codes.js";

/** Tables of the memory inventory. */
export interface MemoryInventoryTables {
  stock: MemoryTable<StockLevel, never, "product">;
  reservations: MemoryTable<Reservation, never, "status">;
  adjustments: MemoryTable<StockAdjustment, never, "key">;
}

/**
 * {@link InventoryRepository} in memory. Each method checks and writes in one step, as
 * the SQL conditional updates will; the surrounding transaction rolls partial work back.
 */
export class MemoryInventoryRepository implements InventoryRepository {
  constructor(private readonly t: MemoryInventoryTables) {}

  async get(key: string): Promise<StockLevel | null> {
    return this.t.stock.get(key) ?? null;
  }

  async getMany(keys: readonly string[]): Promise<Map<string, StockLevel>> {
    const out = new Map<string, StockLevel>();
    for (const k of keys) {
      const l = this.t.stock.get(k);
      if (l) out.set(k, l);
    }
    return out;
  }

  async ensure(level: Pick<StockLevel, "key" | "productId" | "variantId" | "lowStockThreshold">, at: Date): Promise<StockLevel> {
    const existing = this.t.stock.get(level.key);
    if (existing) return existing;
    return this.t.stock.insert({ ...level, onHand: 0, reserved: 0, sold: 0, received: 0, adjusted: 0, updatedAt: at });
  }

  private level(key: string): StockLevel {
    const l = this.t.stock.get(key);
    if (!l) throw NotFoundError.of(commerceCodes.stock_not_found, "stock item", key);
    return l;
  }

  async adjust(a: StockAdjustment): Promise<StockLevel> {
    const l = this.level(a.key);
    const onHand = l.onHand + a.delta;
    if (onHand < l.reserved) {
      throw new DomainRuleError(commerceCodes.negative_stock, `on-hand of ${a.key} would drop below reserved or zero`, {
        details: { key: a.key, onHand: l.onHand, reserved: l.reserved, delta: a.delta },
      });
    }
    this.t.adjustments.insert(a);
    const received = a.reason === "received" ? l.received + a.delta : l.received;
    const adjusted = a.reason === "received" ? l.adjusted : l.adjusted + a.delta;
    return this.t.stock.put({ ...l, onHand, received, adjusted, updatedAt: a.at });
  }

  async setLowStockThreshold(key: string, threshold: number, at: Date): Promise<StockLevel> {
    return this.t.stock.put({ ...this.level(key), lowStockThreshold: threshold, updatedAt: at });
  }

  async reserve(r: Reservation): Promise<StockLevel[]> {
    // Check every line first, then write: all-or-nothing even without the rollback.
    for (const line of r.lines) {
      const l = this.t.stock.get(line.key);
      const free = l ? available(l) : 0;
      if (free < line.quantity) {
        throw new DomainRuleError(commerceCodes.insufficient_stock, `only ${free} of ${line.key} available, ${line.quantity} requested`, {
          details: { key: line.key, available: free, requested: line.quantity },
        });
      }
    }
    const after = new Map<string, StockLevel>();
    for (const line of r.lines) {
      const l = this.level(line.key);
      const next = { ...l, reserved: l.reserved + line.quantity, updatedAt: r.createdAt };
      this.t.stock.put(next);
      after.set(line.key, next);
    }
    this.t.reservations.insert(r);
    return [...after.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async getReservation(id: string): Promise<Reservation | null> {
    return this.t.reservations.get(id) ?? null;
  }

  private active(id: string): Reservation {
    const r = this.t.reservations.get(id);
    if (!r) throw NotFoundError.of(commerceCodes.reservation_not_found, "reservation", id);
    if (r.status !== "active")
      throw new DomainRuleError(commerceCodes.reservation_not_active, `reservation ${id} is ${r.status}`, {
        details: { id, status: r.status },
      });
    return r;
  }

  async release(id: string, status: "released" | "expired", at: Date): Promise<Reservation> {
    const r = this.active(id);
    for (const line of r.lines) {
      const l = this.level(line.key);
      if (l.reserved < line.quantity) {
        throw new DomainRuleError(
          commerceCodes.over_release,
          `cannot release ${line.quantity} of ${line.key}: only ${l.reserved} reserved`,
          { details: { key: line.key, reserved: l.reserved, requested: line.quantity } },
        );
      }
      this.t.stock.put({ ...l, reserved: l.reserved - line.quantity, updatedAt: at });
    }
    return this.t.reservations.put({ ...r, status });
  }

  async commit(id: string, at: Date): Promise<Reservation> {
    const r = this.active(id);
    for (const line of r.lines) {
      const l = this.level(line.key);
      if (l.reserved < line.quantity || l.onHand < line.quantity) {
        throw new DomainRuleError(commerceCodes.over_release, `reservation ${id} holds more of ${line.key} than is reserved`, {
          details: { key: line.key },
        });
      }
      this.t.stock.put({
        ...l,
        onHand: l.onHand - line.quantity,
        reserved: l.reserved - line.quantity,
        sold: l.sold + line.quantity,
        updatedAt: at,
      });
    }
    return this.t.reservations.put({ ...r, status: "committed" });
  }

  async restock(lines: readonly ReservationLine[], at: Date): Promise<StockLevel[]> {
    const out: StockLevel[] = [];
    for (const line of lines) {
      const l = this.level(line.key);
      if (l.sold < line.quantity)
        throw new DomainRuleError(commerceCodes.over_release, `cannot restock ${line.quantity} of ${line.key}: only ${l.sold} sold`);
      out.push(this.t.stock.put({ ...l, onHand: l.onHand + line.quantity, sold: l.sold - line.quantity, updatedAt: at }));
    }
    return out;
  }

  async expiredReservations(now: Date, limit: number): Promise<Reservation[]> {
    const due: Reservation[] = [];
    for (const id of this.t.reservations.idsBy("status", "active")) {
      const r = this.t.reservations.get(id)!;
      if (r.expiresAt.getTime() <= now.getTime()) due.push(r);
    }
    return due.sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime()).slice(0, limit);
  }
}
