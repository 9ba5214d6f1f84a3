import type { TestProject } from "vitest/node";
import { startPostgresServer, type PostgresServer } from "./packages/core/src/testing/postgres-server.js";

let server: PostgresServer | undefined;

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
  await server?.stop();
}
