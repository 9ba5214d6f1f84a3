import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ManualClock } from "@platform/core";
import { drainPurge, type IsolatedDatabase } from "@platform/core/testing";
import { createECommercePlatform, TestPaymentPort } from "../src/index.js";
import { migratedDatabase, storeOn, truncateCommerce } from "./postgres-helpers.js";

let db: IsolatedDatabase;
beforeAll(async () => {
  db = await migratedDatabase(inject("databaseUrl"), 10);
});
afterAll(() => db?.drop());

const count = async (table: string) => (await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;

describe("bounded state on PostgreSQL: sessions and login-throttle counters", () => {
  it("20,000 counters of unknown e-mails and 3,000 ended sessions: four purgers at once remove each row exactly once", async () => {
    await truncateCommerce(db);
    const clock = new ManualClock("2026-03-10T00:00:00Z");
    // Written as a flood of failed logins leaves them: windows started 2 days ago, no delay running.
    await db.pool.query(
      `INSERT INTO commerce_login_throttles (email, failures, window_started_at) SELECT 'nobody' || g || '@example.com', 1, $1::timestamptz - interval '2 days' FROM generate_series(1, 20000) g`,
      [clock.now()],
    );
    await db.pool.query(
      `INSERT INTO commerce_login_client_throttles (key, failures, window_started_at) SELECT '10.0.' || g || '.1', 3, $1::timestamptz - interval '2 hours' FROM generate_series(1, 50) g`,
      [clock.now()],
    );
    await db.pool.query(
      `INSERT INTO commerce_login_throttles (email, failures, window_started_at, locked_until) VALUES ('live@example.com', 9, $1::timestamptz - interval '2 days', $1::timestamptz + interval '1 minute')`,
      [clock.now()],
    );
    await db.pool.query(
      `INSERT INTO commerce_sessions (token_hash, customer_id, created_at, expires_at) SELECT 'h' || g, 'cus_x', $1::timestamptz - interval '9 days', $1::timestamptz - interval '8 days' FROM generate_series(1, 3000) g`,
      [clock.now()],
    );
    await db.pool.query(
      `INSERT INTO commerce_sessions (token_hash, customer_id, created_at, expires_at) VALUES ('live', 'cus_x', $1, $1::timestamptz + interval '1 day')`,
      [clock.now()],
    );

    const platforms = Array.from({ length: 4 }, () =>
      createECommercePlatform({ store: storeOn(db), clock, payments: new TestPaymentPort(), passwordHashing: { N: 1024 } }),
    );
    const throttles = await Promise.all(platforms.map((p) => drainPurge(() => p.users.purgeLoginThrottles({ limit: 1_000 }))));
    const sessions = await Promise.all(platforms.map((p) => drainPurge(() => p.users.purgeEndedSessions({ limit: 500 }))));
    expect(throttles.reduce((a, b) => a + b, 0)).toBe(20_050);
    expect(sessions.reduce((a, b) => a + b, 0)).toBe(3_000);
    expect(await count("commerce_login_throttles")).toBe(1); // the live delay stays
    expect(await count("commerce_login_client_throttles")).toBe(0);
    expect(await count("commerce_sessions")).toBe(1);
  });
});
