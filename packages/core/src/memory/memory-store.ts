import type { EventPublisher, UnitOfWork } from "../transactions/unit-of-work.js";
import { MemoryTable, type MemoryTableOptions } from "./memory-table.js";
import { MemoryTransactionRunner, type MemoryTransaction } from "./memory-transaction-runner.js";

/**
 * Base class of the in-memory adapters: serialised transactions with full rollback,
 * indexed tables, and events published after commit. A subclass declares its tables
 * and builds its transaction object (repositories + outbox) in `createTransaction`.
 * @example
 * ```ts
 * class MemoryShopStore extends MemoryStore<ShopTx> {
 *   private products = this.table<Product, "sku">("products", { id: (p) => p.id, unique: { sku: { key: (p) => p.sku, code: "sku_taken" } } });
 *   protected createTransaction(tx: MemoryTransaction): ShopTx {
 *     return { outbox: tx, products: new MemoryProductRepository(this.products) };
 *   }
 * }
 * ```
 */
export abstract class MemoryStore<Tx> implements UnitOfWork<Tx> {
  protected readonly runner = new MemoryTransactionRunner();

  /** Builds the transaction object handed to `work`. */
  protected abstract createTransaction(tx: MemoryTransaction): Tx;

  /** Declares a table bound to this store's transactions. */
  protected table<V, U extends string = never, I extends string = never>(
    name: string,
    options: MemoryTableOptions<V, U, I>,
  ): MemoryTable<V, U, I> {
    return new MemoryTable<V, U, I>(this.runner, name, options);
  }

  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.runner.run((tx) => work(this.createTransaction(tx)));
  }

  setEventPublisher(publisher: EventPublisher): void {
    this.runner.setEventPublisher(publisher);
  }
}
