import { afterAll, inject } from "vitest";
import { createIsolatedDatabase } from "@platform/core/testing";
import type { SocialTx } from "../src/index.js";
import { migrateSocial, PostgresSocialStore } from "../src/adapters/postgres/index.js";
import { defaultStore } from "./helpers.js";
import { truncateSocial } from "./postgres-helpers.js";

// The service test suites written for the memory store, re-run unchanged on PostgreSQL: every
// `world()` without an explicit store gets a PostgreSQL store on this file's database, emptied
// before its first use (tests of a file run one after another). Tests that build their own
// MemorySocialStore keep it.
const db = await createIsolatedDatabase(inject("databaseUrl"), { prefix: "social_suites" });
await migrateSocial(db.pool);
afterAll(() => db.drop());

class FreshPostgresStore extends PostgresSocialStore {
  private emptied: Promise<unknown> | undefined;
  override async transaction<T>(work: (tx: SocialTx) => Promise<T>): Promise<T> {
    this.emptied ??= truncateSocial(db.pool);
    await this.emptied;
    return super.transaction(work);
  }
}
defaultStore.make = () => new FreshPostgresStore(db.pool);

await import("./users.test.js");
await import("./follows.test.js");
await import("./posts.test.js");
await import("./comments-likes.test.js");
await import("./notifications.test.js");
await import("./private-account-read-paths.test.js");
await import("./post-existence.test.js");
await import("./bad-input.test.js");
await import("./demo-and-events.test.js");
await import("./feeds.test.js");
