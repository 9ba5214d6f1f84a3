import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { ConfigurationError } from "../errors/errors.js";
import { sqlState, toStorageError } from "./errors.js";
import { checkout, type PoolClientLike, type PoolLike } from "./queryable.js";
import { coreCodes } from "../errors/core-error-codes.js";

/** One migration: a name that sorts in application order and its SQL. */
export interface Migration {
  readonly name: string;
  readonly sql: string;
}

/** A package's migrations, applied in name order under its namespace. */
export interface MigrationSet {
  /** Namespace, usually the package name (`commerce`, `payments` ...). */
  readonly namespace: string;
  readonly migrations: readonly Migration[];
}

/** What {@link migrate} did. */
export interface MigrationReport {
  applied: string[];
  skipped: string[];
}

// One lock key for every namespace: migrations of different packages may reference
// each other's tables, so they never interleave.
const LOCK_KEY = 7_313_370_001;

/** SHA-256 of a migration's SQL, as recorded in `platform_migrations`. */
export function migrationChecksum(sql: string): string {
  return createHash("sha256").update(sql.replace(/\r\n/g, "\n")).digest("hex");
}

/**
 * Loads `*.sql` files of a folder, sorted by name (`001-init.sql`, `002-...`).
 * @throws ConfigurationError `migrations_not_found` when the folder cannot be read.
 */
export async function loadMigrations(directory: string): Promise<Migration[]> {
  let names: string[];
  try {
    names = (await readdir(directory)).filter((n) => n.endsWith(".sql")).sort();
  } catch (cause) {
    throw new ConfigurationError(coreCodes.migrations_not_found, `cannot read migrations in ${directory}`, { cause });
  }
  return Promise.all(names.map(async (name) => ({ name, sql: await readFile(join(directory, name), "utf8") })));
}

// duplicate_table, duplicate_object, duplicate_function, duplicate_schema, duplicate_database.
const DUPLICATE_STATES = new Set(["42P07", "42710", "42723", "42P06", "42P04"]);

/** A migration that would create what the database already holds, named from pg's message (`relation "users" already exists`). */
function schemaConflict(namespace: string, name: string, cause: unknown): ConfigurationError {
  const message = cause instanceof Error ? cause.message : String(cause);
  const object = /"([^"]+)"/.exec(message)?.[1] ?? null;
  return new ConfigurationError(
    coreCodes.schema_conflict,
    `migration ${namespace}/${name} would create ${object ? `"${object}"` : "an object"}, which the database already holds (another application's schema, or tables made by hand): migrate into an empty database or schema`,
    { cause, details: { namespace, name, table: object } },
  );
}

/**
 * Applies the migrations not yet applied, all in one transaction, under a session advisory
 * lock: processes migrating at once wait for each other and apply each file exactly once, and
 * a run that fails changes nothing. Refuses to run when an applied file was edited since.
 * @throws ConfigurationError `migration_checksum_mismatch`, `migration_order`, `schema_conflict` (a table or other object of the same name exists; `details.table` names it); StorageError.
 * @example
 * ```ts
 * await migrate(pool, [commerceMigrations, paymentsMigrations]);
 * ```
 */
export async function migrate(pool: PoolLike, sets: MigrationSet | readonly MigrationSet[]): Promise<MigrationReport> {
  const list = Array.isArray(sets) ? (sets as readonly MigrationSet[]) : [sets as MigrationSet];
  let client: PoolClientLike;
  let done: (destroy?: boolean) => void;
  try {
    ({ client, done } = await checkout(pool));
  } catch (error) {
    throw toStorageError(error);
  }
  const report: MigrationReport = { applied: [], skipped: [] };
  let failed: unknown;
  try {
    await client.query("SELECT pg_advisory_lock($1)", [LOCK_KEY]);
    try {
      // One transaction for the whole run (PostgreSQL DDL is transactional): a conflict in a
      // later file must not leave the earlier ones of this run behind.
      await client.query("BEGIN");
      try {
        await client.query(`CREATE TABLE IF NOT EXISTS platform_migrations (
          namespace text NOT NULL,
          name text NOT NULL,
          checksum text NOT NULL,
          applied_at timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (namespace, name))`);
        for (const set of list) await applySet(client, set, report);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        report.applied = [];
        throw error;
      }
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [LOCK_KEY]);
    }
  } catch (error) {
    failed = error;
    throw toStorageError(error);
  } finally {
    // A failed session may still hold the advisory lock: destroy it rather than pool it.
    done(failed !== undefined);
  }
  return report;
}

async function applySet(client: PoolClientLike, set: MigrationSet, report: MigrationReport): Promise<void> {
  const names = set.migrations.map((m) => m.name);
  if (names.some((n, i) => i > 0 && n <= names[i - 1]!)) {
    throw new ConfigurationError(coreCodes.migration_order, `migrations of ${set.namespace} must have unique names in ascending order`);
  }
  const { rows } = await client.query<{ name: string; checksum: string }>(
    "SELECT name, checksum FROM platform_migrations WHERE namespace = $1",
    [set.namespace],
  );
  const applied = new Map(rows.map((r) => [r.name, r.checksum]));
  for (const m of set.migrations) {
    const sum = applied.get(m.name);
    if (sum !== undefined && sum !== migrationChecksum(m.sql)) {
      throw new ConfigurationError(
        coreCodes.migration_checksum_mismatch,
        `migration ${set.namespace}/${m.name} was edited after it was applied`,
        {
          details: { namespace: set.namespace, name: m.name },
        },
      );
    }
  }
  for (const m of set.migrations) {
    const key = `${set.namespace}/${m.name}`;
    if (applied.has(m.name)) {
      report.skipped.push(key);
      continue;
    }
    try {
      await client.query(m.sql);
    } catch (error) {
      throw DUPLICATE_STATES.has(sqlState(error) ?? "") ? schemaConflict(set.namespace, m.name, error) : error;
    }
    await client.query("INSERT INTO platform_migrations (namespace, name, checksum) VALUES ($1, $2, $3)", [
      set.namespace,
      m.name,
      migrationChecksum(m.sql),
    ]);
    report.applied.push(key);
  }
}
