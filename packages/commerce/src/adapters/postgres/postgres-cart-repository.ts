import { ConflictError, Money } from "@platform/core";
import type { Cart, CartLine } from "../../domain/cart.js";
import type { CartRepository } from "../../ports/cart-repository.js";
import type { Sql } from "./sql-runner.js";
import { commerceCodes } from "../../domain/error-codes.js";

interface CartRow {
  id: string;
  user_id: string | null;
  created_at: Date;
  updated_at: Date;
  version: number;
  checkout_order_id: string | null;
  lines: { productId: string; variantId: string | null; quantity: number; price: string; currency: string }[];
}

const SELECT = `SELECT c.id, c.user_id, c.created_at, c.updated_at, c.version, c.checkout_order_id,
  COALESCE((SELECT json_agg(json_build_object('productId', l.product_id, 'variantId', l.variant_id, 'quantity', l.quantity,
     'price', l.added_unit_price::text, 'currency', l.currency) ORDER BY l.position)
   FROM commerce_cart_lines l WHERE l.cart_id = c.id), '[]') AS lines
  FROM cart c`;

/** {@link SELECT} plus whether the row it locks is the one its snapshot sees (see `get`). */
const LOCKED_SELECT = SELECT.replace(
  /\n  FROM cart c$/,
  ",\n  c.xmin = (SELECT v.xmin FROM cart v WHERE v.id = c.id) AS fresh\n  FROM cart c",
);

function toCart(r: CartRow): Cart {
  const lines: CartLine[] = r.lines.map((l) => ({
    productId: l.productId,
    variantId: l.variantId,
    quantity: l.quantity,
    addedUnitPrice: Money.of(l.price, l.currency),
  }));
  return {
    id: r.id,
    customerId: r.user_id,
    lines,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
    checkoutOrderId: r.checkout_order_id,
  };
}

/** {@link CartRepository} on the `cart` table (one row per cart, unique `idx_cart_user_id`) and `commerce_cart_lines`. */
export class PostgresCartRepository implements CartRepository {
  constructor(private readonly sql: Sql) {}

  /**
   * Reads a cart and locks it until the transaction ends, so changes to one cart serialize.
   * One statement locks and reads. A statement that waited for the lock sees the new cart row but
   * other tables (the lines) as of its start, so it also compares the locked row's `xmin` with the
   * row its snapshot sees: every change of the lines rewrites the cart row, so equal means the
   * lines are current, and only otherwise (the lock waited for a writer) is the cart read again.
   */
  async get(id: string): Promise<Cart | null> {
    return this.lockAndRead("c.id = $1", id);
  }

  /**
   * A customer's cart, locked until the transaction ends (see {@link get}). When there is none
   * yet, an advisory lock on the customer is taken and the lock retried, so two app servers
   * creating the customer's first cart at once queue instead of one failing with `cart_exists`.
   */
  async getByCustomer(customerId: string): Promise<Cart | null> {
    const cart = await this.lockAndRead("c.user_id = $1", customerId);
    if (cart) return cart;
    await this.sql.query("SELECT pg_advisory_xact_lock(hashtextextended('commerce.cart' || chr(1) || $1, 0))", [customerId]);
    return this.lockAndRead("c.user_id = $1", customerId);
  }

  private async lockAndRead(where: string, value: string): Promise<Cart | null> {
    const r = await this.sql.one<CartRow & { fresh: boolean }>(`${LOCKED_SELECT} WHERE ${where} FOR UPDATE OF c`, [value]);
    if (!r) return null;
    if (r.fresh) return toCart(r);
    const again = await this.sql.one<CartRow>(`${SELECT} WHERE c.id = $1`, [r.id]);
    return again ? toCart(again) : null;
  }

  async insert(cart: Cart): Promise<void> {
    const r = await this.sql.query(
      "INSERT INTO cart (id, user_id, created_at, updated_at, version, checkout_order_id) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (user_id) DO NOTHING",
      [cart.id, cart.customerId, cart.createdAt, cart.updatedAt, cart.version, cart.checkoutOrderId ?? null],
    );
    if (r.rowCount === 0) throw new ConflictError(commerceCodes.cart_exists, "the customer already has a cart");
    await this.writeLines(cart);
  }

  /**
   * One statement: the version-guarded header update, the lines upserted by position and the
   * positions past the new end deleted (disjoint rows, so one statement may touch them all). It is
   * deferred (sent with the COMMIT), so a stale version raises in the statement (`commerce_conflict`)
   * and fails the transaction with `version_conflict`.
   */
  async update(cart: Cart, expectedVersion: number): Promise<void> {
    await this.sql.defer(
      `WITH u AS (UPDATE cart SET user_id = $2, updated_at = $3, version = $4, checkout_order_id = $12 WHERE id = $1 AND version = $5 RETURNING id),
       up AS (
         INSERT INTO commerce_cart_lines (cart_id, position, product_id, variant_id, quantity, added_unit_price, currency)
         SELECT u.id, l.position, l.product_id, l.variant_id, l.quantity, l.price::numeric, l.currency
           FROM u, unnest($6::int[], $7::text[], $8::text[], $9::int[], $10::text[], $11::text[]) AS l(position, product_id, variant_id, quantity, price, currency)
         ON CONFLICT (cart_id, position) DO UPDATE SET product_id = EXCLUDED.product_id, variant_id = EXCLUDED.variant_id,
           quantity = EXCLUDED.quantity, added_unit_price = EXCLUDED.added_unit_price, currency = EXCLUDED.currency),
       del AS (DELETE FROM commerce_cart_lines d USING u WHERE d.cart_id = u.id AND d.position >= cardinality($6::int[]))
       SELECT CASE WHEN EXISTS (SELECT 1 FROM u) THEN 1 ELSE commerce_conflict('${commerceCodes.version_conflict}', 'cart ' || $1 || ' was changed concurrently') END AS updated`,
      [cart.id, cart.customerId, cart.updatedAt, cart.version, expectedVersion, ...this.lineArrays(cart), cart.checkoutOrderId ?? null],
    );
  }

  async delete(id: string): Promise<void> {
    await this.sql.query("DELETE FROM cart WHERE id = $1", [id]);
  }

  private async writeLines(cart: Cart): Promise<void> {
    if (cart.lines.length === 0) return;
    await this.sql.query(
      `INSERT INTO commerce_cart_lines (cart_id, position, product_id, variant_id, quantity, added_unit_price, currency)
       SELECT $1, l.position, l.product_id, l.variant_id, l.quantity, l.price::numeric, l.currency
         FROM unnest($2::int[], $3::text[], $4::text[], $5::int[], $6::text[], $7::text[]) AS l(position, product_id, variant_id, quantity, price, currency)`,
      [cart.id, ...this.lineArrays(cart)],
    );
  }

  private lineArrays(cart: Cart): unknown[] {
    return [
      cart.lines.map((_, i) => i),
      cart.lines.map((l) => l.productId),
      cart.lines.map((l) => l.variantId),
      cart.lines.map((l) => l.quantity),
      cart.lines.map((l) => l.addedUnitPrice.toFixed()),
      cart.lines.map((l) => l.addedUnitPrice.currency),
    ];
  }
}
