/**
 * Store transactions on a pipelining pool (issue 14): BEGIN rides with the first statement, the
 * outbox insert with the COMMIT, statements are named, and none of it changes what commits.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { createEvent, ManualClock, type DomainEvent } from "@platform/core";
import {
  coreMigrations,
  migrate,
  PostgresStore,
  runTransaction,
  snapshotRead,
  type PoolClientLike,
  type PostgresOutbox,
} from "@platform/core/postgres";
import { codeOf, countingPool, createIsolatedDatabase, type CountingPool, type IsolatedDatabase } from "@platform/core/testing";

interface Tx {
  client: PoolClientLike;
  outbox: PostgresOutbox;
}
class TestStore extends PostgresStore<Tx> {
  protected createTransaction(client: PoolClientLike, outbox: PostgresOutbox): Tx {
    return { client, outbox };
  }
}

const clock = new ManualClock();
let db: IsolatedDatabase;
let pool: CountingPool;
let store: TestStore;
const published: DomainEvent[] = [];

beforeAll(async () => {
  db = await createIsolatedDatabase(inject("databaseUrl"), { prefix: "core_pipe" });
  await migrate(db.pool, coreMigrations);
  await db.pool.query("CREATE TABLE items (id text PRIMARY KEY, n int NOT NULL)");
  pool = countingPool(db.pool);
  store = new TestStore(pool);
  store.setEventPublisher((events) => published.push(...events));
});
afterAll(async () => {
  await db?.drop();
});

const count = async (id: string) =>
  (await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM items WHERE id = $1", [id])).rows[0]!.n;

describe("transactions on a pipelining pool", () => {
  it("runs the first statement inside the transaction BEGIN opened, at its isolation level", async () => {
    const level = await runTransaction(
      pool,
      async (c) => (await c.query<{ l: string }>("SELECT current_setting('transaction_isolation') AS l")).rows[0]!.l,
      { isolation: "serializable" },
    );
    expect(level).toBe("serializable");
  });

  it("sends BEGIN with the first statement and the outbox insert with the COMMIT", async () => {
    const per = await pool.measure(() =>
      store.transaction(async (tx) => {
        await tx.client.query("INSERT INTO items VALUES ($1, 1)", ["p1"]);
        tx.outbox.add(createEvent("item.created", { id: "p1" }, clock));
      }),
    );
    // BEGIN + insert, then outbox insert + COMMIT.
    expect(per).toMatchObject({ statements: 4, roundTrips: 2, transactions: 1 });
    expect(await count("p1")).toBe(1);
  });

  it("names the statements of a transaction (parsed once per connection)", async () => {
    const names = await runTransaction(pool, async (c) => {
      await c.query("SELECT n FROM items WHERE id = $1", ["p1"]);
      return (
        await c.query<{ name: string }>("SELECT name FROM pg_prepared_statements WHERE statement LIKE 'SELECT n FROM items%'")
      ).rows.map((r) => r.name);
    });
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^platform_/);
  });

  it("an outbox insert that fails rolls the change back and surfaces its error, publishing nothing", async () => {
    const before = published.length;
    const error = await store
      .transaction(async (tx) => {
        await tx.client.query("INSERT INTO items VALUES ($1, 1)", ["p2"]);
        tx.outbox.add(createEvent("item.created", { id: "p2", note: "\u0000" }, clock)); // jsonb refuses \u0000
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(await count("p2")).toBe(0);
    expect(published.length).toBe(before);
  });

  it("a transaction whose work swallowed a failed statement is an error, not a silent rollback", async () => {
    const code = await codeOf(
      runTransaction(pool, async (c) => {
        await c.query("INSERT INTO items VALUES ($1, 1)", ["p3"]);
        await c.query("SELECT 1 / 0").catch(() => undefined);
        return "done";
      }),
    );
    expect(code).toBe("storage_unavailable");
    expect(await count("p3")).toBe(0);
  });

  const READ = snapshotRead("SELECT n FROM items WHERE id = $1");
  const LEVEL = snapshotRead("SELECT current_setting('transaction_isolation') AS l, $1::text AS x");

  it("a transaction of snapshot reads only sends neither BEGIN nor COMMIT", async () => {
    const per = await pool.measure(() => store.transaction(async (tx) => (await tx.client.query(READ, ["p1"])).rows));
    expect(per).toMatchObject({ statements: 1, roundTrips: 1, transactions: 0 });
  });

  it("a write after a snapshot read is still all-or-nothing", async () => {
    const failed = await store
      .transaction(async (tx) => {
        await tx.client.query(READ, ["p1"]);
        await tx.client.query("INSERT INTO items VALUES ($1, 1)", ["p4"]);
        throw new Error("abort");
      })
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(Error);
    expect(await count("p4")).toBe(0);
    await store.transaction(async (tx) => {
      await tx.client.query(READ, ["p1"]);
      await tx.client.query("INSERT INTO items VALUES ($1, 1)", ["p4"]);
    });
    expect(await count("p4")).toBe(1);
  });

  it("under REPEATABLE READ or SERIALIZABLE a snapshot read runs inside the transaction (its snapshot starts there)", async () => {
    const level = await runTransaction(pool, async (c) => (await c.query<{ l: string }>(LEVEL, ["x"])).rows[0]!.l, {
      isolation: "serializable",
    });
    expect(level).toBe("serializable");
  });
});
