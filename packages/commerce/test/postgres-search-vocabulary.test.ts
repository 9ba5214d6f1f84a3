import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { IsolatedDatabase } from "@platform/core/testing";
import { ADMIN_ACTOR, ANONYMOUS_ACTOR, makePlatform, product } from "./helpers.js";
import { migratedDatabase, storeOn, truncateCommerce } from "./postgres-helpers.js";

let db: IsolatedDatabase;
beforeAll(async () => {
  db = await migratedDatabase(inject("databaseUrl"));
});
afterAll(() => db?.drop());

const rows = async () => ({
  terms: (await db.pool.query<{ term: string }>('SELECT term FROM commerce_search_terms ORDER BY term COLLATE "C"')).rows.map(
    (r) => r.term,
  ),
  deletions: (
    await db.pool.query<{ d: string }>(
      "SELECT deletion || '>' || term AS d FROM commerce_search_term_deletions ORDER BY (deletion || '>' || term) COLLATE \"C\"",
    )
  ).rows.map((r) => r.d),
});

describe("the PostgreSQL search vocabulary", () => {
  it("is written with product writes, and migration 010's backfill from the search vectors rebuilds the same rows", async () => {
    await truncateCommerce(db);
    await db.pool.query("TRUNCATE commerce_search_terms, commerce_search_term_deletions");
    const { platform } = makePlatform({ store: storeOn(db) });
    const kb = await product(platform, "KB-1", "49.99", 5, {
      name: "Wireless Keyboard",
      description: "Crème brûlée coloured keys",
      attributes: { brand: "Logitech" },
    });
    await platform.products.update(ADMIN_ACTOR, { productId: kb.id, expectedVersion: 1, name: "Rechargeable Keyboard" });
    const written = await rows();
    expect(written.terms).toEqual(
      expect.arrayContaining(["wireless", "rechargeable", "keyboard", "creme", "brulee", "logitech", "brand", "kb", "1"]),
    );
    expect(written.deletions).toEqual(expect.arrayContaining(["keybard>keyboard", "kyboar>keyboard", "cree>creme", "kb>kb"]));
    expect(written.deletions.some((d) => d.endsWith(">1") && d !== "1>1")).toBe(false); // no deletions of words with digits

    await db.pool.query("TRUNCATE commerce_search_terms, commerce_search_term_deletions");
    const migration = await readFile(new URL("../src/adapters/postgres/migrations/010-search-vocabulary.sql", import.meta.url), "utf8");
    await db.pool.query(migration.slice(migration.indexOf("-- Backfill")));
    const backfilled = await rows();
    // The vectors hold the current text only: the backfill has no "wireless" (the old name).
    expect(backfilled.terms).toEqual(written.terms.filter((t) => t !== "wireless"));
    expect(backfilled.deletions).toEqual(written.deletions.filter((d) => !d.endsWith(">wireless")));
    expect((await platform.products.search(ANONYMOUS_ACTOR, { text: "rechragable keybaord" })).items.map((h) => h.product.sku)).toEqual([
      "KB-1",
    ]);
  });
});
