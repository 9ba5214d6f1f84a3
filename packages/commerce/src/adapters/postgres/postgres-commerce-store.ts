import { CursorCodec, defaultCursorCodec } from "@platform/core";
import {
  openPool,
  PostgresStore,
  type PoolClientLike,
  type PoolLike,
  type PostgresOutbox,
  type PostgresStoreOptions,
} from "@platform/core/postgres";
import type { CommerceStore, CommerceTx } from "../../ports/commerce-store.js";
import { PostgresAddressRepository } from "./postgres-address-repository.js";
import { PostgresCartRepository } from "./postgres-cart-repository.js";
import { PostgresCategoryRepository } from "./postgres-category-repository.js";
import { PostgresCustomerRepository } from "./postgres-customer-repository.js";
import { PostgresInventoryRepository } from "./postgres-inventory-repository.js";
import { PostgresNotificationRepository } from "./postgres-notification-repository.js";
import { PostgresOrderRepository } from "./postgres-order-repository.js";
import { PostgresProductRepository } from "./postgres-product-repository.js";
import { PostgresLoginThrottleRepository, PostgresSessionRepository } from "./postgres-session-repositories.js";
import { Sql } from "./sql-runner.js";

/** Options of {@link PostgresCommerceStore}. */
export interface PostgresCommerceStoreOptions extends PostgresStoreOptions {
  /**
   * Secret of the page cursors' HMAC, at least 32 characters: give every app server the same one
   * (a cursor made on one server then works on another). Default: a random secret per process.
   */
  cursorSecret?: string;
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
  private cursorCodec: CursorCodec;

  /** @throws ConfigurationError `weak_cursor_secret`. */
  constructor(pool: PoolLike, options: PostgresCommerceStoreOptions = {}) {
    const { cursorSecret, ...tx } = options;
    super(pool, tx);
    this.cursorCodec = cursorSecret === undefined ? defaultCursorCodec : new CursorCodec(cursorSecret);
  }

  /** Signs and checks this store's page cursors with `secret` from now on. @throws ConfigurationError `weak_cursor_secret`. */
  setCursorSecret(secret: string): void {
    this.cursorCodec = new CursorCodec(secret);
  }

  protected createTransaction(client: PoolClientLike, outbox: PostgresOutbox): CommerceTx {
    const sql = new Sql(client, outbox);
    return {
      outbox,
      products: new PostgresProductRepository(sql, this.cursorCodec),
      categories: new PostgresCategoryRepository(sql),
      customers: new PostgresCustomerRepository(sql),
      sessions: new PostgresSessionRepository(sql),
      loginThrottles: new PostgresLoginThrottleRepository(sql),
      clientThrottles: new PostgresLoginThrottleRepository(sql, { table: "commerce_login_client_throttles", key: "key" }),
      addresses: new PostgresAddressRepository(sql),
      carts: new PostgresCartRepository(sql),
      inventory: new PostgresInventoryRepository(sql),
      orders: new PostgresOrderRepository(sql, this.cursorCodec),
      notifications: new PostgresNotificationRepository(sql, this.cursorCodec),
    };
  }
}

/** Where {@link createPostgresCommerceStore} gets its connections. */
export type PostgresCommerceConnection = { pool: PoolLike } | { connectionString: string; max?: number; statementTimeoutMs?: number };

/**
 * Builds a {@link PostgresCommerceStore} on the host app's own pool or on a new pool from a
 * connection string (`pg` must be installed). Does not migrate: call {@link migrateCommerce}.
 * @throws ConfigurationError `missing_dependency` when `pg` is not installed, `weak_cursor_secret`.
 * @example
 * ```ts
 * const store = await createPostgresCommerceStore({ connectionString: process.env.DATABASE_URL! });
 * await migrateCommerce(store.pool);
 * const platform = createECommercePlatform({ store, payments: paymentPortFor(paymentSystem) });
 * ```
 */
export async function createPostgresCommerceStore(
  connection: PostgresCommerceConnection,
  options: PostgresCommerceStoreOptions = {},
): Promise<PostgresCommerceStore> {
  if (options.cursorSecret !== undefined) new CursorCodec(options.cursorSecret); // refused before a pool is opened
  const { pool } = await openPool(connection, "@platform/commerce");
  return new PostgresCommerceStore(pool, options);
}
