import { randomBytes } from "node:crypto";
import { createPool } from "../postgres/create-pool.js";
import type { PoolLike } from "../postgres/queryable.js";

/** A throwaway database on a test server, dropped by `drop()`. */
export interface IsolatedDatabase {
  /** Connection string of the new database. */
  readonly url: string;
  /** A pool on it (closed by `drop()`). */
  readonly pool: PoolLike;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

/**
 * Creates a fresh database on the server behind `adminUrl`, so test files running in
 * parallel never see each other's rows.
 * @example
 * ```ts
 * const db = await createIsolatedDatabase(inject("databaseUrl"));
 * afterAll(() => db.drop());
 * ```
 */
export async function createIsolatedDatabase(adminUrl: string, options: { prefix?: string; max?: number } = {}): Promise<IsolatedDatabase> {
  const name = `${options.prefix ?? "t"}_${randomBytes(6).toString("hex")}`;
  const admin = await createPool({ connectionString: adminUrl, max: 1 });
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end?.();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const pool = await createPool({ connectionString: url.toString(), max: options.max ?? 10 });
  return {
    url: url.toString(),
    pool,
    async drop() {
      await pool.end?.();
      const again = await createPool({ connectionString: adminUrl, max: 1 });
      try {
        await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await again.end?.();
      }
    },
  };
}
