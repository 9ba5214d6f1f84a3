import { sqlState } from "../postgres/errors.js";
import type { PoolLike } from "../postgres/queryable.js";
import { createMigratedDatabase, type IsolatedDatabase } from "./test-database.js";

/**
 * One store a service suite runs on, for `describe.each`: its name goes into every test title,
 * so a failure says which store broke.
 * @example
 * ```ts
 * describe.each(storeFixtures())("carts on $name", (store) => {
 *   beforeAll(() => store.setup());
 *   afterAll(() => store.teardown());
 *   it("adds an item", async () => { const shop = makePlatform({ store: store.make() }); ... });
 * });
 * ```
 */
export interface StoreFixture<S> {
  /** `memory` or `postgres`: the store's name in test titles. */
  readonly name: string;
  /** Prepares what the stores live on (a migrated throwaway database); call it in `beforeAll`. */
  setup(): Promise<void>;
  /** Releases it; call it in `afterAll`. */
  teardown(): Promise<void>;
  /** A new store whose data is empty when it is first used. */
  make(): S;
  /** The pool of the PostgreSQL fixture's database (after `setup`), for tests that inspect rows; `null` for memory. */
  readonly pool: PoolLike | null;
}

/** A fixture making a new in-memory store each time. */
export function memoryStoreFixture<S>(make: () => S): StoreFixture<S> {
  return { name: "memory", setup: async () => {}, teardown: async () => {}, make, pool: null };
}

/** Options of {@link postgresStoreFixture}. */
export interface PostgresStoreFixtureOptions<S> {
  /** The test server's admin URL (vitest: `() => inject("databaseUrl")`), read at `setup`. */
  adminUrl: () => string;
  /** Prefix of the throwaway database's name. */
  prefix: string;
  /** Applies the package's migrations. */
  migrate(pool: PoolLike): Promise<unknown>;
  /** Tables emptied before a new store's first transaction. */
  tables: readonly string[];
  /** Builds a store on the pool. */
  create(pool: PoolLike): S;
  /** Pool size (default 20). */
  max?: number;
  /**
   * One database for every suite that uses this fixture (a test file's describe blocks): `setup`
   * creates it once, `teardown` keeps it, `dispose` drops it (call it in a file-level `afterAll`).
   * Each `make()` still starts from empty tables. Saves a database (~0.3 s) per describe block.
   */
  shared?: boolean;
}

// What the fixture needs of a store: its unit of work. Checked at run time, so any package's typed
// store (whose transaction takes its own Tx) fits without a cast.
interface Transactional {
  transaction(work: (tx: unknown) => Promise<unknown>): Promise<unknown>;
}

/**
 * A fixture on one migrated throwaway database per suite: each `make()` gives a store that empties
 * the tables before its first transaction, so tests of a suite start from nothing, as on memory.
 */
export function postgresStoreFixture<S extends object>(
  options: PostgresStoreFixtureOptions<S>,
): StoreFixture<S> & { dispose(): Promise<void> } {
  let db: IsolatedDatabase | undefined;
  let creating: Promise<IsolatedDatabase> | undefined;
  const database = () => {
    if (!db) throw new Error("call setup() (in beforeAll) before make()");
    return db;
  };
  // A previous test's after-commit work (a notification send) may still be writing: its row locks
  // can deadlock with the DELETEs, so a deadlock is retried.
  const empty = async () => {
    for (let attempt = 0; ; attempt++) {
      try {
        // DELETE with foreign-key triggers off, in one round trip: a suite's tables hold a few rows,
        // and TRUNCATE's new files per table and index cost ~100 ms a test.
        await database().pool.query(
          `BEGIN; SET LOCAL session_replication_role = replica; ${options.tables.map((t) => `DELETE FROM ${t};`).join(" ")} COMMIT;`,
        );
        return;
      } catch (error) {
        if (sqlState(error) !== "40P01" || attempt >= 5) throw error;
      }
    }
  };
  const dispose = async () => {
    const created = creating;
    creating = undefined;
    db = undefined;
    // A database whose creation failed failed its suite's setup already: there is nothing to drop.
    await (await created?.catch(() => undefined))?.drop();
  };
  return {
    name: "postgres",
    async setup() {
      creating ??= createMigratedDatabase(options.adminUrl(), { prefix: options.prefix, migrate: options.migrate, max: options.max ?? 20 });
      db = await creating;
    },
    async teardown() {
      if (!options.shared) await dispose();
    },
    dispose,
    make() {
      const store = options.create(database().pool);
      const unit = store as unknown as Transactional;
      if (typeof unit.transaction !== "function") throw new TypeError("the store has no transaction() method");
      const original = unit.transaction.bind(store);
      let emptied: Promise<void> | undefined;
      Object.defineProperty(store, "transaction", {
        configurable: true,
        writable: true,
        value: async (work: (tx: unknown) => Promise<unknown>): Promise<unknown> => {
          emptied ??= empty();
          await emptied;
          return original(work);
        },
      });
      return store;
    },
    get pool() {
      return db?.pool ?? null;
    },
  };
}
