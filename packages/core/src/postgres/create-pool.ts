import { ConfigurationError } from "../errors/errors.js";
import { silentLogger, writeLog, type Logger } from "../observability/logger.js";
import type { CreatePoolOptions, PoolLike } from "./queryable.js";
import { coreCodes } from "../errors/core-error-codes.js";

/** Where a store gets its connections: the host app's own pool, or a connection string. */
export type PoolSource = { pool: PoolLike } | { connectionString: string; max?: number; statementTimeoutMs?: number; logger?: Logger };

/**
 * A node-postgres pool from a connection string. `pg` is an optional peer dependency,
 * loaded only here.
 * @throws ConfigurationError `missing_dependency` when `pg` is not installed.
 */
export async function createPool(options: CreatePoolOptions): Promise<PoolLike> {
  let pg: typeof import("pg");
  try {
    pg = await import("pg");
  } catch (cause) {
    throw new ConfigurationError(coreCodes.missing_dependency, "install the 'pg' package to use the PostgreSQL adapter", { cause });
  }
  const Pool = (pg.default?.Pool ?? pg.Pool) as typeof import("pg").Pool;
  const pool = new Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName ?? "@platform",
    pipeline: options.pipeline ?? true,
    ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
  });
  // An idle client losing its connection emits 'error' on the pool; without a listener
  // node would crash the host process. The next query reports the failure to its caller; the
  // event itself is only logged.
  const logger = options.logger ?? silentLogger;
  pool.on("error", (error) =>
    writeLog(logger, "error", "idle PostgreSQL connection failed", { applicationName: options.applicationName ?? "@platform" }, error),
  );
  return pool as unknown as PoolLike;
}

/**
 * The pool of a store factory: the caller's own (never closed by the store) or a new one from a
 * connection string (owned by the store). `prepare` (e.g. migrations) runs first; if it fails, an
 * owned pool is closed before the error is rethrown.
 * @throws ConfigurationError `missing_dependency`; whatever `prepare` throws.
 * @example
 * ```ts
 * const { pool, owned } = await openPool(options, "@platform/social", options.migrate ? migrateSocial : undefined);
 * ```
 */
export async function openPool(
  source: PoolSource,
  applicationName: string,
  prepare?: (pool: PoolLike) => Promise<unknown>,
): Promise<{ pool: PoolLike; owned: boolean }> {
  if ("pool" in source) {
    if (prepare) await prepare(source.pool);
    return { pool: source.pool, owned: false };
  }
  const pool = await createPool({
    connectionString: source.connectionString,
    applicationName,
    ...(source.max !== undefined ? { max: source.max } : {}),
    ...(source.statementTimeoutMs !== undefined ? { statementTimeoutMs: source.statementTimeoutMs } : {}),
    ...(source.logger ? { logger: source.logger } : {}),
  });
  if (prepare) {
    try {
      await prepare(pool);
    } catch (error) {
      await pool.end?.();
      throw error;
    }
  }
  return { pool, owned: true };
}
