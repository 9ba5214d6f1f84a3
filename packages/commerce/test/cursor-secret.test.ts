import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { legacyCursor, type IsolatedDatabase } from "@platform/core/testing";
import { MemoryCommerceStore, type CommerceStore } from "../src/index.js";
import { createPostgresCommerceStore } from "../src/adapters/postgres/index.js";
import { codeOf, makePlatform, product, signUp, ANONYMOUS_ACTOR } from "./helpers.js";
import { migratedDatabase, storeOn, truncateCommerce } from "./postgres-helpers.js";

let db: IsolatedDatabase;
beforeAll(async () => {
  db = await migratedDatabase(inject("databaseUrl"));
});
afterAll(() => db?.drop());

const SHARED = "shared-cursor-secret-for-all-app-servers";

// Two app servers: on PostgreSQL two stores on one database, in memory two stores (the cursor's
// signature is checked before any row is read, so acceptance shows even without shared rows).
const stores: [string, () => Promise<CommerceStore>, boolean][] = [
  ["memory", async () => new MemoryCommerceStore(), false],
  ["postgres", async () => storeOn(db), true],
];

describe.each(stores)("page cursors on the %s store", (name, makeStore, shared) => {
  it("a cursor forged with the secret the package used to ship is refused, configured or not", async () => {
    if (shared) await truncateCommerce(db);
    for (const options of [{}, { cursorSecret: SHARED }]) {
      const { platform } = makePlatform({ store: await makeStore(), ...options });
      await product(platform, `FORGE-${name}-${Object.keys(options).length}`, "5.00", 1);
      const { actor } = await signUp(platform);
      expect(
        await codeOf(() =>
          platform.products.search(ANONYMOUS_ACTOR, {
            sort: "newest",
            cursor: legacyCursor("products.search.newest", [Date.now(), "prod_x"]),
          }),
        ),
      ).toBe("invalid_cursor");
      expect(await codeOf(() => platform.orders.list(actor, { cursor: legacyCursor("orders.by_customer", [Date.now(), "ord_x"]) }))).toBe(
        "invalid_cursor",
      );
    }
  });

  it("servers configured with one shared secret accept each other's cursors; any other secret refuses them", async () => {
    if (shared) await truncateCommerce(db);
    const a = makePlatform({ store: await makeStore(), cursorSecret: SHARED });
    const b = makePlatform({ store: await makeStore(), cursorSecret: SHARED });
    for (const sku of ["SHARE-1", "SHARE-2", "SHARE-3"]) {
      a.clock.advance({ seconds: 1 });
      await product(a.platform, sku, "5.00", 1);
    }
    const first = await a.platform.products.search(ANONYMOUS_ACTOR, { sort: "newest", limit: 2 });
    expect(first.items.map((h) => h.product.sku)).toEqual(["SHARE-3", "SHARE-2"]);
    const next = await b.platform.products.search(ANONYMOUS_ACTOR, { sort: "newest", limit: 2, cursor: first.nextCursor });
    if (shared) expect(next.items.map((h) => h.product.sku)).toEqual(["SHARE-1"]);
    for (const other of [
      makePlatform({ store: await makeStore() }),
      makePlatform({ store: await makeStore(), cursorSecret: `${SHARED}-rotated` }),
    ]) {
      expect(
        await codeOf(() => other.platform.products.search(ANONYMOUS_ACTOR, { sort: "newest", limit: 2, cursor: first.nextCursor })),
      ).toBe("invalid_cursor");
    }
  });

  it("refuses a secret shorter than 32 characters", async () => {
    expect(await codeOf(async () => makePlatform({ store: await makeStore(), cursorSecret: "short" }))).toBe("weak_cursor_secret");
  });
});

it("the PostgreSQL store takes the secret at construction too", async () => {
  await truncateCommerce(db);
  const a = makePlatform({ store: await createPostgresCommerceStore({ pool: db.pool }, { cursorSecret: SHARED }) });
  const b = makePlatform({ store: storeOn(db), cursorSecret: SHARED });
  for (const sku of ["CTOR-1", "CTOR-2"]) {
    a.clock.advance({ seconds: 1 });
    await product(a.platform, sku, "5.00", 1);
  }
  const first = await a.platform.products.search(ANONYMOUS_ACTOR, { sort: "newest", limit: 1 });
  expect(
    (await b.platform.products.search(ANONYMOUS_ACTOR, { sort: "newest", limit: 1, cursor: first.nextCursor })).items.map(
      (h) => h.product.sku,
    ),
  ).toEqual(["CTOR-1"]);
  expect(await codeOf(() => createPostgresCommerceStore({ pool: db.pool }, { cursorSecret: "short" }))).toBe("weak_cursor_secret");
  expect(await codeOf(async () => new MemoryCommerceStore({ cursorSecret: "short" }))).toBe("weak_cursor_secret");
});
