import { z } from "zod";
import type { CursorCodec, Page } from "@platform/core";
import type { Order } from "../../domain/order.js";
import type { OrderRepository } from "../../ports/order-repository.js";
import { ORDER_COLUMNS, ORDER_SELECT, orderValues, toOrder, type OrderRow } from "./order-rows.js";
import type { Sql } from "./sql-runner.js";
import { commerceCodes } from "../../domain/error-codes.js";

/** {@link ORDER_SELECT} plus whether the row it locks is the one its snapshot sees (see `get`). */
const LOCKED_ORDER_SELECT = ORDER_SELECT.replace(
  /\n  FROM orders o$/,
  ",\n  o.xmin = (SELECT v.xmin FROM orders v WHERE v.id = o.id) AS fresh\n  FROM orders o",
);
const sortKeySchema = z.tuple([z.union([z.number(), z.string()]), z.string()]);
const CASTS: Partial<Record<(typeof ORDER_COLUMNS)[number], string>> = {
  subtotal: "numeric",
  shipping: "numeric",
  tax: "numeric",
  total: "numeric",
  shipping_address: "jsonb",
  billing_address: "jsonb",
};
const placeholders = ORDER_COLUMNS.map((c, i) => `$${i + 1}${CASTS[c] ? `::${CASTS[c]}` : ""}`).join(", ");

/**
 * {@link OrderRepository} on the `orders` and `order_items` tables. The checkout idempotency key is
 * UNIQUE per customer (`INSERT ... ON CONFLICT DO NOTHING` decides the winner); updates are
 * conditional on the version.
 */
export class PostgresOrderRepository implements OrderRepository {
  constructor(
    private readonly sql: Sql,
    private readonly codec: CursorCodec,
  ) {}

  /**
   * Reads an order and locks its row until the transaction ends (`FOR UPDATE`): services read
   * an order, then decide and write, so operations on one order (a payment settling while a
   * concurrent retry resumes it, a cancel racing an expiry) serialize as on the memory store.
   * One statement locks and reads: one that waited for a row lock would see the items as of its
   * start, so it also compares the locked row's `xmin` with the row its snapshot sees (every
   * change of the items rewrites the order row in the same transaction), and reads again only
   * when they differ.
   */
  async get(id: string): Promise<Order | null> {
    const r = await this.sql.one<OrderRow & { fresh: boolean }>(`${LOCKED_ORDER_SELECT} WHERE o.id = $1 FOR UPDATE OF o`, [id]);
    if (!r) return null;
    if (r.fresh) return toOrder(r);
    const again = await this.sql.one<OrderRow>(`${ORDER_SELECT} WHERE o.id = $1`, [id]);
    return again ? toOrder(again) : null;
  }

  /**
   * Reads the order of a checkout key after taking a transaction-scoped advisory lock on
   * (customer, key): concurrent checkouts with one key on several processes queue here, and
   * each later one finds the first one's committed order instead of racing it to the unique
   * index (where it would lose with `idempotency_key_taken`). Both statements are sent together
   * (one round trip where the connection pipelines): the server runs the read after the lock is
   * granted, and in read committed it takes its snapshot then, so it sees the holder's commit.
   */
  async getByIdempotencyKey(customerId: string, key: string): Promise<Order | null> {
    const [, r] = await Promise.all([
      this.sql.query("SELECT pg_advisory_xact_lock(hashtextextended('commerce.checkout' || chr(1) || $1 || chr(1) || $2, 0))", [
        customerId,
        key,
      ]),
      this.sql.one<OrderRow>(`${ORDER_SELECT} WHERE o.user_id = $1 AND o.idempotency_key = $2`, [customerId, key]),
    ]);
    return r ? toOrder(r) : null;
  }

  /**
   * One statement: the order (ON CONFLICT on its checkout key: nothing is written) and its items.
   * Deferred (sent with the COMMIT): an existing checkout key raises in the statement
   * (`commerce_conflict`) and fails the transaction with `idempotency_key_taken`.
   */
  async insert(o: Order): Promise<void> {
    const n = ORDER_COLUMNS.length;
    const arrays = Array.from({ length: 11 }, (_, i) => `$${n + i + 1}`);
    await this.sql.defer(
      `WITH o AS (INSERT INTO orders (${ORDER_COLUMNS.join(", ")}) VALUES (${placeholders}) ON CONFLICT (user_id, idempotency_key) DO NOTHING RETURNING id),
       i AS (INSERT INTO order_items (order_id, line_id, position, product_id, variant_id, sku, name, quantity, price, total, currency, fulfilled_quantity)
         SELECT o.id, l.line_id, l.position, l.product_id, l.variant_id, l.sku, l.name, l.quantity, l.price::numeric, l.total::numeric, l.currency, l.fulfilled
           FROM o, unnest(${arrays[0]}::text[], ${arrays[1]}::int[], ${arrays[2]}::text[], ${arrays[3]}::text[], ${arrays[4]}::text[], ${arrays[5]}::text[], ${arrays[6]}::int[], ${arrays[7]}::text[], ${arrays[8]}::text[], ${arrays[9]}::text[], ${arrays[10]}::int[])
             AS l(line_id, position, product_id, variant_id, sku, name, quantity, price, total, currency, fulfilled))
       SELECT CASE WHEN EXISTS (SELECT 1 FROM o) THEN 1
         ELSE commerce_conflict('${commerceCodes.idempotency_key_taken}', 'an order with this idempotency key exists') END AS inserted`,
      [
        ...orderValues(o),
        o.lines.map((l) => l.lineId),
        o.lines.map((_, i) => i),
        o.lines.map((l) => l.productId),
        o.lines.map((l) => l.variantId),
        o.lines.map((l) => l.sku),
        o.lines.map((l) => l.name),
        o.lines.map((l) => l.quantity),
        o.lines.map((l) => l.unitPrice.toFixed()),
        o.lines.map((l) => l.lineTotal.toFixed()),
        o.lines.map((l) => l.unitPrice.currency),
        o.lines.map((l) => l.fulfilledQuantity),
      ],
    );
  }

