import { ConflictError, Money } from "@platform/core";
import type { Cart, CartLine } from "../../domain/cart.js";
import type { CartRepository } from "../../ports/cart-repository.js";
import type { Sql } from "./sql-errors.js";

interface CartRow {
  id: string;
  user_id: string | null;
  created_at: Date;
  updated_at: Date;
  version: number;
  lines: { productId: string; variantId: string | null; quantity: number; price: string; currency: string }[];
}

const SELECT = `SELECT c.id, c.user_id, c.created_at, c.updated_at, c.version,
  COALESCE((SELECT json_agg(json_build_object('productId', l.product_id, 'variantId', l.variant_id, 'quantity', l.quantity,
     'price', l.added_unit_price::text, 'currency', l.currency) ORDER BY l.position)
   FROM commerce_cart_lines l WHERE l.cart_id = c.id), '[]') AS lines
  FROM cart c`;

function toCart(r: CartRow): Cart {
  const lines: CartLine[] = r.lines.map((l) => ({ productId: l.productId, variantId: l.variantId, quantity: l.quantity, addedUnitPrice: Money.of(l.price, l.currency) }));
  return { id: r.id, customerId: r.user_id, lines, createdAt: r.created_at, updatedAt: r.updated_at, version: r.version };
}

/** {@link CartRepository} on the seed's `cart` (one row per cart, unique `idx_cart_user_id`) and `commerce_cart_lines`. */
export class PostgresCartRepository implements CartRepository {
  constructor(private readonly sql: Sql) {}

  /** Reads a cart and locks it until the transaction ends, so changes to one cart serialize. */
  async get(id: string): Promise<Cart | null> {
    const r = await this.sql.one<CartRow>(`${SELECT} WHERE c.id = $1 FOR UPDATE OF c`, [id]);
    return r ? toCart(r) : null;
  }

  /**
   * A customer's cart, locked until the transaction ends; an advisory lock on the customer
   * comes first so two app servers creating the customer's first cart at once queue instead of
   * one failing with `cart_exists`.
   */
  async getByCustomer(customerId: string): Promise<Cart | null> {
    await this.sql.query("SELECT pg_advisory_xact_lock(hashtextextended('commerce.cart' || chr(1) || $1, 0))", [customerId]);
    const r = await this.sql.one<CartRow>(`${SELECT} WHERE c.user_id = $1 FOR UPDATE OF c`, [customerId]);
    return r ? toCart(r) : null;
  }

  async insert(cart: Cart): Promise<void> {
    const r = await this.sql.query("INSERT INTO cart (id, user_id, created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id) DO NOTHING", [
      cart.id,
      cart.customerId,
      cart.createdAt,
      cart.updatedAt,
      cart.version,
    ]);
    if (r.rowCount === 0) throw new ConflictError("the customer already has a cart", "cart_exists");
    await this.writeLines(cart);
  }

  async update(cart: Cart, expectedVersion: number): Promise<void> {
    const r = await this.sql.query("UPDATE cart SET user_id = $2, updated_at = $3, version = $4 WHERE id = $1 AND version = $5", [cart.id, cart.customerId, cart.updatedAt, cart.version, expectedVersion]);
    if (r.rowCount === 0) throw new ConflictError(`cart ${cart.id} was changed concurrently`, "version_conflict");
    await this.sql.query("DELETE FROM commerce_cart_lines WHERE cart_id = $1", [cart.id]);
    await this.writeLines(cart);
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
      [
        cart.id,
        cart.lines.map((_, i) => i),
        cart.lines.map((l) => l.productId),
        cart.lines.map((l) => l.variantId),
        cart.lines.map((l) => l.quantity),
        cart.lines.map((l) => l.addedUnitPrice.toFixed()),
        cart.lines.map((l) => l.addedUnitPrice.currency),
      ],
    );
  }
}
