import { ConfigurationError } from "../errors/errors.js";
import type { CreatePoolOptions, PoolLike } from "./queryable.js";

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
    throw new ConfigurationError("install the 'pg' package to use the PostgreSQL adapter", "missing_dependency", { cause });
  }
  const Pool = (pg.default?.Pool ?? pg.Pool) as typeof import("pg").Pool;
  const pool = new Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName ?? "@platform",
    ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
  });
  // An idle client losing its connection emits 'error' on the pool; without a listener
  // node would crash the host process. The next query reports the failure instead.
  pool.on("error", () => undefined);
  return pool as unknown as PoolLike;
}
