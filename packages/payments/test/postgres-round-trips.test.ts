import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { isId } from "@platform/core";
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
  it("create reads no payment and capture reads it once, to lock it: the payment in flight is settled by a versioned update, not re-read", async () => {
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
    // The settlement updates the payment from the version create wrote.
    expect(readsOfPayments(created)).toHaveLength(0);
    const captured = await statementsOf(async () => {
      const p = await system.payments.capture(ADMIN, { paymentId: id, idempotencyKey: "trips-capture" });
      expect([p.status, p.amountCaptured.toFixed()]).toEqual(["succeeded", "19.99"]);
      settled = p;
    });
    // The capture's lock; the settlement updates from the version the capture wrote.
    expect(readsOfPayments(captured)).toHaveLength(1);
    // What was returned is what is stored.
    expect(await system.payments.get(ADMIN, { paymentId: id })).toEqual(settled);
  });

  it("create (manual) + capture is 22 statements in 6 round trips and 4 transactions (28 / 8 / 4 with keys); automatic capture 13 / 3 / 2", async () => {
    const system = createPaymentSystem({
      store: new PostgresPaymentStore(pool),
      gateways: { test: new TestGateway() },
      webhooks: { autoDispatch: false },
    });
    const input = { amount: usd("19.99"), paymentMethod: "pm_card_visa", customer: { id: "cus_pinned" } };
    await system.payments.create(ADMIN, input); // this customer's first payment: plans and connections warm
    let status = "";
    const manual = await pool.measure(async () => {
      const p = await system.payments.create(ADMIN, { ...input, captureMethod: "manual" });
      status = (await system.payments.capture(ADMIN, { paymentId: p.id })).status;
    });
    expect(status).toBe("succeeded");
    // Per transaction: the read (fraud, lock) goes out with BEGIN, every write after it with the COMMIT;
    // a settlement reads nothing, so it is one round trip.
    expect([manual.statements, manual.roundTrips, manual.transactions]).toEqual([22, 6, 4]);
    const automatic = await pool.measure(async () => (status = (await system.payments.create(ADMIN, input)).status));
    expect(status).toBe("succeeded");
    expect([automatic.statements, automatic.roundTrips, automatic.transactions]).toEqual([13, 3, 2]);
    // With idempotency keys: the claim goes out with BEGIN, and the key completes in the transaction
    // that records the gateway's outcome (no transaction of its own).
    const keyed = await pool.measure(async () => {
      const p = await system.payments.create(ADMIN, { ...input, captureMethod: "manual", idempotencyKey: "pinned-create" });
      status = (await system.payments.capture(ADMIN, { paymentId: p.id, idempotencyKey: "pinned-capture" })).status;
    });
    expect(status).toBe("succeeded");
    expect([keyed.statements, keyed.roundTrips, keyed.transactions]).toEqual([28, 8, 4]);
    const { rows } = await db.pool.query<{ status: string }>("SELECT status FROM payment_idempotency_keys WHERE key LIKE 'pinned-%'");
    expect(rows.map((r) => r.status)).toEqual(["completed", "completed"]);
  });

  it("the fraud read is one statement whatever the rules need: the rules, every count and list look-up together", async () => {
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
    // Looked up, not listed: the same outcome, so the same statements.
    let outcome: unknown;
    const reads = await statementsOf(async () => (outcome = (await create("203.0.113.2")).fraud.outcome));
    expect(outcome).toBe("allow");
    expect(reads.filter((s) => /\bFROM fraud_(rules|velocity_events|list_entries)\b/.test(s))).toHaveLength(1);
    const ruled = await pool.measure(() => create("203.0.113.3"));
    expect([ruled.statements - plain.statements, ruled.roundTrips - plain.roundTrips]).toEqual([0, 0]);
    // What the rules name is read: the listed address and the daily count.
    expect((await create("203.0.113.9")).fraud.outcome).toBe("review");
    for (let i = 0; i < 8; i++) await create(`198.51.100.${i}`); // 12 payments of this customer today
    const counted = await system.payments.create(ADMIN, {
      amount: usd("5"),
      paymentMethod: "pm_card_visa",
      customer: { id: "cus_trips", email: "b@example.com", ip: "198.51.100.200" },
    });
    expect(counted.fraud.matchedRules).toHaveLength(1);
  });

  it("an event's webhook deliveries are one INSERT ... SELECT over the matching endpoints, whatever their number", async () => {
    const system = createPaymentSystem({
      store: new PostgresPaymentStore(pool),
      gateways: { test: new TestGateway() },
      webhooks: { autoDispatch: false, allowHttp: true, allowPrivateNetworks: true },
    });
    const input = { amount: usd("7"), paymentMethod: "pm_card_visa" };
    await system.payments.create(ADMIN, input);
    const none = await pool.measure(() => system.payments.create(ADMIN, input));
    const all = await system.webhooks.createEndpoint(ADMIN, { url: "http://127.0.0.1:9/all", events: ["*"] });
    const family = await system.webhooks.createEndpoint(ADMIN, { url: "http://127.0.0.1:9/family", events: ["payment.*"] });
    const exact = await system.webhooks.createEndpoint(ADMIN, { url: "http://127.0.0.1:9/exact", events: ["payment.succeeded"] });
    const other = await system.webhooks.createEndpoint(ADMIN, { url: "http://127.0.0.1:9/other", events: ["refund.succeeded"] });
    let id = "";
    const three = await pool.measure(async () => (id = (await system.payments.create(ADMIN, input)).id));
    expect([three.statements, three.roundTrips]).toEqual([none.statements, none.roundTrips]);
    // payment.created and payment.succeeded: both to the catch-all and the family, the exact one once.
    const { rows } = await db.pool.query<{ endpoint_id: string; n: number; ids: string[] }>(
      `SELECT endpoint_id, count(*)::int AS n, array_agg(id) AS ids FROM webhook_deliveries
        WHERE payload::jsonb -> 'data' -> 'payment' ->> 'id' = $1 GROUP BY endpoint_id`,
      [id],
    );
    const byEndpoint = Object.fromEntries(rows.map((r) => [r.endpoint_id, r.n]));
    expect(byEndpoint).toEqual({ [all.id]: 2, [family.id]: 2, [exact.id]: 1 });
    expect(byEndpoint[other.id]).toBeUndefined();
    const ids = rows.flatMap((r) => r.ids);
    expect(new Set(ids).size).toBe(5);
    for (const d of ids) expect(isId(d, "whd")).toBe(true);
  });
});
