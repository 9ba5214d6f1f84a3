import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ManualClock, Money, PlatformError } from "@platform/core";
import { createIsolatedDatabase, type IsolatedDatabase } from "@platform/core/testing";
import { createPaymentSystem, isBalanced, TestGateway, type WebhookTransport } from "../src/index.js";
import { createPostgresPaymentStore, migratePayments, PostgresPaymentStore } from "../src/adapters/postgres/index.js";
import { codeOf, usd } from "./helpers.js";
import { ADMIN } from "./helpers.js";

// The unchanged services on the PostgreSQL store: the main flows, the schema and its constraints.
let db: IsolatedDatabase;

beforeAll(async () => {
  db = await createIsolatedDatabase(inject("databaseUrl"), { prefix: "pay_system" });
  await migratePayments(db.pool);
});
afterAll(async () => {
  await db?.drop();
});

function makePgSystem(transport?: WebhookTransport) {
  const clock = new ManualClock("2026-03-01T12:00:00.000Z");
  const gateway = new TestGateway();
  const store = new PostgresPaymentStore(db.pool);
  const system = createPaymentSystem({
    store,
    clock,
    gateways: { test: gateway },
    webhooks: { autoDispatch: false, ...(transport ? { transport } : {}) },
  });
  return { system, clock, gateway };
}

