import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { migrate } from "@platform/core/postgres";
import { createIsolatedDatabase, type IsolatedDatabase } from "@platform/core/testing";
import { migratePayments, paymentsMigrations } from "../src/adapters/postgres/index.js";

// Migration 008 carries webhook subscriptions over the past-tense renames of the payment events.
let db: IsolatedDatabase;

beforeAll(async () => {
  db = await createIsolatedDatabase(inject("databaseUrl"), { prefix: "pay_rename" });
  const all = await paymentsMigrations();
  await migrate(db.pool, { ...all, migrations: all.migrations.filter((m) => m.name < "008") });
});
afterAll(async () => {
  await db?.drop();
});

describe("payment event renames on PostgreSQL", () => {
  it("rewrites stored endpoint subscriptions of the old names and leaves the others", async () => {
    const insert =
      "INSERT INTO webhook_endpoints (id, url, events, secrets, enabled, created_at, updated_at) VALUES ($1, 'https://x.example/h', $2, '[]', true, now(), now())";
    await db.pool.query(insert, ["we_old", ["payment.processing", "payment.requires_action", "refund.succeeded"]]);
    await db.pool.query(insert, ["we_wild", ["payment.*"]]);
    await migratePayments(db.pool);
    const { rows } = await db.pool.query<{ id: string; events: string[] }>("SELECT id, events FROM webhook_endpoints ORDER BY id");
    expect(rows).toEqual([
      { id: "we_old", events: ["payment.processing_started", "payment.action_required", "refund.succeeded"] },
      { id: "we_wild", events: ["payment.*"] },
    ]);
  });
});
