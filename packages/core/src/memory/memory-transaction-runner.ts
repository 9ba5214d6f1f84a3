import { AsyncLocalStorage } from "node:async_hooks";
import { ConfigurationError } from "../errors/errors.js";
import type { DomainEvent } from "../events/domain-event.js";
import type { EventOutbox, EventPublisher } from "../transactions/unit-of-work.js";
import { coreCodes } from "../errors/core-error-codes.js";

/** The state of one in-memory transaction: its undo journal and its queued events. */
export class MemoryTransaction implements EventOutbox {
  private readonly undo: (() => void)[] = [];
  private readonly events: DomainEvent[] = [];
  private open = true;

  /**
   * Records how to reverse one write. Adapters call it for side structures kept next to
   * their tables (search indexes, sorted lists) so a rollback restores them too.
   * @throws ConfigurationError `transaction_closed` after the transaction ended.
   */
  journal(undo: () => void): void {
    this.assertOpen();
    this.undo.push(undo);
  }

  add(event: DomainEvent): void {
    this.assertOpen();
    this.events.push(event);
  }

  /** Throws unless the transaction is still running. @throws ConfigurationError `transaction_closed`. */
  assertOpen(): void {
    if (!this.open)
      throw new ConfigurationError(coreCodes.transaction_closed, "write after the transaction ended (a promise escaped its transaction)");
  }

  /** @internal */
  commit(): readonly DomainEvent[] {
    this.open = false;
    return this.events;
  }

  /** @internal Reverses every write, newest first. */
  rollback(): void {
    this.open = false;
    for (let i = this.undo.length - 1; i >= 0; i--) this.undo[i]!();
    this.events.length = 0;
  }
}

/**
 * Serialises in-memory transactions: one runs at a time, a throw restores every
 * change made through its {@link MemoryTable}s, and events reach the publisher only
 * after commit. Calls made inside a running transaction join it (no deadlock).
 */
export class MemoryTransactionRunner {
  private readonly als = new AsyncLocalStorage<MemoryTransaction>();
  private tail: Promise<void> = Promise.resolve();
  private publisher: EventPublisher | undefined;

  /** Sets who receives committed events. */
  setEventPublisher(publisher: EventPublisher): void {
    this.publisher = publisher;
  }

  /** The transaction of the current async context, if any. */
  current(): MemoryTransaction | undefined {
    return this.als.getStore();
  }

  /** The current transaction. @throws ConfigurationError `transaction_required` outside one. */
  require(): MemoryTransaction {
    const tx = this.als.getStore();
    if (!tx) throw new ConfigurationError(coreCodes.transaction_required, "in-memory writes must run inside store.transaction()");
    tx.assertOpen();
    return tx;
  }

  /** Runs `work` alone; commit on resolve, rollback on throw. */
  async run<T>(work: (tx: MemoryTransaction) => Promise<T>): Promise<T> {
    const joined = this.als.getStore();
    if (joined) return work(joined);
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    const tx = new MemoryTransaction();
    let events: readonly DomainEvent[];
    try {
      const result = await this.als.run(tx, () => work(tx));
      events = tx.commit();
      release();
      if (events.length > 0) this.publisher?.(events);
      return result;
    } catch (error) {
      tx.rollback();
      release();
      throw error;
    }
  }
}
