import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { PlatformError } from "@platform/core";
import {
  coreMigrations,
  migrate,
  OutboxDispatcher,
  PostgresStore,
  purgeDispatchedOutbox,
  type PoolClientLike,
  type PostgresOutbox,
} from "@platform/core/postgres";
import { createIsolatedDatabase, drainPurge, type IsolatedDatabase } from "@platform/core/testing";

class TestStore extends PostgresStore<{ outbox: PostgresOutbox }> {
  protected createTransaction(_client: PoolClientLike, outbox: PostgresOutbox) {
    return { outbox };
  }
}

let db: IsolatedDatabase;
beforeAll(async () => {
  db = await createIsolatedDatabase(inject("databaseUrl"), { prefix: "core_outbox_ret", max: 8 });
  await migrate(db.pool, coreMigrations);
});
afterAll(async () => {
  await db?.drop();
});

/** Inserts `n` events; `dispatchedAgo` (ms) marks them dispatched that long ago, null leaves them pending. */
async function events(n: number, prefix: string, dispatchedAgo: number | null): Promise<void> {
  await db.pool.query(
    `INSERT INTO platform_outbox (id, type, occurred_at, data, dispatched_at)
     SELECT $1 || g, 'item.created', now(), '{}'::jsonb, CASE WHEN $2::bigint IS NULL THEN NULL ELSE now() - $2::bigint * interval '1 millisecond' END
       FROM generate_series(1, $3::int) g`,
    [prefix, dispatchedAgo, n],
  );
}

const count = async (where: string) =>
  (await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM platform_outbox WHERE ${where}`)).rows[0]!.n;

describe("bounded state: the PostgreSQL outbox", () => {
  it("purges dispatched rows past the retention in bounded batches, never pending or recent ones", async () => {
    await db.pool.query("TRUNCATE platform_outbox");
    const DAY = 24 * 3_600_000;
    await events(30, "old-", 8 * DAY);
    await events(5, "recent-", DAY);
    await events(5, "pending-", null);
    const store = new TestStore(db.pool);
    expect(await store.purgeOutbox({ limit: 20 })).toBe(20);
    expect(await store.purgeOutbox({ limit: 20 })).toBe(10);
    expect(await store.purgeOutbox()).toBe(0);
    expect(await count("id LIKE 'recent-%'")).toBe(5);
    expect(await count("dispatched_at IS NULL")).toBe(5);
    // A shorter retention reaches the recent ones; pending rows stay whatever their age.
    expect(await new TestStore(db.pool, { outboxRetentionMs: 3_600_000 }).purgeOutbox()).toBe(5);
    expect(await count("true")).toBe(5);
    const error = await store.purgeOutbox({ limit: -1 }).catch((e: unknown) => e);
    expect(PlatformError.is(error) && error.code).toBe("invalid_limit");
  });

  it("rows a dispatcher hands on become purgeable after the retention", async () => {
    await db.pool.query("TRUNCATE platform_outbox");
    await events(3, "fresh-", null);
    await new OutboxDispatcher(db.pool, async () => undefined).drain();
    expect(await purgeDispatchedOutbox(db.pool)).toBe(0);
    expect(await purgeDispatchedOutbox(db.pool, { retentionMs: 0 })).toBe(3);
  });

  it("undispatched rows stay unless an undispatched retention is set, then only the old ones go", async () => {
    await db.pool.query("TRUNCATE platform_outbox");
    await db.pool.query(
      `INSERT INTO platform_outbox (id, type, occurred_at, data) SELECT 'u' || g, 'product.created', now() - (g || ' days')::interval, '{}'::jsonb FROM generate_series(1, 10) g`,
    );
    expect(await new TestStore(db.pool, { outboxRetentionMs: 0 }).purgeOutbox()).toBe(0);
    const store = new TestStore(db.pool, { undispatchedOutboxRetentionMs: 7.5 * 24 * 3_600_000 });
    expect(await store.purgeOutbox({ limit: 2 })).toBe(2);
    expect(await store.purgeOutbox()).toBe(1);
    expect(await count("true")).toBe(7);
  });

  it("purgers in several connections at once remove every row exactly once", async () => {
    await db.pool.query("TRUNCATE platform_outbox");
    await events(3_000, "bulk-", 30 * 24 * 3_600_000);
    const removed = await Promise.all([1, 2, 3, 4].map(() => drainPurge(() => purgeDispatchedOutbox(db.pool, { limit: 250 }))));
    expect(removed.reduce((a, b) => a + b, 0)).toBe(3_000);
    expect(await count("true")).toBe(0);
  });
});
