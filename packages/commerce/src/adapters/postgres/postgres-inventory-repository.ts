import { DomainRuleError, NotFoundError } from "@platform/core";
import type { Reservation, ReservationLine, StockAdjustment, StockLevel } from "../../domain/inventory.js";
import type { InventoryRepository } from "../../ports/inventory-repository.js";
import type { Sql } from "./sql-runner.js";
import { commerceCodes } from "../../domain/error-codes.js";

interface LevelRow {
  key: string;
  product_id: string;
  variant_id: string | null;
  on_hand: number;
  reserved: number;
  sold: number;
  received: number;
  adjusted: number;
  low_stock_threshold: number;
  updated_at: Date;
}

interface ReservationRow {
  id: string;
  order_id: string | null;
  status: Reservation["status"];
  expires_at: Date;
  created_at: Date;
  lines: ReservationLine[];
}

const LEVEL = "key, product_id, variant_id, on_hand, reserved, sold, received, adjusted, low_stock_threshold, updated_at";
const RESERVATION = `SELECT r.id, r.order_id, r.status, r.expires_at, r.created_at,
  COALESCE((SELECT json_agg(json_build_object('key', l.key, 'quantity', l.quantity) ORDER BY l.key) FROM commerce_reservation_lines l WHERE l.reservation_id = r.id), '[]') AS lines
  FROM commerce_reservations r`;

const toLevel = (r: LevelRow): StockLevel => ({
  key: r.key,
  productId: r.product_id,
  variantId: r.variant_id,
  onHand: r.on_hand,
  reserved: r.reserved,
  sold: r.sold,
  received: r.received,
  adjusted: r.adjusted,
  lowStockThreshold: r.low_stock_threshold,
  updatedAt: r.updated_at,
});
const toReservation = (r: ReservationRow): Reservation => ({
  id: r.id,
  orderId: r.order_id,
  lines: r.lines,
  status: r.status,
  expiresAt: r.expires_at,
  createdAt: r.created_at,
});

/**
 * The lines of a statement ($6/$7 or $2/$3: keys and quantities), one row per key, and their stock
 * rows locked in key order (`COLLATE "C"`: the byte order of the ASCII keys, the order `byKey` gives)
 * with the free quantity of the latest row version. The lock order is what keeps checkouts of
 * overlapping carts from deadlocking; statements that change the rows gate on `locked` so the
 * locks are all taken before the first change.
 */
const wantedLines = (keys: number) =>
  `w AS (SELECT key, sum(quantity)::int AS quantity FROM unnest($${keys}::text[], $${keys + 1}::int[]) AS t(key, quantity) GROUP BY key)`;
const lockedStock = (keys: number) =>
  `locked AS (SELECT s.key, s.on_hand - s.reserved AS free FROM commerce_stock_levels s WHERE s.key = ANY($${keys}::text[]) ORDER BY s.key COLLATE "C" FOR UPDATE)`;

/** Lines sorted by key: every transaction locks stock rows in the same order, so none deadlock. */
const byKey = (lines: readonly ReservationLine[]) => [...lines].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

/**
 * {@link InventoryRepository} on `commerce_stock_levels` (CHECK 0 <= reserved <= on_hand and the
 * stock balance) with reservations in `commerce_reservations` / `commerce_reservation_lines`.
 * Every change is a conditional `UPDATE ... WHERE <enough stock> RETURNING`, never a read then
 * a write; rows are touched in key order.
 */
export class PostgresInventoryRepository implements InventoryRepository {
  constructor(private readonly sql: Sql) {}

  async get(key: string): Promise<StockLevel | null> {
    const r = await this.sql.one<LevelRow>(`SELECT ${LEVEL} FROM commerce_stock_levels WHERE key = $1`, [key]);
    return r ? toLevel(r) : null;
  }

  async getMany(keys: readonly string[]): Promise<Map<string, StockLevel>> {
    const out = new Map<string, StockLevel>();
    if (keys.length === 0) return out;
    for (const r of await this.sql.rows<LevelRow>(`SELECT ${LEVEL} FROM commerce_stock_levels WHERE key = ANY($1::text[])`, [[...keys]]))
      out.set(r.key, toLevel(r));
    return out;
  }

  async ensure(level: Pick<StockLevel, "key" | "productId" | "variantId" | "lowStockThreshold">, at: Date): Promise<StockLevel> {
    await this.sql.query(
      "INSERT INTO commerce_stock_levels (key, product_id, variant_id, low_stock_threshold, updated_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (key) DO NOTHING",
      [level.key, level.productId, level.variantId, level.lowStockThreshold, at],
    );
    return (await this.get(level.key))!;
  }

