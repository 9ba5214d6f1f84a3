import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { countingPool, createIsolatedDatabase, type CountingPool, type IsolatedDatabase } from "@platform/core/testing";
import { createPaymentSystem, TestGateway } from "../src/index.js";
import { migratePayments, PostgresPaymentStore } from "../src/adapters/postgres/index.js";
import { ADMIN, usd } from "./helpers.js";

// What create and capture send to PostgreSQL: each statement they save is a round trip under load.
let db: IsolatedDatabase;
let pool: CountingPool;

beforeAll(async () => {
  db = await createIsolatedDatabase(inject("databaseUrl"), { prefix: "pay_trips" });
  await migratePayments(db.pool);
  pool = countingPool(db.pool);
});
afterAll(async () => {
  await db?.drop();
});

/** The statements `op` sends, one string each. */
async function statementsOf(op: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  pool.trace = (text) => seen.push(text.replace(/\s+/g, " ").trim());
  try {
    await op();
  } finally {
    pool.trace = undefined;
  }
  return seen;
}

const readsOfPayments = (statements: string[]) => statements.filter((s) => /^SELECT .* FROM payments\b/.test(s));

describe("payments on PostgreSQL: statements per operation", () => {
  it("create and capture read the payment only to lock it: the payment begun and settled is passed on, not re-read", async () => {
    const system = createPaymentSystem({
      store: new PostgresPaymentStore(pool),
      gateways: { test: new TestGateway() },
      webhooks: { autoDispatch: false },
    });
    let id = "";
    let settled: unknown;
    const created = await statementsOf(async () => {
      const p = await system.payments.create(ADMIN, {
        amount: usd("19.99"),
        paymentMethod: "pm_card_visa",
        captureMethod: "manual",
        idempotencyKey: "trips-create",
      });
      expect(p.status).toBe("requires_capture");
      id = p.id;
    });
    // The settlement's lock; nothing else reads the payment.
    expect(readsOfPayments(created)).toHaveLength(1);
    const captured = await statementsOf(async () => {
      const p = await system.payments.capture(ADMIN, { paymentId: id, idempotencyKey: "trips-capture" });
      expect([p.status, p.amountCaptured.toFixed()]).toEqual(["succeeded", "19.99"]);
      settled = p;
    });
    // The capture's lock and the settlement's lock.
    expect(readsOfPayments(captured)).toHaveLength(2);
    // What was returned is what is stored.
    expect(await system.payments.get(ADMIN, { paymentId: id })).toEqual(settled);
  });

  it("the fraud read is two round trips whatever the rules need: the rules, then every count and list look-up together", async () => {
    const system = createPaymentSystem({
      store: new PostgresPaymentStore(pool),
      gateways: { test: new TestGateway() },
      webhooks: { autoDispatch: false },
    });
    const create = (ip: string) =>
      system.payments.create(ADMIN, {
        amount: usd("5"),
        paymentMethod: "pm_card_visa",
        customer: { id: "cus_trips", email: "a@example.com", ip },
        idempotencyKey: `trips-fraud-${ip}`,
      });
    await create("203.0.113.0"); // this customer's first payment
    const plain = await pool.measure(() => create("203.0.113.1"));
    await system.fraud.addRule(ADMIN, { rule: "review if ip in @suspicious_ips" });
    await system.fraud.addRule(ADMIN, { rule: "review if email in @suspicious_emails" });
    await system.fraud.addRule(ADMIN, { rule: "review if payments_per_customer_daily > 9" });
    await system.fraud.lists.add(ADMIN, { list: "suspicious_ips", value: "203.0.113.9" });
    // Looked up, not listed: the same outcome, so the same statements besides the fraud read.
    let outcome: unknown;
    const ruled = await pool.measure(async () => (outcome = (await create("203.0.113.2")).fraud.outcome));
    expect(outcome).toBe("allow");
    expect((await create("203.0.113.9")).fraud.outcome).toBe("review");
    // Three more statements (two list look-ups, one count), no more round trips.
    expect([ruled.statements - plain.statements, ruled.roundTrips - plain.roundTrips]).toEqual([3, 0]);
  });
});