describe("the payment system on PostgreSQL", () => {
  it("creates, captures partially, refunds and voids with a balanced ledger and outbox events", async () => {
    const { system, gateway } = makePgSystem();
    const auto = await system.payments.create(ADMIN, {
      amount: usd("99.99"),
      paymentMethod: "pm_card_visa",
      orderId: "order_123",
      customer: { id: "cus_1" },
    });
    expect(auto.status).toBe("succeeded");
    const manual = await system.payments.create(ADMIN, { amount: usd("50.00"), paymentMethod: "pm_card_visa", captureMethod: "manual" });
    expect(manual.status).toBe("requires_capture");
    const captured = await system.payments.capture(ADMIN, { paymentId: manual.id, amount: usd("30.00") });
    expect(captured.amountCaptured.toFixed()).toBe("30.00");
    expect(await codeOf(() => system.payments.capture(ADMIN, { paymentId: manual.id }))).toBe("invalid_transition");
    const refund = await system.refunds.create(ADMIN, { paymentId: auto.id, amount: usd("20") });
    expect(refund.status).toBe("succeeded");
    expect(await codeOf(() => system.refunds.create(ADMIN, { paymentId: auto.id, amount: usd("80") }))).toBe("refund_exceeds_captured");
    const small = await system.payments.create(ADMIN, { amount: usd("2"), paymentMethod: "pm_card_visa" });
    expect((await system.refunds.create(ADMIN, { paymentId: small.id })).amount.toFixed()).toBe("2.00");
    expect(await codeOf(() => system.refunds.create(ADMIN, { paymentId: small.id }))).toBe("refund_exceeds_captured"); // nothing left, not a zero refund
    const toVoid = await system.payments.create(ADMIN, { amount: usd("5"), paymentMethod: "pm_card_visa", captureMethod: "manual" });
    expect((await system.payments.cancel(ADMIN, { paymentId: toVoid.id })).status).toBe("canceled");
    const declined = await system.payments.create(ADMIN, { amount: usd("5"), paymentMethod: "pm_card_chargeDeclined" });
    expect(declined.failure?.code).toBe("card_declined");

    const after = await system.payments.get(ADMIN, { paymentId: auto.id });
    expect([after.amountRefunded.toFixed(), after.orderId, after.customer.id]).toEqual(["20.00", "order_123", "cus_1"]);
    const ledger = await system.transactions.listByPayment(ADMIN, { paymentId: auto.id });
    expect(ledger.items.map((t) => t.type)).toEqual(["authorization", "capture", "refund"]);
    expect(ledger.items.every(isBalanced)).toBe(true);
    expect(gateway.chargeCount(auto.id)).toBe(1);
    const { rows } = await db.pool.query<{ type: string }>(
      "SELECT type FROM platform_outbox WHERE data->'payment'->>'id' = $1 ORDER BY seq",
      [auto.id],
    );
    expect(rows.map((r) => r.type)).toEqual(["payment.created", "payment.succeeded", "refund.created", "refund.succeeded"]);
  });

  it("replays an idempotency key, refuses other parameters, and works in JPY and KWD", async () => {
    const { system, gateway } = makePgSystem();
    const input = { amount: usd("10"), paymentMethod: "pm_card_visa", idempotencyKey: "pg-key-1" };
    const [a, b] = await Promise.all([
      system.payments.create(ADMIN, input),
      system.payments.create(ADMIN, { ...input, amount: usd("10.00") }),
    ]);
    expect(a.id).toBe(b.id);
    expect(gateway.chargeCount(a.id)).toBe(1);
    expect(await codeOf(() => system.payments.create(ADMIN, { ...input, amount: usd("11") }))).toBe("idempotency_conflict");
    const yen = await system.payments.create(ADMIN, { amount: { amount: "1000", currency: "JPY" }, paymentMethod: "pm_card_visa" });
    const dinar = await system.payments.create(ADMIN, { amount: { amount: "1.234", currency: "KWD" }, paymentMethod: "pm_card_visa" });
    expect((await system.payments.get(ADMIN, { paymentId: yen.id })).amount.equals(Money.of("1000", "JPY"))).toBe(true);
    expect((await system.payments.get(ADMIN, { paymentId: dinar.id })).amountCaptured.toFixed()).toBe("1.234");
  });

  it("evaluates fraud rules, lists and velocity from the database", async () => {
    const { system } = makePgSystem();
    await system.fraud.addRule(ADMIN, { rule: "review if payments_per_customer_hourly > 1" });
    await system.fraud.lists.add(ADMIN, { list: "block", type: "email", value: "Mallory@Example.com" });
    const blocked = await system.payments.create(ADMIN, {
      amount: usd("5"),
      paymentMethod: "pm_card_visa",
      customer: { email: "mallory@example.com" },
    });
    expect(blocked.failure?.code).toBe("fraud_blocked");
    for (let i = 0; i < 2; i++)
      expect(
        (await system.payments.create(ADMIN, { amount: usd("5"), paymentMethod: "pm_card_visa", customer: { id: "cus_velocity" } })).status,
      ).toBe("succeeded");
    const third = await system.payments.create(ADMIN, {
      amount: usd("5"),
      paymentMethod: "pm_card_visa",
      customer: { id: "CUS_VELOCITY" },
    });
    expect([third.status, third.review?.status]).toEqual(["created", "pending"]);
    expect((await system.payments.approveReview(ADMIN, { paymentId: third.id })).status).toBe("succeeded");
    expect((await system.fraud.listRules(ADMIN)).items.map((r) => r.position)).toEqual([1]);
  });

  it("queues webhook deliveries with the event and sends them signed", async () => {
    const sent: { id: string; type: string }[] = [];
    const { system } = makePgSystem(async (req) => {
      sent.push({ id: req.headers["webhook-id"]!, type: (JSON.parse(req.body) as { type: string }).type });
      return { status: 200, headers: {} };
    });
    const ep = await system.webhooks.createEndpoint(ADMIN, { url: "https://hooks.example.com/pg", events: ["payment.succeeded"] });
    const p = await system.payments.create(ADMIN, { amount: usd("7"), paymentMethod: "pm_card_visa" });
    expect(await system.webhooks.dispatchDue()).toBeGreaterThanOrEqual(1);
    expect(sent.filter((s) => s.type === "payment.succeeded").length).toBeGreaterThanOrEqual(1);
    const [d] = (await system.webhooks.listDeliveries(ADMIN, { endpointId: ep.id })).items;
    expect([d?.status, d?.attempts.length, JSON.parse(d!.payload).data.payment.id]).toEqual(["succeeded", 1, p.id]);
    expect(d!.attempts[0]!.at).toBeInstanceOf(Date);
    const rotated = await system.webhooks.rotateSecret(ADMIN, { endpointId: ep.id });
    expect((await system.webhooks.getEndpoint(ADMIN, { endpointId: ep.id })).secrets.map((s) => s.expiresAt instanceof Date)).toEqual(
      rotated.secrets.map((s) => s.expiresAt instanceof Date),
    );
  });

  it("keeps a failed delivery as a durable job with its retry time, re-offered when due by the clock", async () => {
    let answer = 500;
    const { system, clock } = makePgSystem(async () => ({ status: answer, headers: {} }));
    await db.pool.query("UPDATE webhook_endpoints SET enabled = false"); // endpoints of earlier tests
    const ep = await system.webhooks.createEndpoint(ADMIN, { url: "https://hooks.example.com/retry", events: ["payment.succeeded"] });
    await system.payments.create(ADMIN, { amount: usd("3"), paymentMethod: "pm_card_visa" });
    expect(await system.webhooks.dispatchDue()).toBe(1);
    const { rows } = await db.pool.query<{ status: string; attempt_count: number; wait: number }>(
      "SELECT status, attempt_count, extract(epoch FROM next_attempt_at - $2::timestamptz)::float8 AS wait FROM webhook_deliveries WHERE endpoint_id = $1",
      [ep.id, clock.now()],
    );
    expect(rows[0]).toMatchObject({ status: "pending", attempt_count: 1 });
    expect(rows[0]!.wait).toBeGreaterThanOrEqual(4.5); // 5 s +-10 %
    expect(rows[0]!.wait).toBeLessThanOrEqual(5.5);
    expect(await system.webhooks.dispatchDue()).toBe(0);
    answer = 200;
    clock.advance({ seconds: 6 });
    expect(await system.webhooks.dispatchDue()).toBe(1);
    const [d] = (await system.webhooks.listDeliveries(ADMIN, { endpointId: ep.id })).items;
    expect([d!.status, d!.attempts.map((a) => a.status)]).toEqual(["succeeded", [500, 200]]);
  });

  it("row locks keep concurrent refunds within the capture and give concurrent rules distinct positions", async () => {
    const { system } = makePgSystem();
    const p = await system.payments.create(ADMIN, { amount: usd("10"), paymentMethod: "pm_card_visa" });
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, () =>
        system.refunds.create(ADMIN, { paymentId: p.id, amount: usd("3") }).then(
          (r) => r.status,
          (e: unknown) => (PlatformError.is(e) ? e.code : "other"),
        ),
      ),
    );
    expect(outcomes.filter((o) => o === "succeeded")).toHaveLength(3);
    expect(outcomes.filter((o) => o === "refund_exceeds_captured")).toHaveLength(5);
    expect((await system.payments.get(ADMIN, { paymentId: p.id })).amountRefunded.toFixed()).toBe("9.00");
    await Promise.all(Array.from({ length: 6 }, (_, i) => system.fraud.addRule(ADMIN, { rule: `review if amount > ${1000 + i} USD` })));
    const positions = (await system.fraud.listRules(ADMIN)).items.map((r) => r.position);
    expect(new Set(positions).size).toBe(positions.length);
  });

  it("migrates from several connections at once, applying each file once", async () => {
    const fresh = await createIsolatedDatabase(inject("databaseUrl"), { prefix: "pay_migrate" });
    try {
      const stores = await Promise.all(
        Array.from({ length: 4 }, () => createPostgresPaymentStore({ connectionString: fresh.url, max: 1 })),
      );
      const reports = await Promise.all(stores.map((s) => migratePayments(s.pool)));
      await Promise.all(stores.map((s) => s.close()));
      expect(reports.flatMap((r) => r.applied).sort()).toEqual([
        "core/001-outbox.sql",
        "core/002-outbox-retention.sql",
        "payments/001-payments.sql",
        "payments/002-refund-order.sql",
        "payments/003-delivery-lease-token.sql",
        "payments/004-idempotency-lease.sql",
        "payments/005-retention.sql",
        "payments/006-gateway-data-and-rule-descriptions.sql",
        "payments/007-requires-action-and-gateway-events.sql",
        "payments/008-past-tense-event-names.sql",
        "payments/009-gateway-reference-lookups.sql",
      ]);
    } finally {
      await fresh.drop();
    }
  });

  it("builds from a connection string and migrates twice safely", async () => {
    const store = await createPostgresPaymentStore({ connectionString: db.url, max: 2, migrate: true });
    try {
      const report = await migratePayments(store.pool);
      expect(report.applied).toEqual([]);
      expect(report.skipped).toEqual(
        expect.arrayContaining(["payments/001-payments.sql", "payments/002-refund-order.sql", "payments/003-delivery-lease-token.sql"]),
      );
      const system = createPaymentSystem({ store, gateways: { test: new TestGateway() }, webhooks: { autoDispatch: false } });
      expect((await system.payments.create(ADMIN, { amount: usd("1"), paymentMethod: "pm_card_visa" })).status).toBe("succeeded");
    } finally {
      await store.close();
    }
  });
});

