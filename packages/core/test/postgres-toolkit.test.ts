import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DomainRuleError, PlatformError } from "@platform/core";
import { migrate, runTransaction, type MigrationSet } from "@platform/core/postgres";
import { createIsolatedDatabase, spawnWorkers, type IsolatedDatabase } from "@platform/core/testing";

const worker = fileURLToPath(new URL("./fixtures/migrate-worker.ts", import.meta.url));

let db: IsolatedDatabase;
beforeAll(async () => {
  db = await createIsolatedDatabase(inject("databaseUrl"), { prefix: "core" });
});
afterAll(async () => {
  await db?.drop();
});

describe("runTransaction on PostgreSQL", () => {
  it("commits on resolve and rolls back on throw", async () => {
    await db.pool.query("CREATE TABLE tx_test (id int PRIMARY KEY, v int NOT NULL)");
    await runTransaction(db.pool, async (c) => void (await c.query("INSERT INTO tx_test VALUES (1, 10)")));
    const err = await runTransaction(db.pool, async (c) => {
      await c.query("UPDATE tx_test SET v = 99 WHERE id = 1");
      throw new DomainRuleError("insufficient_stock", "no");
    }).catch((e: unknown) => e);
    expect(PlatformError.is(err, "insufficient_stock")).toBe(true);
    const { rows } = await db.pool.query<{ v: number }>("SELECT v FROM tx_test WHERE id = 1");
    expect(rows[0]!.v).toBe(10);
  });

  it("retries a real serialization failure (40001) and ends with both increments", async () => {
    await db.pool.query("CREATE TABLE counter (id int PRIMARY KEY, n int NOT NULL)");
    await db.pool.query("INSERT INTO counter VALUES (1, 0)");
    let retries = 0;
    let arrived = 0;
    let releaseBoth!: () => void;
    const bothRead = new Promise<void>((r) => (releaseBoth = r));
    const increment = () =>
      runTransaction(
        db.pool,
        async (c) => {
          const { rows } = await c.query<{ n: number }>("SELECT n FROM counter WHERE id = 1");
          // Hold both first attempts here until each has read, so their snapshots overlap.
          if (++arrived === 2) releaseBoth();
          if (arrived <= 2) await bothRead;
          await c.query("UPDATE counter SET n = $1 WHERE id = 1", [rows[0]!.n + 1]);
        },
        { isolation: "serializable", onRetry: () => retries++ },
      );
    await Promise.all([increment(), increment()]);
    const { rows } = await db.pool.query<{ n: number }>("SELECT n FROM counter WHERE id = 1");
    expect(retries).toBeGreaterThanOrEqual(1);
    expect(rows[0]!.n).toBe(2);
  });

  it("maps a statement timeout to storage_unavailable and rolls back", async () => {
    await db.pool.query("CREATE TABLE slow (id int)");
    const err = await runTransaction(db.pool, async (c) => {
      await c.query("INSERT INTO slow VALUES (1)");
      await c.query("SET LOCAL statement_timeout = 50");
      await c.query("SELECT pg_sleep(2)");
    }).catch((e: unknown) => e);
    expect(PlatformError.is(err, "storage_unavailable")).toBe(true);
    const { rows } = await db.pool.query("SELECT * FROM slow");
    expect(rows).toHaveLength(0);
  });
});

describe("lost connections", () => {
  it("a backend killed mid-transaction rolls back and surfaces storage_unavailable", async () => {
    await db.pool.query("CREATE TABLE orders_half (id int PRIMARY KEY)");
    const err = await runTransaction(db.pool, async (c) => {
      await c.query("INSERT INTO orders_half VALUES (1)");
      const { rows } = await c.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
      await db.pool.query("SELECT pg_terminate_backend($1)", [rows[0]!.pid]);
      await c.query("INSERT INTO orders_half VALUES (2)");
    }).catch((e: unknown) => e);
    expect(PlatformError.is(err, "storage_unavailable")).toBe(true);
    const { rows } = await db.pool.query("SELECT id FROM orders_half");
    expect(rows).toHaveLength(0);
    // The pool recovers: the broken connection was discarded.
    await runTransaction(db.pool, async (c) => void (await c.query("INSERT INTO orders_half VALUES (3)")));
    expect((await db.pool.query("SELECT id FROM orders_half")).rows).toHaveLength(1);
  });
});

describe("migrate", () => {
  const set: MigrationSet = {
    namespace: "race",
    migrations: [
      // A non-idempotent statement: applying it twice would fail.
      { name: "001-create.sql", sql: "CREATE TABLE race_a (id int PRIMARY KEY); SELECT pg_sleep(0.2);" },
      { name: "002-seed.sql", sql: "INSERT INTO race_a VALUES (1);" },
    ],
  };

  it("applies each file exactly once when four processes migrate at once", async () => {
    const outputs = await spawnWorkers(worker, 4, { args: () => [db.url, JSON.stringify(set)] });
    expect(outputs.map((o) => o.code)).toEqual([0, 0, 0, 0]);
    const reports = outputs.map((o) => JSON.parse(o.stdout) as { applied: string[]; skipped: string[] });
    expect(reports.flatMap((r) => r.applied).sort()).toEqual(["race/001-create.sql", "race/002-seed.sql"]);
    const { rows } = await db.pool.query("SELECT name FROM platform_migrations WHERE namespace = 'race' ORDER BY name");
    expect(rows).toHaveLength(2);
    const again = await migrate(db.pool, set);
    expect(again.applied).toEqual([]);
  }, 60_000);

  it("refuses to run when an applied migration was edited", async () => {
    const edited: MigrationSet = { namespace: "race", migrations: [set.migrations[0]!, { name: "002-seed.sql", sql: "INSERT INTO race_a VALUES (2);" }, { name: "003-more.sql", sql: "CREATE TABLE race_b (id int);" }] };
    const err = await migrate(db.pool, edited).catch((e: unknown) => e);
    expect(PlatformError.is(err, "migration_checksum_mismatch")).toBe(true);
    const { rows } = await db.pool.query("SELECT to_regclass('race_b') AS t");
    expect(rows[0]!.t).toBeNull();
  });

  it("rolls back a failing migration and records nothing for it", async () => {
    const bad: MigrationSet = { namespace: "bad", migrations: [{ name: "001.sql", sql: "CREATE TABLE bad_t (id int); SELECT * FROM no_such_table;" }] };
    await expect(migrate(db.pool, bad)).rejects.toBeTruthy();
    const { rows } = await db.pool.query("SELECT to_regclass('bad_t') AS t, (SELECT count(*)::int FROM platform_migrations WHERE namespace = 'bad') AS n");
    expect(rows[0]).toEqual({ t: null, n: 0 });
  });
});
