import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createIsolatedDatabase, legacyCursor, type IsolatedDatabase } from "@platform/core/testing";
import { MemoryPaymentStore, type PaymentStore } from "../src/index.js";
import { createPostgresPaymentStore, migratePayments, PostgresPaymentStore } from "../src/adapters/postgres/index.js";
import { codeOf, makeSystem, usd } from "./helpers.js";
import { ADMIN } from "./helpers.js";

let db: IsolatedDatabase;
beforeAll(async () => {
  db = await createIsolatedDatabase(inject("databaseUrl"), { prefix: "pay_cursor" });
  await migratePayments(db.pool);
});
afterAll(() => db?.drop());

const SHARED = "shared-cursor-secret-for-all-app-servers";

// Two app servers: on PostgreSQL two stores on one database, in memory two stores (the cursor's
// signature is checked before any row is read, so acceptance shows even without shared rows).
const stores: [string, () => PaymentStore, boolean][] = [
  ["memory", () => new MemoryPaymentStore(), false],
  ["postgres", () => new PostgresPaymentStore(db.pool), true],
];

describe.each(stores)("page cursors on the %s store", (_name, makeStore, shared) => {
  it("every list refuses a cursor forged with the secret the package used to ship, configured or not", async () => {
    for (const options of [{}, { cursorSecret: SHARED }]) {
      const { system } = makeSystem({ store: makeStore(), ...options });
      const p = await system.payments.create(ADMIN, { amount: usd("5"), paymentMethod: "pm_card_visa" });
      const endpoint = await system.webhooks.createEndpoint(ADMIN, { url: "https://hooks.example.com/pay", events: ["payment.succeeded"] });
      const key = [Date.now(), "x"];
      const lists: [string, (cursor: string) => Promise<unknown>][] = [
        ["payments.status.succeeded", (cursor) => system.payments.listByStatus(ADMIN, { status: "succeeded", cursor })],
        ["ledger.payment", (cursor) => system.transactions.listByPayment(ADMIN, { paymentId: p.id, cursor })],
        ["ledger.time", (cursor) => system.transactions.list(ADMIN, { from: new Date(0), to: new Date("2100-01-01"), cursor })],
        ["fraud.list.block", (cursor) => system.fraud.lists.values(ADMIN, { list: "block", cursor })],
        ["webhooks.endpoints", (cursor) => system.webhooks.listEndpoints(ADMIN, { cursor })],
        ["webhooks.deliveries", (cursor) => system.webhooks.listDeliveries(ADMIN, { endpointId: endpoint.id, cursor })],
      ];
      for (const [kind, list] of lists) expect(await codeOf(() => list(legacyCursor(kind, key))), kind).toBe("invalid_cursor");
    }
  });

  it("systems configured with one shared secret accept each other's cursors; any other secret refuses them", async () => {
    const a = makeSystem({ store: makeStore(), cursorSecret: SHARED });
    const b = makeSystem({ store: makeStore(), cursorSecret: SHARED });
    const p = await a.system.payments.create(ADMIN, { amount: usd("10"), paymentMethod: "pm_card_visa", captureMethod: "manual" });
    await a.system.payments.capture(ADMIN, { paymentId: p.id, amount: usd("4") });
    const first = await a.system.transactions.listByPayment(ADMIN, { paymentId: p.id, limit: 1 });
    expect(first.items.map((t) => t.type)).toEqual(["authorization"]);
    const next = await b.system.transactions.listByPayment(ADMIN, { paymentId: p.id, limit: 1, cursor: first.nextCursor });
    if (shared) expect(next.items.map((t) => t.type)).toEqual(["capture"]);
    for (const other of [makeSystem({ store: makeStore() }), makeSystem({ store: makeStore(), cursorSecret: `${SHARED}-rotated` })]) {
      expect(
        await codeOf(() => other.system.transactions.listByPayment(ADMIN, { paymentId: p.id, limit: 1, cursor: first.nextCursor })),
      ).toBe("invalid_cursor");
    }
  });

  it("refuses a secret shorter than 32 characters", async () => {
    expect(await codeOf(async () => makeSystem({ store: makeStore(), cursorSecret: "short" }))).toBe("weak_cursor_secret");
  });
});

it("the PostgreSQL store, which could not be given a secret before, takes one at construction", async () => {
  const a = makeSystem({ store: await createPostgresPaymentStore({ pool: db.pool, cursorSecret: SHARED }) });
  const b = makeSystem({ store: new PostgresPaymentStore(db.pool, { cursorSecret: SHARED }) });
  for (const value of ["a@example.com", "b@example.com"]) await a.system.fraud.lists.add(ADMIN, { list: "shared_list", value });
  const first = await a.system.fraud.lists.values(ADMIN, { list: "shared_list", limit: 1 });
  expect((await b.system.fraud.lists.values(ADMIN, { list: "shared_list", limit: 1, cursor: first.nextCursor })).items).toEqual([
    "b@example.com",
  ]);
  expect(
    await codeOf(() =>
      makeSystem({ store: new PostgresPaymentStore(db.pool) }).system.fraud.lists.values(ADMIN, {
        list: "shared_list",
        cursor: first.nextCursor,
      }),
    ),
  ).toBe("invalid_cursor");
  expect(await codeOf(() => createPostgresPaymentStore({ pool: db.pool, cursorSecret: "short" }))).toBe("weak_cursor_secret");
  expect(await codeOf(async () => new MemoryPaymentStore({ cursorSecret: "short" }))).toBe("weak_cursor_secret");
});
