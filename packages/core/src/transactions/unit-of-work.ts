import type { DomainEvent } from "../events/domain-event.js";
import type { Logger } from "../observability/logger.js";

/**
 * Collects the events of one transaction. They are published only after the
 * transaction commits, and dropped if it rolls back.
 */
export interface EventOutbox {
  /** Queues an event for publication after commit. */
  add(event: DomainEvent): void;
}

/** Receives the events of each committed transaction, in order. */
export type EventPublisher = (events: readonly DomainEvent[]) => void;

/**
 * The store port every domain package builds on: `transaction(work)` commits when
 * `work` resolves and rolls back every change (and every recorded event) when it throws.
 * Each package's store extends it with its own transaction object (repositories + outbox).
 * @example
 * ```ts
 * await store.transaction(async (tx) => {
 *   const product = await tx.products.get(id);
 *   await tx.products.save({ ...product, stock: product.stock - 1 });
 *   tx.outbox.add(createEvent("product.updated", { productId: id }, clock));
 * });
 * ```
 */
export interface UnitOfWork<Tx> {
  /** Runs `work` in one transaction. A call made inside another transaction joins it. */
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /** Registers the publisher that receives committed events (the platform's event bus). */
  setEventPublisher(publisher: EventPublisher): void;
  /** Optional: where the adapter logs what it recovers from (PostgreSQL: idle connection errors). The factories pass their `logger`. */
  setLogger?(logger: Logger): void;
}
