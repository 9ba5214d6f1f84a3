import type { Page } from "@platform/core";
import type { Order } from "../domain/order.js";

/**
 * Orders, unique by (customer, idempotency key). `insert` and `update` may be deferred to the
 * commit (the PostgreSQL store sends them with it): their failure may then come from the
 * transaction instead of the call, so callers never catch it to carry on.
 */
export interface OrderRepository {
  get(id: string): Promise<Order | null>;
  /** The order created by a checkout with this key (INSERT ... ON CONFLICT decides the winner in SQL). */
  getByIdempotencyKey(customerId: string, key: string): Promise<Order | null>;
  /** @throws ConflictError `idempotency_key_taken` (here or from the transaction). */
  insert(order: Order): Promise<void>;
  /** @throws ConflictError `version_conflict` (here or from the transaction). */
  update(order: Order, expectedVersion: number): Promise<void>;
  /** A customer's orders, newest first, keyset-paginated. */
  listByCustomer(customerId: string, page: { limit: number; cursor: string | null }): Promise<Page<Order>>;
  /**
   * Claims up to `limit` orders whose payment outcome is unknown (payment `pending`), last changed at
   * or before `changedBefore`, that no other sweeper holds at `now`: each is leased until `leaseUntil`,
   * oldest first. SQL: `UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED) RETURNING`, so
   * sweepers in several processes take disjoint orders.
   */
  claimPaymentPending(query: { changedBefore: Date; now: Date; leaseUntil: Date; limit: number }): Promise<Order[]>;
  /**
   * Hands back sweeper claims before their lease lapses (a sweeper abandoning its run): clears the lease
   * of each order still held under exactly `leaseUntil` (the claim's own lease, so a claim another
   * sweeper took over since is left alone). Returns how many were released.
   */
  releasePaymentClaims(orderIds: readonly string[], leaseUntil: Date): Promise<number>;
}
