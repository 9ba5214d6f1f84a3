/**
 * PostgreSQL toolkit of the \@platform SDK: the query interface adapters need, a
 * transaction helper that retries serialization failures, and a migration runner.
 * `pg` is an optional peer dependency.
 * @packageDocumentation
 */
export type { Queryable, QueryResultLike, PoolLike, PoolClientLike, CreatePoolOptions } from "./queryable.js";
export { checkout } from "./queryable.js";
export { createPool, openPool, type PoolSource } from "./create-pool.js";
export { runTransaction, type RunTransactionOptions } from "./transaction.js";
export { snapshotRead } from "./prepared-statements.js";
export { isRetryableTransactionError, sqlState, toStorageError, RETRYABLE_SQLSTATES } from "./errors.js";
export { migrate, loadMigrations, migrationChecksum, type Migration, type MigrationSet, type MigrationReport } from "./migrations.js";
export { coreMigrations } from "./core-migrations.js";
export { PostgresStore, PostgresOutbox, type PostgresStoreOptions } from "./postgres-store.js";
export { purgeDispatchedOutbox, DEFAULT_OUTBOX_RETENTION_MS, type OutboxRetention } from "./outbox-retention.js";
export { OutboxDispatcher, type OutboxDispatcherOptions } from "./outbox-dispatcher.js";
export { createSqlErrorMapper, queryMapped, type SqlErrorCodes, type SqlErrorMapper } from "./sql-error-mapper.js";
