import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DomainRuleError, PlatformError } from "@platform/core";
import {
  coreMigrations,
  createPool,
  createSqlErrorMapper,
  migrate,
  queryMapped,
  runTransaction,
  type MigrationSet,
} from "@platform/core/postgres";
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

describe("createSqlErrorMapper", () => {
  it("answers constraint violations with the adapter's codes, and refuses NUL characters", async () => {
    await db.pool.query(`CREATE TABLE map_parent (id text PRIMARY KEY);
      CREATE TABLE map_child (id text PRIMARY KEY, sku text NOT NULL CONSTRAINT map_child_sku UNIQUE, qty int NOT NULL CONSTRAINT map_child_qty CHECK (qty >= 0), parent text REFERENCES map_parent (id))`);
    const map = createSqlErrorMapper({ unique: { map_child_sku: "sku_taken" }, check: { map_child_qty: "negative_stock" } });
    const q = (sql: string, values: unknown[]) =>
      queryMapped(db.pool, map, sql, values).then(
        () => "ok",
        (e: unknown) => (PlatformError.is(e) ? e.code : String(e)),
      );
    expect(await q("INSERT INTO map_child (id, sku, qty) VALUES ($1, $2, $3)", ["a", "S1", 1])).toBe("ok");
    expect(await q("INSERT INTO map_child (id, sku, qty) VALUES ($1, $2, $3)", ["b", "S1", 1])).toBe("sku_taken");
    expect(await q("INSERT INTO map_child (id, sku, qty) VALUES ($1, $2, $3)", ["a", "S2", 1])).toBe("duplicate_id");
    expect(await q("INSERT INTO map_child (id, sku, qty) VALUES ($1, $2, $3)", ["c", "S3", -1])).toBe("negative_stock");
    expect(await q("INSERT INTO map_child (id, sku, qty, parent) VALUES ($1, $2, $3, $4)", ["d", "S4", 1, "nope"])).toBe(
      "reference_not_found",
    );
    expect(await q("INSERT INTO map_child (id, sku, qty) VALUES ($1, $2, $3)", ["e", "bad\u0000sku", 1])).toBe("nul_character");
    expect((await db.pool.query("SELECT count(*)::int AS n FROM map_child")).rows[0]).toEqual({ n: 1 });
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

  it("a refused connection answers storage_unavailable without the driver's address or text in message or JSON", async () => {
    const pool = await createPool({ connectionString: "postgres://app_user:hunter2@127.0.0.1:1/shop_db" });
    try {
      const err = await runTransaction(pool, async () => undefined).catch((e: unknown) => e);
      expect(PlatformError.is(err, "storage_unavailable")).toBe(true);
      const seen = `${(err as Error).message} ${JSON.stringify(err)}`;
      for (const leak of ["127.0.0.1", ":1", "ECONNREFUSED", "connect", "app_user", "hunter2", "shop_db"]) expect(seen).not.toContain(leak);
      // The driver's error stays available to the host's logs.
      expect((err as Error).cause).toMatchObject({ code: "ECONNREFUSED" });
    } finally {
      await pool.end?.();
    }
  });

  it("a statement timeout keeps the server's text (and the statement) out of the error", async () => {
    const err = await runTransaction(db.pool, async (c) => {
      await c.query("SET LOCAL statement_timeout = 20");
      await c.query("SELECT pg_sleep(2) AS secret_column");
    }).catch((e: unknown) => e);
    expect(PlatformError.is(err, "storage_unavailable")).toBe(true);
    expect((err as PlatformError).toJSON()).toEqual({
      name: "StorageError",
      kind: "storage",
      code: "storage_unavailable",
      message: (err as Error).message,
      details: { retryable: true, sqlState: "57014" },
    });
    expect((err as Error).message).not.toMatch(/cancel|statement|secret_column/i);
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
    const edited: MigrationSet = {
      namespace: "race",
      migrations: [
        set.migrations[0]!,
        { name: "002-seed.sql", sql: "INSERT INTO race_a VALUES (2);" },
        { name: "003-more.sql", sql: "CREATE TABLE race_b (id int);" },
      ],
    };
    const err = await migrate(db.pool, edited).catch((e: unknown) => e);
    expect(PlatformError.is(err, "migration_checksum_mismatch")).toBe(true);
    const { rows } = await db.pool.query("SELECT to_regclass('race_b') AS t");
    expect(rows[0]!.t).toBeNull();
  });

  it("a database already holding a table of the same name is schema_conflict naming it, and the run changes nothing", async () => {
    const held = await createIsolatedDatabase(inject("databaseUrl"), { prefix: "core_conflict" });
    try {
      await held.pool.query("CREATE TABLE held (id int); INSERT INTO held VALUES (7)");
      const sets: MigrationSet[] = [
        coreMigrations,
        {
          namespace: "second",
          migrations: [
            { name: "001.sql", sql: "CREATE TABLE second_t (id int);" },
            { name: "002.sql", sql: "CREATE TABLE held (id int, name text);" },
          ],
        },
      ];
      const err = await migrate(held.pool, sets).catch((e: unknown) => e);
      expect(PlatformError.is(err, "schema_conflict")).toBe(true);
      expect((err as PlatformError).details).toMatchObject({ namespace: "second", name: "002.sql", table: "held" });
      const { rows } = await held.pool.query(
        "SELECT to_regclass('platform_outbox') AS o, to_regclass('second_t') AS s, to_regclass('platform_migrations') AS m, (SELECT count(*)::int FROM held) AS n",
      );
      expect(rows[0]).toEqual({ o: null, s: null, m: null, n: 1 });
      // The tables made by hand for core's own migration: the same answer, naming that table.
      await held.pool.query("CREATE TABLE platform_outbox (id int)");
      const outbox = await migrate(held.pool, coreMigrations).catch((e: unknown) => e);
      expect([(outbox as PlatformError).code, (outbox as PlatformError).details.table]).toEqual(["schema_conflict", "platform_outbox"]);
    } finally {
      await held.drop();
    }
  });

  it("rolls back a failing migration and records nothing for it", async () => {
    const bad: MigrationSet = {
      namespace: "bad",
      migrations: [{ name: "001.sql", sql: "CREATE TABLE bad_t (id int); SELECT * FROM no_such_table;" }],
    };
    await expect(migrate(db.pool, bad)).rejects.toBeTruthy();
    const { rows } = await db.pool.query(
      "SELECT to_regclass('bad_t') AS t, (SELECT count(*)::int FROM platform_migrations WHERE namespace = 'bad') AS n",
    );
    expect(rows[0]).toEqual({ t: null, n: 0 });
  });
});
