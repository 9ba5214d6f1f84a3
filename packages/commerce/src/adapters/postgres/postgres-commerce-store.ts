import { defaultCursorCodec, type CursorCodec } from "@platform/core";
import { openPool, PostgresStore, type PoolClientLike, type PoolLike, type PostgresOutbox, type RunTransactionOptions } from "@platform/core/postgres";
import type { CommerceStore, CommerceTx } from "../../ports/commerce-store.js";
import { PostgresAddressRepository } from "./postgres-address-repository.js";
import { PostgresCartRepository } from "./postgres-cart-repository.js";
import { PostgresCategoryRepository } from "./postgres-category-repository.js";
import { PostgresCustomerRepository } from "./postgres-customer-repository.js";
import { PostgresInventoryRepository } from "./postgres-inventory-repository.js";
import { PostgresOrderRepository } from "./postgres-order-repository.js";
import { PostgresProductRepository } from "./postgres-product-repository.js";
import { PostgresLoginThrottleRepository, PostgresSessionRepository } from "./postgres-session-repositories.js";
import { Sql } from "./sql-errors.js";

/** Options of {@link PostgresCommerceStore}. */
export interface PostgresCommerceStoreOptions extends RunTransactionOptions {
  /** Codec of page cursors (give every app server the same secret). Default: core's. */
  cursorCodec?: CursorCodec;
}

/**
 * The commerce store on PostgreSQL: one transaction per `transaction(work)` (read committed;
 * serialization failures and deadlocks re-run `work`), events written to `platform_outbox` in
 * the same transaction and published after commit, repositories bound to the transaction's
 * connection. Apply {@link migrateCommerce} first.
 * @example
 * ```ts
 * const store = new PostgresCommerceStore(pool);
 * const platform = createECommercePlatform({ store, payments: paymentPortFor(paymentSystem) });
 * ```
 */
export class PostgresCommerceStore extends PostgresStore<CommerceTx> implements CommerceStore {
  private readonly cursorCodec: CursorCodec;

  constructor(pool: PoolLike, options: PostgresCommerceStoreOptions = {}) {
    const { cursorCodec, ...tx } = options;
    super(pool, tx);
    this.cursorCodec = cursorCodec ?? defaultCursorCodec;
  }

  protected createTransaction(client: PoolClientLike, outbox: PostgresOutbox): CommerceTx {
    const sql = new Sql(client);
    return {
      outbox,
      products: new PostgresProductRepository(sql, this.cursorCodec),
      categories: new PostgresCategoryRepository(sql),
      customers: new PostgresCustomerRepository(sql),
      sessions: new PostgresSessionRepository(sql),
      loginThrottles: new PostgresLoginThrottleRepository(sql),
      addresses: new PostgresAddressRepository(sql),
      carts: new PostgresCartRepository(sql),
      inventory: new PostgresInventoryRepository(sql),
      orders: new PostgresOrderRepository(sql, this.cursorCodec),
    };
  }
}

/** Where {@link createPostgresCommerceStore} gets its connections. */
export type PostgresCommerceConnection = { pool: PoolLike } | { connectionString: string; max?: number; statementTimeoutMs?: number };

/**
 * Builds a {@link PostgresCommerceStore} on the host app's own pool or on a new pool from a
 * connection string (`pg` must be installed). Does not migrate: call {@link migrateCommerce}.
 * @throws ConfigurationError `missing_dependency` when `pg` is not installed.
 * @example
 * ```ts
 * const store = await createPostgresCommerceStore({ connectionString: process.env.DATABASE_URL! });
 * await migrateCommerce(store.pool);
 * const platform = createECommercePlatform({ store, payments: paymentPortFor(paymentSystem) });
 * ```
 */
export async function createPostgresCommerceStore(connection: PostgresCommerceConnection, options: PostgresCommerceStoreOptions = {}): Promise<PostgresCommerceStore> {
  const { pool } = await openPool(connection, "@platform/commerce");
  return new PostgresCommerceStore(pool, options);
}
