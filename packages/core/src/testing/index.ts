/**
 * Test helpers of @platform/core: throwaway PostgreSQL databases and the manual clock.
 * @packageDocumentation
 */
export { createIsolatedDatabase, createMigratedDatabase, type IsolatedDatabase, type MigratedDatabaseOptions } from "./test-database.js";
export { ManualClock } from "../clock/clock.js";
export {
  startPostgresServer,
  startDurablePostgresServer,
  type PostgresServer,
  type DurablePostgresServer,
  type StartPostgresOptions,
} from "./postgres-server.js";
export { spawnWorkers, type WorkerResult, type SpawnWorkersOptions } from "./spawn-workers.js";
export { summarizeLatencies, measureThroughput, tpcbBaseline, type LatencySummary } from "./bench-helpers.js";
export { countingPool, type CountingPool, type QueryCounts } from "./counting-pool.js";
export { waitForLockWaiter } from "./lock-waiter.js";
export { drainPurge } from "./drain-purge.js";
export { legacyCursor } from "./legacy-cursor.js";
export { waitUntil } from "./wait-until.js";
export { eventNameViolations, eventNamesInSource } from "./event-names.js";
export { codeOf } from "./code-of.js";
export { undeclaredErrorCodes, renderErrorCodeTable, checkErrorCodeDocs, type UndeclaredCode } from "./error-code-check.js";
export { memoryStoreFixture, postgresStoreFixture, type StoreFixture, type PostgresStoreFixtureOptions } from "./store-fixtures.js";
