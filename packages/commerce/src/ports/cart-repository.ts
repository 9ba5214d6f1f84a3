import type { Cart } from "../domain/cart.js";

/**
 * Carts: one open cart per customer (unique), any number of guest carts. `update` may be deferred
 * to the commit (the PostgreSQL store sends it with it): its failure may then come from the
 * transaction instead of the call, so callers never catch it to carry on.
 */
export interface CartRepository {
  get(id: string): Promise<Cart | null>;
  getByCustomer(customerId: string): Promise<Cart | null>;
  /** @throws ConflictError `cart_exists` for a second cart of one customer. */
  insert(cart: Cart): Promise<void>;
  /** @throws ConflictError `version_conflict` (here or from the transaction). */
  update(cart: Cart, expectedVersion: number): Promise<void>;
  delete(id: string): Promise<void>;
}