  /**
   * One statement: the version-guarded order row and, only when it matched, its items' fulfilled
   * quantities (lines are frozen at checkout). Deferred (sent with the COMMIT): a stale version
   * raises in the statement (`commerce_conflict`) and fails the transaction with `version_conflict`.
   */
  async update(o: Order, expectedVersion: number): Promise<void> {
    const n = ORDER_COLUMNS.length;
    const sets = ORDER_COLUMNS.slice(1)
      .map((c, i) => `${c} = $${i + 2}${CASTS[c] ? `::${CASTS[c]}` : ""}`)
      .join(", ");
    await this.sql.defer(
      `WITH u AS (UPDATE orders SET ${sets} WHERE id = $1 AND version = $${n + 1} RETURNING id),
       i AS (UPDATE order_items i SET fulfilled_quantity = l.fulfilled FROM u, unnest($${n + 2}::text[], $${n + 3}::int[]) AS l(line_id, fulfilled)
         WHERE i.order_id = u.id AND i.line_id = l.line_id AND i.fulfilled_quantity <> l.fulfilled)
       SELECT CASE WHEN EXISTS (SELECT 1 FROM u) THEN 1
         ELSE commerce_conflict('${commerceCodes.version_conflict}', 'order ' || $1 || ' was changed concurrently') END AS updated`,
      [...orderValues(o), expectedVersion, o.lines.map((l) => l.lineId), o.lines.map((l) => l.fulfilledQuantity)],
    );
  }

  async listByCustomer(customerId: string, page: { limit: number; cursor: string | null }): Promise<Page<Order>> {
    const kind = "orders.by_customer";
    const after = page.cursor ? this.codec.decode(kind, page.cursor, sortKeySchema) : null;
    const params: unknown[] = [customerId, page.limit + 1];
    let cond = "";
    if (after) {
      params.push(after[0], after[1]);
      cond = "AND (o.created_at, o.id) < (timestamptz 'epoch' + $3::bigint * interval '1 millisecond', $4)";
    }
    const rows = await this.sql.rows<OrderRow>(
      `${ORDER_SELECT} WHERE o.user_id = $1 ${cond} ORDER BY o.created_at DESC, o.id DESC LIMIT $2`,
      params,
    );
    const items = rows.slice(0, page.limit).map(toOrder);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > page.limit && last ? this.codec.encode(kind, [last.createdAt.getTime(), last.id]) : null };
  }

  async claimPaymentPending(query: { changedBefore: Date; now: Date; leaseUntil: Date; limit: number }): Promise<Order[]> {
    // SKIP LOCKED: an order held by a checkout, a cancel or another sweeper is left for the next round.
    const claimed = await this.sql.rows<{ id: string }>(
      `UPDATE orders o SET sweep_lease_until = $3
        WHERE o.id IN (SELECT id FROM orders WHERE payment_status IN ('pending', 'requires_action') AND updated_at <= $1
                         AND (sweep_lease_until IS NULL OR sweep_lease_until <= $2)
                       ORDER BY updated_at, id LIMIT $4 FOR UPDATE SKIP LOCKED)
        RETURNING o.id`,
      [query.changedBefore, query.now, query.leaseUntil, query.limit],
    );
    if (claimed.length === 0) return [];
    const rows = await this.sql.rows<OrderRow>(`${ORDER_SELECT} WHERE o.id = ANY($1::text[]) ORDER BY o.updated_at, o.id`, [
      claimed.map((c) => c.id),
    ]);
    return rows.map(toOrder);
  }

  async releasePaymentClaims(orderIds: readonly string[], leaseUntil: Date): Promise<number> {
    if (orderIds.length === 0) return 0;
    const rows = await this.sql.rows<{ id: string }>(
      "UPDATE orders SET sweep_lease_until = NULL WHERE id = ANY($1::text[]) AND sweep_lease_until = $2 RETURNING id",
      [orderIds, leaseUntil],
    );
    return rows.length;
  }
}