  async adjust(a: StockAdjustment): Promise<StockLevel> {
    const received = a.reason === "received";
    const r = await this.sql.one<LevelRow>(
      `UPDATE commerce_stock_levels SET on_hand = on_hand + $2, received = received + $3, adjusted = adjusted + $4, updated_at = $5
        WHERE key = $1 AND on_hand + $2 >= reserved AND on_hand + $2 >= 0 RETURNING ${LEVEL}`,
      [a.key, a.delta, received ? a.delta : 0, received ? 0 : a.delta, a.at],
    );
    if (!r) {
      const current = await this.get(a.key);
      if (!current) throw NotFoundError.of(commerceCodes.stock_not_found, "stock item", a.key);
      throw new DomainRuleError(commerceCodes.negative_stock, `on-hand of ${a.key} would drop below reserved or zero`, {
        details: { key: a.key, onHand: current.onHand, reserved: current.reserved, delta: a.delta },
      });
    }
    await this.sql.query("INSERT INTO commerce_stock_adjustments (id, key, delta, reason, note, at) VALUES ($1, $2, $3, $4, $5, $6)", [
      a.id,
      a.key,
      a.delta,
      a.reason,
      a.note,
      a.at,
    ]);
    return toLevel(r);
  }

  async setLowStockThreshold(key: string, threshold: number, at: Date): Promise<StockLevel> {
    const r = await this.sql.one<LevelRow>(
      `UPDATE commerce_stock_levels SET low_stock_threshold = $2, updated_at = $3 WHERE key = $1 RETURNING ${LEVEL}`,
      [key, threshold, at],
    );
    if (!r) throw NotFoundError.of(commerceCodes.stock_not_found, "stock item", key);
    return toLevel(r);
  }

  /**
   * One statement: the stock rows locked in key order, every line checked against the locked
   * (latest) figures, then either all lines reserved and the reservation written, or nothing
   * changed (all-or-nothing even when a caller catches the error).
   */
  async reserve(res: Reservation): Promise<StockLevel[]> {
    const lines = byKey(res.lines);
    const r = await this.sql.one<{
      ok: boolean;
      free: Record<string, number>;
      levels: (Omit<LevelRow, "updated_at"> & { updated_at: string })[];
    }>(
      `WITH ${wantedLines(6)}, ${lockedStock(6)},
       ok AS (SELECT count(*) = (SELECT count(*) FROM w) AS ok FROM w JOIN locked l ON l.key = w.key WHERE l.free >= w.quantity),
       upd AS (UPDATE commerce_stock_levels s SET reserved = s.reserved + w.quantity, updated_at = $5 FROM w WHERE s.key = w.key AND (SELECT ok FROM ok) RETURNING s.*),
       r AS (INSERT INTO commerce_reservations (id, order_id, status, expires_at, created_at) SELECT $1, $2, $3, $4, $5 WHERE (SELECT ok FROM ok) RETURNING id),
       rl AS (INSERT INTO commerce_reservation_lines (reservation_id, key, quantity) SELECT r.id, l.key, l.quantity FROM r, unnest($6::text[], $7::int[]) AS l(key, quantity))
       SELECT (SELECT ok FROM ok) AS ok, COALESCE((SELECT json_object_agg(key, free) FROM locked), '{}') AS free,
         COALESCE((SELECT json_agg(json_build_object(${LEVEL.split(", ")
           .map((c) => `'${c}', u.${c}`)
           .join(", ")}) ORDER BY u.key COLLATE "C") FROM upd u), '[]') AS levels`,
      [res.id, res.orderId, res.status, res.expiresAt, res.createdAt, lines.map((l) => l.key), lines.map((l) => l.quantity)],
    );
    // The levels as the reservation left them (RETURNING), so the caller need not read them again.
    if (r?.ok) return r.levels.map((l) => toLevel({ ...l, updated_at: new Date(l.updated_at) }));
    // Nothing was written; report the first line (in key order) the stock cannot cover.
    const wanted = new Map<string, number>();
    for (const line of lines) wanted.set(line.key, (wanted.get(line.key) ?? 0) + line.quantity);
    const [key, requested] = [...wanted].find(([k, q]) => (r?.free[k] ?? 0) < q) ?? [lines[0]!.key, lines[0]!.quantity];
    const available = r?.free[key] ?? 0;
    throw new DomainRuleError(commerceCodes.insufficient_stock, `only ${available} of ${key} available, ${requested} requested`, {
      details: { key, available, requested },
    });
  }

  async getReservation(id: string): Promise<Reservation | null> {
    const r = await this.sql.one<ReservationRow>(`${RESERVATION} WHERE r.id = $1`, [id]);
    return r ? toReservation(r) : null;
  }

