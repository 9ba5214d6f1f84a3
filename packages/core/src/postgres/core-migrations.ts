import type { MigrationSet } from "./migrations.js";

/**
 * Core's own tables: the transactional outbox shared by every package's PostgreSQL store.
 * Apply with `migrate(pool, [coreMigrations, ...packageMigrations])`.
 */
export const coreMigrations: MigrationSet = {
  namespace: "core",
  migrations: [
    {
      name: "001-outbox.sql",
      sql: `CREATE TABLE platform_outbox (
  seq bigserial PRIMARY KEY,
  id text NOT NULL UNIQUE,
  type text NOT NULL,
  occurred_at timestamptz NOT NULL,
  data jsonb NOT NULL,
  dispatched_at timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  last_error text
);
CREATE INDEX platform_outbox_pending ON platform_outbox (seq) WHERE dispatched_at IS NULL;
`,
    },
    {
      // The retention purge takes dispatched rows oldest first in bounded batches.
      name: "002-outbox-retention.sql",
      sql: `CREATE INDEX platform_outbox_dispatched ON platform_outbox (dispatched_at) WHERE dispatched_at IS NOT NULL;
`,
    },
  ],
};
