import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { coreMigrations, migrate, sqlState } from "@platform/core/postgres";
import { createIsolatedDatabase, type IsolatedDatabase } from "@platform/core/testing";
import { CURRENCY_CODES, minorUnits } from "@platform/core";
import { paymentsMigrations } from "@platform/payments/postgres";
import { commerceMigrations, migrateCommerce } from "../src/adapters/postgres/index.js";

let db: IsolatedDatabase;
beforeAll(async () => {
  db = await createIsolatedDatabase(inject("databaseUrl"), { prefix: "commerce_schema" });
});
afterAll(() => db?.drop());

const SEED_TABLES = [
  "users",
  "addresses",
  "categories",
  "products",
  "product_images",
  "product_attributes",
  "orders",
  "order_items",
  "payments",
  "cart",
];
const SEED_INDEXES = [
  "idx_users_email",
  "idx_products_category",
  "idx_products_sku",
  "idx_orders_user_id",
  "idx_orders_status",
  "idx_order_items_order_id",
  "idx_payments_order_id",
  "idx_cart_user_id",
];

describe("commerce schema on PostgreSQL", () => {
  it("migrates once from several callers at once, and again as a no-op, next to the payments package", async () => {
    // Three pools race the same migrations; the advisory lock applies each file once.
    const reports = await Promise.all([migrateCommerce(db.pool), migrateCommerce(db.pool), migrateCommerce(db.pool)]);
    const files = coreMigrations.migrations.length + (await commerceMigrations()).migrations.length; // core's and commerce's
    expect(reports.map((r) => r.applied.length).sort()).toEqual([0, 0, files]);
    const again = await migrate(db.pool, [coreMigrations, await commerceMigrations(), await paymentsMigrations()]);
    expect(again.applied.every((name) => name.startsWith("payments/"))).toBe(true);
    expect(again.skipped).toContain("commerce/001-commerce-schema.sql");
    expect((await migrateCommerce(db.pool)).applied).toEqual([]);
  });

  it("knows the minor units of exactly the currencies core knows (CUC included)", async () => {
    const { rows } = await db.pool.query<{ code: string; units: number | null }>(
      "SELECT code, commerce_minor_units(code) AS units FROM unnest($1::text[]) AS code",
      [[...CURRENCY_CODES]],
    );
    expect(rows.filter((r) => r.units !== minorUnits(r.code))).toEqual([]);
    expect(rows.find((r) => r.code === "CUC")?.units).toBe(2);
  });

  it("holds the seed's tables and indexes by name (live catalog)", async () => {
    const tables = (await db.pool.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).rows.map(
      (r) => r.tablename,
    );
    expect(tables).toEqual(expect.arrayContaining(SEED_TABLES));
    expect(tables).toEqual(
      expect.arrayContaining([
        "commerce_sessions",
        "commerce_login_throttles",
        "commerce_login_client_throttles",
        "commerce_notifications",
        "commerce_stock_levels",
        "commerce_reservations",
        "commerce_product_variants",
        "platform_outbox",
      ]),
    );
    const indexes = (
      await db.pool.query<{ indexname: string; tablename: string }>(
        "SELECT indexname, tablename FROM pg_indexes WHERE schemaname = 'public'",
      )
    ).rows;
    const byName = new Map(indexes.map((i) => [i.indexname, i.tablename]));
    for (const name of SEED_INDEXES) expect(byName.has(name), name).toBe(true);
    expect(byName.get("idx_payments_order_id")).toBe("payments");
    expect(byName.get("idx_cart_user_id")).toBe("cart");
    // Search: a GIN index on the weighted tsvector, folded by unaccent when the server has it.
    const gin = (await db.pool.query<{ indexdef: string }>("SELECT indexdef FROM pg_indexes WHERE indexname = 'commerce_products_search'"))
      .rows[0]!.indexdef;
    expect(gin).toMatch(/USING gin \(search\)/);
    const folded = (await db.pool.query<{ f: string }>("SELECT commerce_fold('Crème BRÛLÉE Ångström') AS f")).rows[0]!.f;
    expect(folded).toBe("creme brulee angstrom");
  });

  it("the translate() fallback of servers without unaccent folds accents too", async () => {
    // The migration's fallback branch, run under another name on this server.
    const sql = (await commerceMigrations()).migrations[0]!.sql;
    const fallback = [...sql.matchAll(/EXECUTE \$f\$(CREATE FUNCTION commerce_fold[\s\S]*?)\$f\$;/g)]
      .map((m) => m[1]!)
      .find((body) => body.includes("translate("));
    expect(fallback).toBeDefined();
    await db.pool.query(fallback!.replace("commerce_fold(", "commerce_fold_fallback("));
    const folded = (await db.pool.query<{ f: string }>("SELECT commerce_fold_fallback('Crème BRÛLÉE Ångström, Ñandú') AS f")).rows[0]!.f;
    expect(folded).toBe("creme brulee angstrom, nandu");
  });

  it("refuses writes that break stock, money, uniqueness or idempotency rules even from raw SQL", async () => {
    const raw = async (text: string, values: unknown[] = []) => {
      try {
        await db.pool.query(text, values);
        return "ok";
      } catch (e) {
        return sqlState(e);
      }
    };
    await db.pool.query(
      "INSERT INTO commerce_stock_levels (key, product_id, on_hand, received, updated_at) VALUES ('raw-1', 'raw-1', 2, 2, now())",
    );
    expect(await raw("UPDATE commerce_stock_levels SET reserved = 3 WHERE key = 'raw-1'")).toBe("23514"); // reserved <= on_hand
    expect(await raw("UPDATE commerce_stock_levels SET reserved = -1 WHERE key = 'raw-1'")).toBe("23514");
    expect(await raw("UPDATE commerce_stock_levels SET on_hand = -1, adjusted = -3 WHERE key = 'raw-1'")).toBe("23514");
    expect(await raw("UPDATE commerce_stock_levels SET on_hand = 5 WHERE key = 'raw-1'")).toBe("23514"); // balance: on_hand + sold = received + adjusted
    const order = (id: string, key: string) =>
      raw(
        `INSERT INTO orders (id, user_id, status, currency, subtotal, shipping, tax, total, idempotency_key, request_fingerprint, payment_status, created_at, updated_at, version)
         VALUES ($1, 'cus_raw', 'pending', 'USD', 10.00, 0.00, 0.00, 10.00, $2, 'f', 'pending', now(), now(), 1)`,
        [id, key],
      );
    expect(await order("ord_raw1", "key-raw")).toBe("ok");
    expect(await order("ord_raw2", "key-raw")).toBe("23505");
    expect(await raw("UPDATE orders SET total = 11.00 WHERE id = 'ord_raw1'")).toBe("23514"); // total = subtotal + shipping + tax
    // Money at the currency's scale: 2 decimals for USD, 0 for JPY, 3 for KWD; unknown currencies refused.
    expect(await raw("UPDATE orders SET subtotal = 10.000, total = 10.000 WHERE id = 'ord_raw1'")).toBe("23514");
    expect(await raw("UPDATE orders SET currency = 'JPY' WHERE id = 'ord_raw1'")).toBe("23514");
    expect(
      await raw(
        "UPDATE orders SET currency = 'KWD', subtotal = 10.000, shipping = 0.000, tax = 0.000, total = 10.000 WHERE id = 'ord_raw1'",
      ),
    ).toBe("ok");
    expect(await raw("UPDATE orders SET currency = 'XYZ' WHERE id = 'ord_raw1'")).toBe("23514");
    expect(await raw("UPDATE orders SET status = 'lost' WHERE id = 'ord_raw1'")).toBe("23514");
    expect(await raw("UPDATE orders SET reservation_id = 'res_missing' WHERE id = 'ord_raw1'")).toBe("23503");
    expect(
      await raw(
        "INSERT INTO commerce_reservations (id, order_id, status, expires_at, created_at) VALUES ('res_raw', 'ord_missing', 'active', now(), now())",
      ),
    ).toBe("23503"); // checked at commit
    expect(
      await raw(
        "INSERT INTO users (id, email, name, password_hash, created_at, updated_at, version) VALUES ('cus_r1', 'a@x.io', 'A', '{}', now(), now(), 1)",
      ),
    ).toBe("ok");
    expect(
      await raw(
        "INSERT INTO users (id, email, name, password_hash, created_at, updated_at, version) VALUES ('cus_r2', 'A@X.IO', 'A', '{}', now(), now(), 1)",
      ),
    ).toBe("23505");
    expect(await raw("INSERT INTO cart (id, user_id, created_at, updated_at, version) VALUES ('cart_r1', 'cus_r1', now(), now(), 1)")).toBe(
      "ok",
    );
    expect(await raw("INSERT INTO cart (id, user_id, created_at, updated_at, version) VALUES ('cart_r2', 'cus_r1', now(), now(), 1)")).toBe(
      "23505",
    );
    expect(
      await raw("INSERT INTO cart (id, user_id, created_at, updated_at, version) VALUES ('cart_r3', 'cus_missing', now(), now(), 1)"),
    ).toBe("23503");
  });
});
