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
export async function createIsolatedDatabase(
  adminUrl: string,
  options: { prefix?: string; max?: number; template?: string } = {},
): Promise<IsolatedDatabase> {
  const name = `${options.prefix ?? "t"}_${randomBytes(6).toString("hex")}`;
  const admin = await createPool({ connectionString: adminUrl, max: 1 });
  try {
    await admin.query(
      options.template ? `CREATE DATABASE ${name} TEMPLATE ${options.template} STRATEGY FILE_COPY` : `CREATE DATABASE ${name}`,
    );
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

/** Options of {@link createMigratedDatabase}. */
export interface MigratedDatabaseOptions {
  /** Prefix of the database's name (letters, digits, `_`); databases of one prefix share a template. */
  prefix: string;
  /** Applies the schema (a package's migrations). */
  migrate(pool: PoolLike): Promise<unknown>;
  /** Pool size (default 10). */
  max?: number;
  /**
   * Scope of the migrated template this database is cloned from; default `PLATFORM_TEST_TEMPLATE_KEY`
   * (set once per test run by the workspace's vitest global setup). Without one, every database is
   * created empty and migrated.
   */
  templateKey?: string | null;
}

const NAME_PART = /^[a-z0-9_]{1,30}$/;

async function ensureTemplate(adminUrl: string, name: string, migrate: (pool: PoolLike) => Promise<unknown>): Promise<void> {
  const admin = await createPool({ connectionString: adminUrl, max: 1 });
  try {
    // One builder per template across the test processes; the others wait, then clone.
    const client = await admin.connect();
    try {
      await client.query("SELECT pg_advisory_lock(hashtext($1))", [name]);
      const { rows } = await client.query<{ datistemplate: boolean }>("SELECT datistemplate FROM pg_database WHERE datname = $1", [name]);
      if (rows[0]?.datistemplate) return;
      // A template left half-built by a killed run is rebuilt.
      if (rows[0]) await client.query(`DROP DATABASE ${name} WITH (FORCE)`);
      await client.query(`CREATE DATABASE ${name}`);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      const pool = await createPool({ connectionString: url.toString(), max: 1 });
      try {
        await migrate(pool);
      } finally {
        await pool.end?.();
      }
      await client.query(`ALTER DATABASE ${name} WITH IS_TEMPLATE true`);
    } finally {
      // A session lock ends with its connection, closed just below: a failed unlock loses nothing.
      await client.query("SELECT pg_advisory_unlock(hashtext($1))", [name]).catch(() => undefined);
      client.release();
    }
  } finally {
    await admin.end?.();
  }
}

/**
 * A throwaway database holding a package's schema. Test files of one run clone a template migrated
 * once (`CREATE DATABASE ... TEMPLATE`), which costs a file copy instead of running every migration
 * again in every file.
 * @example
 * ```ts
 * const db = await createMigratedDatabase(inject("databaseUrl"), { prefix: "commerce", migrate: migrateCommerce });
 * afterAll(() => db.drop());
 * ```
 */
export async function createMigratedDatabase(adminUrl: string, options: MigratedDatabaseOptions): Promise<IsolatedDatabase> {
  const key = options.templateKey === undefined ? (process.env.PLATFORM_TEST_TEMPLATE_KEY ?? null) : options.templateKey;
  if (!NAME_PART.test(options.prefix) || (key !== null && !NAME_PART.test(key)))
    throw new TypeError("prefix and templateKey: 1-30 of a-z, 0-9, _");
  if (key === null) {
    const db = await createIsolatedDatabase(adminUrl, { prefix: options.prefix, max: options.max ?? 10 });
    await options.migrate(db.pool);
    return db;
  }
  const template = `tpl_${options.prefix}_${key}`;
  await ensureTemplate(adminUrl, template, options.migrate);
  return createIsolatedDatabase(adminUrl, { prefix: options.prefix, max: options.max ?? 10, template });
}
