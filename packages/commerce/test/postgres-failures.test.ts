import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { createPool } from "@platform/core/postgres";
import type { IsolatedDatabase } from "@platform/core/testing";
import { PostgresCommerceStore } from "../src/adapters/postgres/index.js";
import { codeOf, makePlatform, product, signUp, ADMIN_ACTOR, ANONYMOUS_ACTOR } from "./helpers.js";
import { migratedDatabase, storeOn } from "./postgres-helpers.js";

let db: IsolatedDatabase;
beforeAll(async () => {
  db = await migratedDatabase(inject("databaseUrl"));
});
afterAll(() => db?.drop());

describe("hostile strings on PostgreSQL", () => {
  it("stores quotes, SQL, emoji and long text exactly; refuses NUL bytes with a ValidationError", async () => {
    const { platform } = makePlatform({ store: storeOn(db) });
    const name = `O'Brien "Deluxe" '; DROP TABLE products; -- 🧁👩‍👩‍👧 \\x00 $1 %s`;
    const description = `${"Ünïcödé ✓ ".repeat(900)}'); DELETE FROM users; --`;
    const p = await product(platform, "HOSTILE-1", "5.00", 1, { description, attributes: { "brand'; --": "Ben & Jerry's 🍦" } });
    await platform.products.update(ADMIN_ACTOR, { productId: p.id, expectedVersion: 1, name });
    const back = await platform.products.get(ANONYMOUS_ACTOR, { productId: p.id });
    expect(back.name).toBe(name);
    expect(back.description).toBe(description.trim());
    expect(back.attributes).toEqual({ "brand'; --": "Ben & Jerry's 🍦" });
    // Search text is never tsquery syntax: operators and quotes are just separators.
    for (const text of ["'; DROP TABLE products; --", "a & | ! :* ( ) <-> \\", "O'Brien", "🧁", "ben & jerry's"]) {
      await platform.products.search(ANONYMOUS_ACTOR, { text });
    }
    expect((await platform.products.search(ANONYMOUS_ACTOR, { text: "O'Brien deluxe" })).items.map((h) => h.product.id)).toEqual([p.id]);
    expect(
      (await platform.products.search(ANONYMOUS_ACTOR, { attributes: { "brand'; --": "BEN & JERRY'S 🍦" } })).items.map(
        (h) => h.product.id,
      ),
    ).toEqual([p.id]);
    const tables = await db.pool.query("SELECT count(*)::int AS n FROM pg_tables WHERE tablename IN ('products', 'users')");
    expect(tables.rows[0]).toEqual({ n: 2 });

    expect(await codeOf(() => product(platform, "NUL-1", "1.00", 1, { name: "bad\u0000name" }))).toBe("nul_character");
    expect(await codeOf(() => product(platform, "NUL-2", "1.00", 1, { attributes: { k: "v\u0000" } }))).toBe("nul_character");
    expect(await codeOf(() => platform.products.getBySku(ANONYMOUS_ACTOR, { sku: "NUL-1" }))).toBe("product_not_found");
    const { actor } = await signUp(platform, `Zoë "Z" O'Hara 😀`);
    expect((await platform.users.updateProfile(actor, {})).name).toBe(`Zoë "Z" O'Hara 😀`);
    expect(await codeOf(() => platform.users.updateProfile(actor, { name: "nul\u0000" }))).toBe("nul_character");
  });
});

describe("storage failures on PostgreSQL", () => {
  it("a statement timeout mid-checkout is storage_unavailable and leaves no order, reservation or held stock", async () => {
    const pool = await createPool({ connectionString: db.url, max: 4, statementTimeoutMs: 300 });
    try {
      const { platform } = makePlatform({ store: new PostgresCommerceStore(pool) });
      const p = await product(platform, "TIMEOUT-1", "3.00", 5);
      const { actor } = await signUp(platform);
      await platform.carts.addItem(actor, { productId: p.id, quantity: 2 });
      // Another session holds the stock row: the reservation's conditional UPDATE waits, then times out.
      const blocker = await db.pool.connect();
      await blocker.query("BEGIN");
      await blocker.query("SELECT * FROM commerce_stock_levels WHERE key = $1 FOR UPDATE", [p.id]);
      try {
        expect(await codeOf(() => platform.orders.checkout(actor, { idempotencyKey: "timeout-checkout-1" }))).toBe("storage_unavailable");
      } finally {
        await blocker.query("ROLLBACK");
        blocker.release();
      }
      expect((await db.pool.query("SELECT count(*)::int AS n FROM orders WHERE user_id = $1", [actor.id])).rows[0]).toEqual({ n: 0 });
      expect(
        (
          await db.pool.query(
            "SELECT count(*)::int AS n FROM commerce_reservations r JOIN commerce_reservation_lines l ON l.reservation_id = r.id WHERE l.key = $1",
            [p.id],
          )
        ).rows[0],
      ).toEqual({ n: 0 });
      expect(await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: p.id })).toMatchObject({ onHand: 5, reserved: 0 });
      // The same key works once the database answers again.
      expect((await platform.orders.checkout(actor, { idempotencyKey: "timeout-checkout-1" })).status).toBe("paid");
    } finally {
      await pool.end?.();
    }
  });

  it("a connection lost inside a transaction is storage_unavailable and nothing of it is written", async () => {
    const pool = await createPool({ connectionString: db.url, max: 2, applicationName: "commerce-doomed" });
    try {
      const store = new PostgresCommerceStore(pool);
      const { platform } = makePlatform({ store });
      const p = await product(platform, "LOST-1", "3.00", 5);
      const code = await codeOf(() =>
        store.transaction(async (tx) => {
          await tx.inventory.adjust({
            id: "adj_lost_1",
            key: p.id,
            delta: 10,
            reason: "received",
            note: null,
            at: new Date("2026-03-01T10:00:00Z"),
          });
          await db.pool.query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'commerce-doomed' AND state = 'idle in transaction'",
          );
          await tx.inventory.adjust({
            id: "adj_lost_2",
            key: p.id,
            delta: 1,
            reason: "received",
            note: null,
            at: new Date("2026-03-01T10:00:00Z"),
          });
        }),
      );
      expect(code).toBe("storage_unavailable");
      expect((await db.pool.query("SELECT on_hand FROM commerce_stock_levels WHERE key = $1", [p.id])).rows[0]).toEqual({ on_hand: 5 });
      expect((await db.pool.query("SELECT count(*)::int AS n FROM commerce_stock_adjustments WHERE id LIKE 'adj_lost_%'")).rows[0]).toEqual(
        { n: 0 },
      );
      // The pool recovers with a fresh connection.
      expect((await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: p.id })).onHand).toBe(5);
    } finally {
      await pool.end?.();
    }
  });

  it("an unreachable server is storage_unavailable", async () => {
    const url = new URL(db.url);
    url.port = "1";
    const pool = await createPool({ connectionString: url.toString(), max: 1 });
    try {
      const { platform } = makePlatform({ store: new PostgresCommerceStore(pool) });
      expect(await codeOf(() => platform.products.search(ANONYMOUS_ACTOR, { text: "anything" }))).toBe("storage_unavailable");
    } finally {
      await pool.end?.();
    }
  });
});
