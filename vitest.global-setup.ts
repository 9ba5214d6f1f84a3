import { randomBytes } from "node:crypto";
import type { TestProject } from "vitest/node";
import { createPool } from "./packages/core/src/postgres/create-pool.js";
import { startPostgresServer, type PostgresServer } from "./packages/core/src/testing/postgres-server.js";

let server: PostgresServer | undefined;
// Migrated template databases (core/testing createMigratedDatabase) live for one run: the test
// processes, forked after this setup, inherit the key; a server of the host's own is cleaned after.
const templateKey = randomBytes(5).toString("hex");
process.env.PLATFORM_TEST_TEMPLATE_KEY = templateKey;

/** Starts one throwaway PostgreSQL server per run, unless DATABASE_URL points at one. */
export async function setup(project: TestProject): Promise<void> {
  const fromEnv = process.env.DATABASE_URL;
  if (fromEnv) {
    project.provide("databaseUrl", fromEnv);
    return;
  }
  server = await startPostgresServer();
  project.provide("databaseUrl", server.url);
}

export async function teardown(): Promise<void> {
  if (server) return server.stop();
  const url = process.env.DATABASE_URL;
  if (!url) return;
  const admin = await createPool({ connectionString: url, max: 1 });
  try {
    const { rows } = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1", [
      `tpl\\_%\\_${templateKey}`,
    ]);
    for (const { datname } of rows) {
      await admin.query(`ALTER DATABASE ${datname} WITH IS_TEMPLATE false`);
      await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    }
  } finally {
    await admin.end?.();
  }
}
