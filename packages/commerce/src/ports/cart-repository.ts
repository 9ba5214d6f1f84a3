import type { Cart } from "../domain/cart.js";

/** Carts: one open cart per customer (unique), any number of guest carts. */
export interface CartRepository {
  get(id: string): Promise<Cart | null>;
  getByCustomer(customerId: string): Promise<Cart | null>;
  /** @throws ConflictError `cart_exists` for a second cart of one customer. */
  insert(cart: Cart): Promise<void>;
  /** @throws ConflictError `version_conflict`. */
  update(cart: Cart, expectedVersion: number): Promise<void>;
  delete(id: string): Promise<void>;
}
