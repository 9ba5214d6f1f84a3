import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { createEvent, ManualClock, type DomainEvent } from "@platform/core";
import {
  coreMigrations,
  migrate,
  OutboxDispatcher,
  PostgresStore,
  type PoolClientLike,
  type PostgresOutbox,
} from "@platform/core/postgres";
import { createIsolatedDatabase, type IsolatedDatabase } from "@platform/core/testing";

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
let store: TestStore;
const published: DomainEvent[] = [];

beforeAll(async () => {
  db = await createIsolatedDatabase(inject("databaseUrl"), { prefix: "core_store" });
  await migrate(db.pool, coreMigrations);
  await db.pool.query("CREATE TABLE items (id text PRIMARY KEY, n int NOT NULL)");
  store = new TestStore(db.pool);
  store.setEventPublisher((events) => published.push(...events));
});
afterAll(async () => {
  await db?.drop();
});

describe("PostgresStore", () => {
  it("writes events to the outbox with the change and publishes them after commit", async () => {
    await store.transaction(async (tx) => {
      await tx.client.query("INSERT INTO items VALUES ('a', 1)");
      tx.outbox.add(createEvent("item.created", { id: "a" }, clock));
      expect(published).toHaveLength(0); // not before commit
    });
    expect(published.map((e) => e.type)).toEqual(["item.created"]);
    const { rows } = await db.pool.query<{ type: string; data: unknown }>("SELECT type, data FROM platform_outbox");
    expect(rows).toEqual([{ type: "item.created", data: { id: "a" } }]);
  });

  it("deferred writes commit with the transaction; a failed one rolls it back and is the error reported, before what failed after it", async () => {
    await store.transaction(async (tx) => {
      tx.outbox.defer(tx.client.query("INSERT INTO items VALUES ('d1', 1)"));
      tx.outbox.add(createEvent("item.created", { id: "d1" }, clock));
    });
    const before = published.length;
    const failed = await store
      .transaction(async (tx) => {
        tx.outbox.defer(tx.client.query("INSERT INTO items VALUES ('d2', 1)"));
        tx.outbox.defer(tx.client.query("INSERT INTO items VALUES ('d1', 2)")); // duplicate key
        tx.outbox.add(createEvent("item.created", { id: "d2" }, clock));
        await tx.client.query("SELECT 1"); // fails too: the transaction is aborted
      })
      .catch((e: unknown) => e);
    expect((failed as { code?: string }).code).toBe("23505");
    const atCommit = await store
      .transaction(async (tx) => tx.outbox.defer(tx.client.query("INSERT INTO items VALUES ('d1', 3)")))
      .catch((e: unknown) => e);
    expect((atCommit as { code?: string }).code).toBe("23505");
    const { rows } = await db.pool.query<{ id: string; n: number }>("SELECT id, n FROM items WHERE id LIKE 'd%' ORDER BY id");
    expect(rows).toEqual([{ id: "d1", n: 1 }]);
    expect(published.length).toBe(before);
  });

  it("a rolled-back transaction leaves no row, no outbox entry and publishes nothing", async () => {
    const before = published.length;
    await expect(
      store.transaction(async (tx) => {
        await tx.client.query("INSERT INTO items VALUES ('b', 1)");
        tx.outbox.add(createEvent("item.created", { id: "b" }, clock));
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    expect(published.length).toBe(before);
    const { rows } = await db.pool.query(
      "SELECT 1 FROM items WHERE id = 'b' UNION ALL SELECT 1 FROM platform_outbox WHERE data->>'id' = 'b'",
    );
    expect(rows).toHaveLength(0);
  });

  it("joins nested transactions on the same connection", async () => {
    await store.transaction(async (outer) => {
      await outer.client.query("INSERT INTO items VALUES ('c', 1)");
      await store.transaction(async (inner) => {
        expect(inner.client).toBe(outer.client);
        const { rows } = await inner.client.query("SELECT id FROM items WHERE id = 'c'");
        expect(rows).toHaveLength(1);
      });
    });
  });
});

describe("OutboxDispatcher", () => {
  it("delivers every event exactly once with two dispatchers racing", async () => {
    for (let i = 0; i < 40; i++) {
      await store.transaction(async (tx) => tx.outbox.add(createEvent("item.touched", { i }, clock)));
    }
    const seen: string[] = [];
    const handler = async (e: DomainEvent) => {
      await new Promise((r) => setTimeout(r, 1));
      seen.push(e.id);
    };
    const a = new OutboxDispatcher(db.pool, handler, { batchSize: 5, types: ["item.touched"] });
    const b = new OutboxDispatcher(db.pool, handler, { batchSize: 5, types: ["item.touched"] });
    const counts = await Promise.all([a.drain(), b.drain()]);
    expect(counts[0] + counts[1]).toBe(40);
    expect(new Set(seen).size).toBe(40);
    expect(seen).toHaveLength(40);
  });

  it("leaves events pending when the handler fails, then delivers them", async () => {
    await store.transaction(async (tx) => tx.outbox.add(createEvent("item.flaky", { n: 1 }, clock)));
    let fail = true;
    const got: string[] = [];
    const d = new OutboxDispatcher(
      db.pool,
      async (e) => {
        if (fail) throw new Error("receiver down");
        got.push(e.type);
      },
      { types: ["item.flaky"] },
    );
    await expect(d.dispatchBatch()).rejects.toThrow("receiver down");
    const { rows } = await db.pool.query<{ attempts: number }>("SELECT attempts FROM platform_outbox WHERE type = 'item.flaky'");
    expect(rows[0]!.attempts).toBe(1);
    fail = false;
    expect(await d.drain()).toBe(1);
    expect(got).toEqual(["item.flaky"]);
  });
});
