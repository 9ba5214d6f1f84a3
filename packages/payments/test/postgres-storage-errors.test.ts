import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ManualClock } from "@platform/core";
import { checkout, createPool, type PoolLike } from "@platform/core/postgres";
import { createIsolatedDatabase, type IsolatedDatabase, waitForLockWaiter } from "@platform/core/testing";
import { createPaymentSystem, TestGateway } from "../src/index.js";
import { createPostgresPaymentStore, migratePayments, PostgresPaymentStore } from "../src/adapters/postgres/index.js";
import { codeOf, usd } from "./helpers.js";
import { ADMIN } from "./helpers.js";

// A statement timeout or a lost connection in the middle of an operation (after it already wrote
// in its transaction) rolls everything back and surfaces as storage_unavailable.
let db: IsolatedDatabase;
let shortPool: PoolLike;
beforeAll(async () => {
  db = await createIsolatedDatabase(inject("databaseUrl"), { prefix: "pay_storage" });
  await migratePayments(db.pool);
  shortPool = await createPool({ connectionString: db.url, max: 3, statementTimeoutMs: 400 });
});
afterAll(async () => {
  await shortPool?.end?.();
  await db?.drop();
});

function makeSystem(pool: PoolLike) {
  const gateway = new TestGateway();
  const system = createPaymentSystem({
    store: new PostgresPaymentStore(pool),
    clock: new ManualClock("2026-03-01T12:00:00Z"),
    gateways: { test: gateway },
    webhooks: { autoDispatch: false },
  });
  return { system, gateway };
}

async function snapshot(paymentId: string) {
  const { rows } = await db.pool.query<Record<string, unknown>>(
    `SELECT (SELECT row_to_json(p) FROM payments p WHERE id = $1) AS payment,
            (SELECT count(*)::int FROM payment_transactions WHERE payment_id = $1) AS ledger,
            (SELECT count(*)::int FROM payment_idempotency_keys) AS keys,
            (SELECT count(*)::int FROM platform_outbox) AS events,
            (SELECT count(*)::int FROM payments) AS payments`,
    [paymentId],
  );
  return rows[0]!;
}

/** Holds a row lock on the payment from another session until `release()`. */
async function lockPayment(id: string) {
  const { client, done } = await checkout(db.pool);
  await client.query("BEGIN");
  await client.query("SELECT 1 FROM payments WHERE id = $1 FOR UPDATE", [id]);
  return async () => {
    await client.query("ROLLBACK");
    done();
  };
}

describe("storage failures on PostgreSQL", () => {
  it("a statement timeout mid-capture rolls back the claimed key and surfaces as storage_unavailable", async () => {
    const { system, gateway } = makeSystem(shortPool);
    const p = await system.payments.create(ADMIN, { amount: usd("30"), paymentMethod: "pm_card_visa", captureMethod: "manual" });
    const before = await snapshot(p.id);
    const release = await lockPayment(p.id);
    try {
      expect(await codeOf(() => system.payments.capture(ADMIN, { paymentId: p.id, idempotencyKey: "cap-timeout" }))).toBe(
        "storage_unavailable",
      );
    } finally {
      await release();
    }
    expect(await snapshot(p.id)).toEqual(before);
    expect(gateway.calls.capture).toBe(0);
    // Nothing half-written: the same key now captures once.
    expect((await system.payments.capture(ADMIN, { paymentId: p.id, idempotencyKey: "cap-timeout" })).status).toBe("succeeded");
  });

  it("a connection killed mid-create (after the key and payment rows were written) leaves nothing behind", async () => {
    const { system } = makeSystem(db.pool);
    const before = await snapshot("none");
    const { client, done } = await checkout(db.pool);
    await client.query("BEGIN");
    await client.query("LOCK TABLE fraud_velocity_events IN EXCLUSIVE MODE"); // the payment's insert waits here
    try {
      const pending = codeOf(() =>
        system.payments.create(ADMIN, {
          amount: usd("12"),
          paymentMethod: "pm_card_visa",
          idempotencyKey: "create-killed",
          customer: { id: "cus_k" },
        }),
      );
      const pid = await waitForLockWaiter(db.pool);
      await db.pool.query("SELECT pg_terminate_backend($1)", [pid]);
      expect(await pending).toBe("storage_unavailable");
    } finally {
      await client.query("ROLLBACK");
      done();
    }
    expect(await snapshot("none")).toEqual(before);
    expect(
      (
        await system.payments.create(ADMIN, {
          amount: usd("12"),
          paymentMethod: "pm_card_visa",
          idempotencyKey: "create-killed",
          customer: { id: "cus_k" },
        })
      ).status,
    ).toBe("succeeded");
  });

  it("an unreachable server is storage_unavailable", async () => {
    const store = await createPostgresPaymentStore({ connectionString: "postgres://postgres@127.0.0.1:1/none", max: 1 });
    try {
      const system = createPaymentSystem({ store, gateways: { test: new TestGateway() }, webhooks: { autoDispatch: false } });
      expect(await codeOf(() => system.payments.get(ADMIN, { paymentId: "pay_x" }))).toBe("storage_unavailable");
    } finally {
      await store.close();
    }
  });
});
