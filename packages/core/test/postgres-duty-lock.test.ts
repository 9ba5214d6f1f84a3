import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { coreMigrations, migrate, PostgresStore, type PoolClientLike, type PostgresOutbox } from "@platform/core/postgres";
import { createIsolatedDatabase, type IsolatedDatabase } from "@platform/core/testing";

class TestStore extends PostgresStore<{ outbox: PostgresOutbox }> {
  protected createTransaction(_client: PoolClientLike, outbox: PostgresOutbox) {
    return { outbox };
  }
}

let db: IsolatedDatabase;
beforeAll(async () => {
  db = await createIsolatedDatabase(inject("databaseUrl"), { prefix: "core_duty_lock", max: 8 });
  await migrate(db.pool, coreMigrations);
});
afterAll(async () => {
  await db?.drop();
});

describe("PostgresStore.runExclusive (the worker's per-duty lock)", () => {
  it("lets one holder run a name at a time, others skip, and frees it after the run", async () => {
    const a = new TestStore(db.pool);
    const b = new TestStore(db.pool);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const first = a.runExclusive("payments.payments.reconcile", async () => {
      entered();
      await gate;
      return "first";
    });
    await inside;
    expect(await b.runExclusive("payments.payments.reconcile", async () => "second")).toEqual({ acquired: false });
    // Another duty's lock is independent.
    expect(await b.runExclusive("payments.refunds.reconcile", async () => 1)).toEqual({ acquired: true, value: 1 });
    release();
    expect(await first).toEqual({ acquired: true, value: "first" });
    expect(await b.runExclusive("payments.payments.reconcile", async () => "again")).toEqual({ acquired: true, value: "again" });
  });

  it("frees the lock when the work throws, and rethrows", async () => {
    const store = new TestStore(db.pool);
    await expect(store.runExclusive("test.throws", async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await store.runExclusive("test.throws", async () => 2)).toEqual({ acquired: true, value: 2 });
  });

  it("is freed by the server when the holder's connection dies (a killed process)", async () => {
    const store = new TestStore(db.pool);
    let pid = 0;
    const held = store.runExclusive("test.killed", async () => {
      pid = (
        await db.pool.query<{ pid: number }>(
          // pg_locks is cluster-wide: other test files' workers hold duty locks in their own databases.
          `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = $1::oid AND granted
             AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) LIMIT 1`,
          [0x706c7477],
        )
      ).rows[0]!.pid;
      // With a timeout it returns once the backend is gone (and its locks with it), not once signalled.
      await db.pool.query("SELECT pg_terminate_backend($1, 10000)", [pid]);
      return "done";
    });
    // The work finished, the unlock failed on the dead connection: the result stands and the lock is gone.
    expect(await held).toEqual({ acquired: true, value: "done" });
    expect(pid).toBeGreaterThan(0);
    expect(await store.runExclusive("test.killed", async () => 3)).toEqual({ acquired: true, value: 3 });
  });
});
