import { fileURLToPath } from "node:url";
import { coreMigrations, loadMigrations, migrate, type MigrationReport, type MigrationSet, type PoolLike } from "@platform/core/postgres";

/**
 * The commerce package's SQL migrations (`migrations/NNN-*.sql`, shipped next to the bundled
 * `dist/postgres/index.js`), under the namespace `commerce`.
 * @throws ConfigurationError `migrations_not_found` when the folder is missing.
 */
export async function commerceMigrations(): Promise<MigrationSet> {
  return { namespace: "commerce", migrations: await loadMigrations(fileURLToPath(new URL("./migrations/", import.meta.url))) };
}

/**
 * Applies core's migrations (the `platform_outbox`) and the commerce migrations, each file
 * once, under core's advisory lock: safe to run from several processes at once and again later.
 * @throws ConfigurationError `migration_checksum_mismatch`; StorageError `storage_unavailable`.
 * @example
 * ```ts
 * const pool = await createPool({ connectionString: process.env.DATABASE_URL! });
 * await migrateCommerce(pool);
 * ```
 */
export async function migrateCommerce(pool: PoolLike): Promise<MigrationReport> {
  return migrate(pool, [coreMigrations, await commerceMigrations()]);
}
