import { afterAll, inject } from "vitest";
import { sqlState } from "@platform/core/postgres";
import type { CommerceTx } from "../src/index.js";
import { PostgresCommerceStore } from "../src/adapters/postgres/index.js";
import { defaultStore } from "./helpers.js";
import { COMMERCE_TABLES, migratedDatabase } from "./postgres-helpers.js";

// The service test suites written for the memory store, re-run unchanged on PostgreSQL: every
// `makePlatform()` without a store gets a PostgreSQL store on this file's database, emptied
// before its first use (tests of a file run one after another).
const db = await migratedDatabase(inject("databaseUrl"), 20);
afterAll(() => db.drop());

// A previous test's after-commit work (notification sends) may still be reading: TRUNCATE's
// table locks can deadlock with it, so it is retried.
async function empty(): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await db.pool.query(`TRUNCATE ${COMMERCE_TABLES.join(", ")} CASCADE`);
      return;
    } catch (error) {
      if (sqlState(error) !== "40P01" || attempt >= 5) throw error;
    }
  }
}

class FreshPostgresStore extends PostgresCommerceStore {
  private emptied: Promise<unknown> | undefined;
  override async transaction<T>(work: (tx: CommerceTx) => Promise<T>): Promise<T> {
    this.emptied ??= empty();
    await this.emptied;
    return super.transaction(work);
  }
}
defaultStore.make = () => new FreshPostgresStore(db.pool);

await import("./catalog-search.test.js");
await import("./carts.test.js");
await import("./users.test.js");
await import("./credentials.test.js");
await import("./inventory.test.js");
await import("./orders.test.js");
await import("./checkout-concurrency.test.js");
await import("./notifications.test.js");
await import("./payments-adapter.test.js");
await import("./checkout-once.test.js");
await import("./payment-sweeper.test.js");
await import("./checkout-requires-action.test.js");
await import("./stripe-checkout-3ds.test.js");