  /** Locks an active reservation (FOR UPDATE) so two processes cannot settle it twice. */
  private async lockActive(id: string): Promise<Reservation> {
    const row = await this.sql.one<ReservationRow>(`${RESERVATION} WHERE r.id = $1 FOR UPDATE OF r`, [id]);
    if (!row) throw NotFoundError.of(commerceCodes.reservation_not_found, "reservation", id);
    if (row.status !== "active")
      throw new DomainRuleError(commerceCodes.reservation_not_active, `reservation ${id} is ${row.status}`, {
        details: { id, status: row.status },
      });
    return toReservation(row);
  }

  async release(id: string, status: "released" | "expired", at: Date): Promise<Reservation> {
    const [r, missed] = await this.lockAndSettle(id, "reserved = s.reserved - w.quantity", "s.reserved >= w.quantity", status, at);
    if (missed)
      throw new DomainRuleError(commerceCodes.over_release, `cannot release ${missed.quantity} of ${missed.key}: not that many reserved`, {
        details: { key: missed.key, requested: missed.quantity },
      });
    return { ...r, status };
  }

  async commit(id: string, at: Date): Promise<Reservation> {
    const [r, missed] = await this.lockAndSettle(
      id,
      "on_hand = s.on_hand - w.quantity, reserved = s.reserved - w.quantity, sold = s.sold + w.quantity",
      "s.reserved >= w.quantity AND s.on_hand >= w.quantity",
      "committed",
      at,
    );
    if (missed)
      throw new DomainRuleError(commerceCodes.over_release, `reservation ${id} holds more of ${missed.key} than is reserved`, {
        details: { key: missed.key },
      });
    return { ...r, status: "committed" };
  }

  /**
   * Locks the reservation (it must be active) and settles it, the two statements sent together
   * (one round trip where the connection pipelines). The settling statement runs after the lock is
   * granted and reads the reservation's lines and status itself, so it changes nothing unless the
   * reservation is active; its stock rows are locked in key order, each changed by `set` where
   * `guard` holds, and the reservation's status set only when every line was. Returns the
   * reservation and the first line (in key order) whose guard failed, if any.
   */
  private async lockAndSettle(
    id: string,
    set: string,
    guard: string,
    status: Reservation["status"],
    at: Date,
  ): Promise<[Reservation, ReservationLine | undefined]> {
    const [r, row] = await Promise.all([
      this.lockActive(id),
      this.sql.one<{ keys: string[] }>(
        `WITH w AS (SELECT l.key, l.quantity FROM commerce_reservation_lines l JOIN commerce_reservations r ON r.id = l.reservation_id
                     WHERE l.reservation_id = $1 AND r.status = 'active'),
         locked AS (SELECT s.key FROM commerce_stock_levels s WHERE s.key IN (SELECT key FROM w) ORDER BY s.key COLLATE "C" FOR UPDATE),
         upd AS (UPDATE commerce_stock_levels s SET ${set}, updated_at = $2 FROM w WHERE s.key = w.key AND ${guard} AND (SELECT count(*) FROM locked) >= 0 RETURNING s.key),
         st AS (UPDATE commerce_reservations SET status = $3 WHERE id = $1 AND status = 'active' AND (SELECT count(*) FROM upd) = (SELECT count(*) FROM w))
         SELECT ARRAY(SELECT key FROM upd) AS keys`,
        [id, at, status],
      ),
    ]);
    const done = new Set(row?.keys ?? []);
    return [r, byKey(r.lines).find((l) => !done.has(l.key))];
  }

  async restock(lines: readonly ReservationLine[], at: Date): Promise<StockLevel[]> {
    const out = new Map<string, StockLevel>();
    for (const line of byKey(lines)) {
      const r = await this.sql.one<LevelRow>(
        `UPDATE commerce_stock_levels SET on_hand = on_hand + $2, sold = sold - $2, updated_at = $3 WHERE key = $1 AND sold >= $2 RETURNING ${LEVEL}`,
        [line.key, line.quantity, at],
      );
      if (!r) {
        if (!(await this.get(line.key))) throw NotFoundError.of(commerceCodes.stock_not_found, "stock item", line.key);
        throw new DomainRuleError(commerceCodes.over_release, `cannot restock ${line.quantity} of ${line.key}: not that many sold`);
      }
      out.set(line.key, toLevel(r));
    }
    return lines.map((l) => out.get(l.key)!);
  }

  /**
   * Due reservations, locked `FOR UPDATE SKIP LOCKED`: expirers running in several processes
   * take disjoint sets, and one a checkout is committing right now is left to it.
   */
  async expiredReservations(now: Date, limit: number): Promise<Reservation[]> {
    const rows = await this.sql.rows<ReservationRow>(
      `${RESERVATION} WHERE r.status = 'active' AND r.expires_at <= $1 ORDER BY r.expires_at, r.id LIMIT $2 FOR UPDATE OF r SKIP LOCKED`,
      [now, limit],
    );
    return rows.map(toReservation);
  }
}
