import { afterAll, bench, describe } from "vitest";
import { createIsolatedDatabase, measureThroughput, startPostgresServer, tpcbBaseline, type PostgresServer } from "@platform/core/testing";
import { createPaymentSystem, TestGateway } from "../src/index.js";
import { migratePayments, PostgresPaymentStore } from "../src/adapters/postgres/index.js";
import { ADMIN } from "../test/helpers.js";

// Payments on PostgreSQL: one operation = create a manual-capture payment, then capture it
// (2 gateway calls on the in-process test gateway, 6 store transactions, 2 ledger entries with
// postings, 4 outbox events). 8 concurrent clients against a TPC-B-like transaction
// (3 updates, 1 select, 1 insert) from 8 clients through the same pool, same server, same run.
// The server is a throwaway one (fsync off) unless DATABASE_URL is set.
const CLIENTS = 8;
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 4000);

let server: PostgresServer | undefined;
const adminUrl = process.env.DATABASE_URL ?? (server = await startPostgresServer()).url;
const db = await createIsolatedDatabase(adminUrl, { prefix: "pay_bench", max: CLIENTS + 2 });
await migratePayments(db.pool);
const system = createPaymentSystem({ store: new PostgresPaymentStore(db.pool), gateways: { test: new TestGateway() }, webhooks: { autoDispatch: false } });

let n = 0;
async function createAndCapture(): Promise<void> {
  const p = await system.payments.create(ADMIN, { amount: { amount: "19.99", currency: "USD" }, paymentMethod: "pm_card_visa", captureMethod: "manual", customer: { id: `cus_${n++ % 100}` } });
  await system.payments.capture(ADMIN, { paymentId: p.id });
}

await createAndCapture(); // warm up: connections, plans
const baseline = await tpcbBaseline(db.pool, { clients: CLIENTS, durationMs: DURATION_MS });
const payments = await measureThroughput(() => createAndCapture(), { clients: CLIENTS, durationMs: DURATION_MS });
const automatic = await measureThroughput(
  () => system.payments.create(ADMIN, { amount: { amount: "19.99", currency: "USD" }, paymentMethod: "pm_card_visa", customer: { id: `cus_${n++ % 100}` } }),
  { clients: CLIENTS, durationMs: DURATION_MS },
);
console.log(
  [
    `payments on PostgreSQL, ${CLIENTS} concurrent clients, ${DURATION_MS} ms each, same pool and server:`,
    `  TPC-B-like baseline:            ${baseline.toFixed(0)} tx/s`,
    `  create (manual) + capture:      ${payments.toFixed(0)} payments/s  (ratio ${(payments / baseline).toFixed(3)} of baseline)`,
    `  create (automatic capture):     ${automatic.toFixed(0)} payments/s  (ratio ${(automatic / baseline).toFixed(3)} of baseline)`,
  ].join("\n"),
);

describe("payments on PostgreSQL (one client)", () => {
  afterAll(async () => {
    await db.drop();
    await server?.stop();
  });
  bench("create (manual) + capture", createAndCapture, { time: 1500 });
});
