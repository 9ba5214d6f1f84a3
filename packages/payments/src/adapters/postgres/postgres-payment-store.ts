import { CursorCodec, defaultCursorCodec } from "@platform/core";
import {
  openPool,
  PostgresStore,
  type PoolClientLike,
  type PoolLike,
  type PostgresOutbox,
  type PostgresStoreOptions,
} from "@platform/core/postgres";
import type { PaymentTx } from "../../ports/payment-store.js";
import { migratePayments } from "./payments-migrations.js";
import { PostgresFraudListRepository } from "./postgres-fraud-list-repository.js";
import { PostgresFraudRuleRepository } from "./postgres-fraud-rule-repository.js";
import { PostgresFraudSignalRepository } from "./postgres-fraud-signal-repository.js";
import { PostgresIdempotencyRepository } from "./postgres-idempotency-repository.js";
import { PostgresLedgerRepository } from "./postgres-ledger-repository.js";
import { PostgresGatewayEventRepository } from "./postgres-gateway-event-repository.js";
import { PostgresPaymentRepository } from "./postgres-payment-repository.js";
import { PostgresRefundRepository } from "./postgres-refund-repository.js";
import { PostgresWebhookDeliveryRepository } from "./postgres-webhook-delivery-repository.js";
import { PostgresWebhookEndpointRepository } from "./postgres-webhook-endpoint-repository.js";
import { mapSqlError } from "./sql-errors.js";

/**
 * The payment system's PostgreSQL store: one database transaction per `transaction(work)`
 * (nested calls join it; serialization failures and deadlocks re-run `work`), events written to
 * `platform_outbox` with the change and published after commit. Lost connections and statement
 * timeouts surface as `StorageError` `storage_unavailable` after the rollback.
 * @throws (from `transaction`) ConflictError `version_conflict`, `duplicate_id`; ValidationError
 *   `nul_character`; DomainRuleError `amount_invariant_violated`; StorageError `storage_unavailable`.
 * @example
 * ```ts
 * const store = await createPostgresPaymentStore({ connectionString: process.env.DATABASE_URL!, migrate: true });
 * const system = createPaymentSystem({ store, gateways: { stripe: myStripeGateway } });
 * ```
 */
export class PostgresPaymentStore extends PostgresStore<PaymentTx> {
  private cursorCodec: CursorCodec;

  /** @throws ConfigurationError `weak_cursor_secret` when `options.cursorSecret` is shorter than 32 characters. */
  constructor(
    pool: PoolLike,
    options: PostgresStoreOptions & { cursorSecret?: string } = {},
    private readonly ownsPool = false,
  ) {
    const { cursorSecret, ...tx } = options;
    super(pool, tx);
    this.cursorCodec = cursorSecret === undefined ? defaultCursorCodec : new CursorCodec(cursorSecret);
  }

  /** Signs and checks this store's page cursors with `secret` from now on. @throws ConfigurationError `weak_cursor_secret`. */
  setCursorSecret(secret: string): void {
    this.cursorCodec = new CursorCodec(secret);
  }

  protected createTransaction(client: PoolClientLike, outbox: PostgresOutbox): PaymentTx {
    // Inserts that can only fail with an SQL error go out without waiting for their answers (see
    // `PostgresOutbox.defer`): they share the round trip of the next statement, often the COMMIT's.
    const defer = (write: Promise<unknown>) => outbox.defer(write);
    return {
      outbox,
      payments: new PostgresPaymentRepository(client, this.cursorCodec, defer),
      ledger: new PostgresLedgerRepository(client, this.cursorCodec, defer),
      refunds: new PostgresRefundRepository(client, this.cursorCodec),
      idempotency: new PostgresIdempotencyRepository(client, defer),
      fraudRules: new PostgresFraudRuleRepository(client, this.cursorCodec),
      fraudLists: new PostgresFraudListRepository(client, this.cursorCodec),
      fraudSignals: new PostgresFraudSignalRepository(client),
      webhookEndpoints: new PostgresWebhookEndpointRepository(client, this.cursorCodec),
      webhookDeliveries: new PostgresWebhookDeliveryRepository(client, this.cursorCodec, defer),
      gatewayEvents: new PostgresGatewayEventRepository(client),
    };
  }

  override async transaction<T>(work: (tx: PaymentTx) => Promise<T>): Promise<T> {
    try {
      return await super.transaction(work);
    } catch (error) {
      // Deferred constraints (balanced postings, unique rule positions) fail at COMMIT.
      throw mapSqlError(error);
    }
  }

  /** Closes the pool if this store created it (a pool passed in stays the caller's to close). */
  async close(): Promise<void> {
    if (this.ownsPool) await this.pool.end?.();
  }
}

/** Options of {@link createPostgresPaymentStore}: the host app's pool, or a connection string. */
export type PostgresPaymentStoreOptions = ({ pool: PoolLike } | { connectionString: string; max?: number; statementTimeoutMs?: number }) & {
  /** Apply the migrations first (default false: run `migratePayments(pool)` from your deploy step). */
  migrate?: boolean;
  /** Isolation level and retry policy of each transaction, and the retention of dispatched outbox rows. */
  transactions?: PostgresStoreOptions;
  /**
   * Secret of the page cursors' HMAC, at least 32 characters: give every app server the same one
   * (a cursor made on one server then works on another). Default: a random secret per process.
   */
  cursorSecret?: string;
};

/**
 * Builds the PostgreSQL store on the caller's pool or on a new one.
 * @throws ConfigurationError `missing_dependency` when `pg` is not installed, `weak_cursor_secret`; StorageError `storage_unavailable`.
 * @example
 * ```ts
 * import { createPaymentSystem } from "@platform/payments";
 * import { createPostgresPaymentStore } from "@platform/payments/postgres";
 * const store = await createPostgresPaymentStore({ connectionString: process.env.DATABASE_URL!, migrate: true });
 * const system = createPaymentSystem({ store, gateways: { stripe: myStripeGateway } });
 * ```
 */
export async function createPostgresPaymentStore(options: PostgresPaymentStoreOptions): Promise<PostgresPaymentStore> {
  if (options.cursorSecret !== undefined) new CursorCodec(options.cursorSecret); // refused before a pool is opened
  const { pool, owned } = await openPool(options, "@platform/payments", options.migrate ? migratePayments : undefined);
  const cursorSecret = options.cursorSecret === undefined ? {} : { cursorSecret: options.cursorSecret };
  return new PostgresPaymentStore(pool, { ...options.transactions, ...cursorSecret }, owned);
}
