/**
 * Starts the reference server from environment variables (see README.md):
 *   PAYMENTS_GATEWAY=test corepack pnpm serve
 */
import { PlatformError } from "@platform/core";
import pg from "pg";
import { loadConfig } from "./config.js";
import { createServices, migrateAll } from "./services.js";
import { startServer } from "./server.js";

try {
  const config = loadConfig(process.env);
  if (config.databaseUrl) {
    const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 1 });
    try {
      await migrateAll(pool);
    } finally {
      await pool.end();
    }
  }
  const services = createServices(config);
  const server = await startServer(
    services,
    { port: config.port, host: config.host },
    { adminToken: config.adminToken, stripeWebhookSecret: config.stripeWebhookSecret },
  );
  console.log(
    `@platform reference server on ${server.url} (${config.databaseUrl ? "PostgreSQL" : "memory"}, payments: ${config.payments.gateway})`,
  );
  const stop = async () => {
    await server.close();
    await services.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
} catch (e) {
  // Configuration problems are the operator's to fix: say which, without a stack trace.
  if (PlatformError.is(e) && e.kind === "configuration") {
    console.error(`cannot start: ${e.message} (${e.code})`);
    process.exit(1);
  }
  throw e;
}
