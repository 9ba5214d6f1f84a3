import { fileURLToPath } from "node:url";
import { coreMigrations, loadMigrations, migrate, type MigrationReport, type MigrationSet, type PoolLike } from "@platform/core/postgres";

/**
 * The social package's SQL migrations (`migrations/*.sql`, shipped next to this module in
 * `dist/postgres/`), under the namespace `social`.
 * @throws ConfigurationError `migrations_not_found` when the files are missing from the install.
 */
export async function socialMigrations(): Promise<MigrationSet> {
  return { namespace: "social", migrations: await loadMigrations(fileURLToPath(new URL("./migrations/", import.meta.url))) };
}

/**
 * Applies core's outbox and the `social_*` tables, each file once, under the core advisory lock
 * (safe from several processes at once and when run again).
 * @throws ConfigurationError `migration_checksum_mismatch`; StorageError `storage_unavailable`.
 * @example
 * ```ts
 * const pool = await createPool({ connectionString: process.env.DATABASE_URL! });
 * await migrateSocial(pool);
 * ```
 */
export async function migrateSocial(pool: PoolLike): Promise<MigrationReport> {
  return migrate(pool, [coreMigrations, await socialMigrations()]);
}
