import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ManualClock } from "@platform/core";
import { createIsolatedDatabase, type IsolatedDatabase } from "@platform/core/testing";
import { createPaymentSystem, TestGateway } from "../src/index.js";
import { migratePayments, PostgresPaymentStore } from "../src/adapters/postgres/index.js";
import { codeOf, usd } from "./helpers.js";
import { ADMIN } from "./helpers.js";

// Hostile strings through every text path of the PostgreSQL store: stored and read back exactly,
// or (NUL, which PostgreSQL text cannot hold) refused with a ValidationError that changes nothing.
let db: IsolatedDatabase;
beforeAll(async () => {
  db = await createIsolatedDatabase(inject("databaseUrl"), { prefix: "pay_hostile" });
  await migratePayments(db.pool);
});
afterAll(async () => {
  await db?.drop();
});

const HOSTILE = [
  'O\'Reilly "quoted" `back` \\ backslash',
  "'; DROP TABLE payments; --",
  '"); DELETE FROM payment_idempotency_keys; --',
  "emoji 💳🇯🇵👩‍👩‍👧 ñ 日本語 עברית",
  "$1 $2 %s %n {{x}} ${process.env}",
  "line\nbreak\ttab\r\u2028\u202e",
];
const LONG = "x'".repeat(250); // 500 characters, the longest metadata value / list value allowed

function makeSystem() {
  return createPaymentSystem({
    store: new PostgresPaymentStore(db.pool),
    clock: new ManualClock("2026-03-01T12:00:00Z"),
    gateways: { test: new TestGateway() },
    webhooks: { autoDispatch: false },
  });
}

async function counts() {
  const { rows } = await db.pool.query<Record<string, number>>(
    `SELECT (SELECT count(*)::int FROM payments) AS payments, (SELECT count(*)::int FROM payment_idempotency_keys) AS keys,
            (SELECT count(*)::int FROM platform_outbox) AS events, (SELECT count(*)::int FROM fraud_list_entries) AS lists,
            (SELECT count(*)::int FROM webhook_endpoints) AS endpoints`,
  );
  return rows[0]!;
}

describe("hostile strings on PostgreSQL", () => {
  it("round-trip exactly through payments, refunds, idempotency keys, fraud lists, rules and endpoints", async () => {
    const system = makeSystem();
    for (const [i, text] of HOSTILE.entries()) {
      const metadata = { [`k${i}'"`]: text, long: LONG };
      const p = await system.payments.create(ADMIN, {
        amount: usd("10"),
        paymentMethod: "pm_card_visa",
        description: `${text} ${"d".repeat(900)}`,
        orderId: text,
        idempotencyKey: text,
        customer: { id: text },
        metadata,
      });
      const got = await system.payments.get(ADMIN, { paymentId: p.id });
      expect([got.description, got.orderId, got.customer.id, got.metadata]).toEqual([`${text} ${"d".repeat(900)}`, text, text, metadata]);
      expect(
        (
          await system.payments.create(ADMIN, {
            amount: usd("10.00"),
            paymentMethod: "pm_card_visa",
            description: `${text} ${"d".repeat(900)}`,
            orderId: text,
            idempotencyKey: text,
            customer: { id: text },
            metadata,
          })
        ).id,
      ).toBe(p.id);
      const refund = await system.refunds.create(ADMIN, {
        paymentId: p.id,
        amount: usd("1"),
        metadata: { note: text },
        idempotencyKey: `re ${text}`,
      });
      expect((await system.refunds.get(ADMIN, { refundId: refund.id })).metadata).toEqual({ note: text });
      await system.fraud.lists.add(ADMIN, { list: "suspicious", value: text });
      await system.fraud.lists.add(ADMIN, { list: "block", type: "customer", value: text });
      expect(
        await system.payments
          .create(ADMIN, { amount: usd("1"), paymentMethod: "pm_card_visa", customer: { id: text.toUpperCase() } })
          .then((x) => x.failure?.code),
      ).toBe("fraud_blocked");
    }
    await system.fraud.lists.add(ADMIN, { list: "suspicious", value: LONG });
    const listed = (await system.fraud.lists.values(ADMIN, { list: "suspicious", limit: 100 })).items;
    expect(new Set(listed)).toEqual(new Set([...HOSTILE, LONG].map((t) => t.trim().toLowerCase())));
    const rule = await system.fraud.addRule(ADMIN, { rule: `review if email == ${JSON.stringify(HOSTILE[1])}`, name: HOSTILE[3] });
    expect((await system.fraud.listRules(ADMIN)).items.find((r) => r.id === rule.id)).toMatchObject({
      name: HOSTILE[3],
      source: rule.source,
      conditions: rule.conditions,
    });
    const ep = await system.webhooks.createEndpoint(ADMIN, {
      url: "https://hooks.example.com/a?q=';DROP TABLE webhook_endpoints;--",
      description: HOSTILE.join(" | ").slice(0, 500),
    });
    const { secret: _shownOnce, ...stored } = ep;
    expect(await system.webhooks.getEndpoint(ADMIN, { endpointId: ep.id })).toEqual(stored);
    expect(await codeOf(() => system.payments.get(ADMIN, { paymentId: "pay_'; DROP TABLE payments; --" }))).toBe("payment_not_found");
    const { rows } = await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM payments");
    expect(rows[0]!.n).toBeGreaterThan(0); // still there
  });

  it("refuses NUL characters with a ValidationError and writes nothing", async () => {
    const system = makeSystem();
    const before = await counts();
    const nul = "before\u0000after";
    const attempts: (() => Promise<unknown>)[] = [
      () =>
        system.payments.create(ADMIN, { amount: usd("5"), paymentMethod: "pm_card_visa", idempotencyKey: "nul-key", metadata: { a: nul } }),
      () =>
        system.payments.create(ADMIN, { amount: usd("5"), paymentMethod: "pm_card_visa", idempotencyKey: "nul-key-2", description: nul }),
      () => system.payments.create(ADMIN, { amount: usd("5"), paymentMethod: "pm_card_visa", idempotencyKey: nul }),
      () => system.payments.create(ADMIN, { amount: usd("5"), paymentMethod: "pm_card_visa", customer: { id: nul } }),
      () => system.fraud.lists.add(ADMIN, { list: "suspicious", value: nul }),
      () => system.webhooks.createEndpoint(ADMIN, { url: "https://hooks.example.com/n", description: nul }),
    ];
    for (const attempt of attempts) expect(await codeOf(attempt)).toBe("nul_character");
    expect(await counts()).toEqual(before);
    // The key of a refused call stays free.
    expect(
      (await system.payments.create(ADMIN, { amount: usd("5"), paymentMethod: "pm_card_visa", idempotencyKey: "nul-key" })).status,
    ).toBe("succeeded");
  });
});
