import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ManualClock } from "@platform/core";
import { createIsolatedDatabase, drainPurge, type IsolatedDatabase } from "@platform/core/testing";
import { createPaymentSystem, TestGateway } from "../src/index.js";
import { migratePayments, PostgresPaymentStore } from "../src/adapters/postgres/index.js";

let db: IsolatedDatabase;
beforeAll(async () => {
  db = await createIsolatedDatabase(inject("databaseUrl"), { prefix: "pay_retention", max: 10 });
  await migratePayments(db.pool);
});
afterAll(async () => {
  await db?.drop();
});

const count = async (table: string) => (await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;

describe("bounded state on PostgreSQL: idempotency keys and webhook deliveries", () => {
  it("four purgers at once remove each expired key and finished delivery exactly once", async () => {
    const clock = new ManualClock("2026-03-10T00:00:00Z");
    await db.pool.query(
      `INSERT INTO payment_idempotency_keys (scope, key, fingerprint, status, response, created_at, expires_at)
       SELECT 'payments.create', 'k' || g, 'f', 'completed', '{"resourceId":"pay_x"}'::jsonb, $1::timestamptz - interval '9 days', $1::timestamptz - interval '8 days'
         FROM generate_series(1, 3000) g`,
      [clock.now()],
    );
    await db.pool.query(
      `INSERT INTO payment_idempotency_keys (scope, key, fingerprint, status, created_at, expires_at) VALUES ('payments.create', 'live', 'f', 'in_progress', $1, $1::timestamptz + interval '1 day')`,
      [clock.now()],
    );
    await db.pool.query(
      `INSERT INTO webhook_deliveries (id, endpoint_id, message_id, event_type, payload, status, attempt_count, attempts, created_at, updated_at)
       SELECT 'whd_' || g, 'we_1', 'evt_' || g, 'payment.succeeded', '{}', CASE WHEN g % 2 = 0 THEN 'succeeded' ELSE 'failed' END, 1,
              '[{"at":"2026-01-01T00:00:00Z","status":200,"durationMs":3}]'::jsonb, $1::timestamptz - interval '40 days', $1::timestamptz - interval '40 days'
         FROM generate_series(1, 2000) g`,
      [clock.now()],
    );
    await db.pool.query(
      `INSERT INTO webhook_deliveries (id, endpoint_id, message_id, event_type, payload, status, attempt_count, next_attempt_at, created_at, updated_at)
       VALUES ('whd_pending', 'we_1', 'evt_p', 'payment.succeeded', '{}', 'pending', 3, $1, $1::timestamptz - interval '40 days', $1::timestamptz - interval '40 days')`,
      [clock.now()],
    );
    const systems = Array.from({ length: 4 }, () =>
      createPaymentSystem({
        store: new PostgresPaymentStore(db.pool),
        clock,
        gateways: { test: new TestGateway() },
        webhooks: { autoDispatch: false },
      }),
    );
    const keys = await Promise.all(systems.map((s) => drainPurge(() => s.maintenance.purgeIdempotencyKeys({ limit: 250 }))));
    const deliveries = await Promise.all(systems.map((s) => drainPurge(() => s.maintenance.purgeWebhookDeliveries({ limit: 250 }))));
    expect(keys.reduce((a, b) => a + b, 0)).toBe(3_000);
    expect(deliveries.reduce((a, b) => a + b, 0)).toBe(2_000);
    expect(await count("payment_idempotency_keys")).toBe(1);
    expect(await count("webhook_deliveries")).toBe(1);
  });
});