describe("the schema", () => {
  it("has the seed's payments table and index, and the payments tables, in the live catalog", async () => {
    const { rows: tables } = await db.pool.query<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
    );
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining([
        "payments",
        "payment_transactions",
        "payment_postings",
        "refunds",
        "payment_idempotency_keys",
        "fraud_rules",
        "fraud_list_entries",
        "fraud_velocity_events",
        "webhook_endpoints",
        "webhook_deliveries",
      ]),
    );
    const { rows: idx } = await db.pool.query<{ def: string }>(
      "SELECT indexdef AS def FROM pg_indexes WHERE indexname = 'idx_payments_order_id'",
    );
    expect(idx[0]?.def).toMatch(/ON public\.payments USING btree \(order_id\)/);
    const { rows: cols } = await db.pool.query<{ name: string; type: string }>(
      "SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE table_name = 'payments' AND column_name IN ('order_id', 'amount', 'currency', 'method', 'status', 'gateway', 'transaction_id', 'created_at') ORDER BY 1",
    );
    expect(Object.fromEntries(cols.map((c) => [c.name, c.type]))).toMatchObject({
      amount: "numeric",
      currency: "character",
      created_at: "timestamp with time zone",
      transaction_id: "text",
    });
  });

  it("refuses what a buggy caller could write: over-refund, over-capture, a duplicate key, an unbalanced or edited ledger", async () => {
    const { system } = makePgSystem();
    const p = await system.payments.create(ADMIN, { amount: usd("10"), paymentMethod: "pm_card_visa" });
    const state = async (sql: string, values: unknown[] = []) => {
      try {
        await db.pool.query(sql, values);
        return "ok";
      } catch (e) {
        return `${(e as { code: string }).code}:${(e as { constraint?: string }).constraint ?? ""}`;
      }
    };
    expect(await state("UPDATE payments SET amount_refunded = 10.01 WHERE id = $1", [p.id])).toBe("23514:payments_amounts_check");
    expect(await state("UPDATE payments SET amount_captured = 11, amount_authorized = 11 WHERE id = $1", [p.id])).toBe(
      "23514:payments_amounts_check",
    );
    expect(await state("UPDATE payments SET amount_refund_pending = -1 WHERE id = $1", [p.id])).toMatch(/^23514:/);
    expect(
      await state(
        "INSERT INTO payment_idempotency_keys (scope, key, fingerprint, status, created_at, expires_at) VALUES ('s', 'dup', 'f', 'in_progress', now(), now() + interval '1 day')",
      ),
    ).toBe("ok");
    expect(
      await state(
        "INSERT INTO payment_idempotency_keys (scope, key, fingerprint, status, created_at, expires_at) VALUES ('s', 'dup', 'g', 'in_progress', now(), now() + interval '1 day')",
      ),
    ).toBe("23505:payment_idempotency_keys_pkey");
    expect(await state("UPDATE payment_transactions SET amount = 0 WHERE payment_id = $1", [p.id])).toBe("23514:payment_ledger_immutable");
    expect(await state("DELETE FROM payment_postings")).toBe("23514:payment_ledger_immutable");
    expect(
      await state(
        `WITH t AS (INSERT INTO payment_transactions (id, payment_id, type, amount, currency, status, gateway, created_at) VALUES ('txn_bad', $1, 'capture', 1, 'USD', 'succeeded', 'test', now()) RETURNING id)
                   INSERT INTO payment_postings SELECT id, 0, 'merchant_balance', 'debit', 1, 'USD' FROM t`,
        [p.id],
      ),
    ).toBe("23514:payment_postings_balanced");
    expect(
      await state(
        "INSERT INTO refunds (id, payment_id, amount, currency, reason, status, gateway, created_at, updated_at) VALUES ('re_x', 'pay_missing', 1, 'USD', 'other', 'pending', 'test', now(), now())",
      ),
    ).toMatch(/^23503:/);
    // Through the store the same violations are platform errors.
    const store = new PostgresPaymentStore(db.pool);
    const stale = await store.transaction(async (tx) => tx.payments.insert((await tx.payments.get(p.id))!)).catch((e: unknown) => e);
    expect(PlatformError.is(stale, "duplicate_id")).toBe(true);
    const over = await store
      .transaction(async (tx) => {
        const cur = (await tx.payments.get(p.id))!;
        await tx.payments.update({ ...cur, amountRefunded: Money.of("10.01", "USD"), version: cur.version + 1 });
      })
      .catch((e: unknown) => e);
    expect(PlatformError.is(over, "amount_invariant_violated")).toBe(true);
  });
});
