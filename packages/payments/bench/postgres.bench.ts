/**
 * Payments on PostgreSQL: create + capture per second against core's TPC-B-like transaction, with
 * statements, round trips and transactions per operation.
 * Run: corepack pnpm exec vitest bench --run packages/payments/bench/postgres.bench.ts
 * (BENCH_TRACE=1 also prints every statement of one create + capture.)
 */
import { afterAll, bench, describe } from "vitest";
import {
  countingPool,
  createIsolatedDatabase,
  measureThroughput,
  startPostgresServer,
  tpcbBaseline,
  type IsolatedDatabase,
  type PostgresServer,
  type QueryCounts,
} from "@platform/core/testing";
import { createPaymentSystem, TestGateway } from "../src/index.js";
import { migratePayments, PostgresPaymentStore } from "../src/adapters/postgres/index.js";
import { PAYMENTS_ADMIN_ACTOR as ADMIN } from "../src/testing/test-actors.js";

// One operation = create a manual-capture payment, then capture it
// (2 gateway calls on the in-process test gateway, 4 store transactions, 2 ledger entries with
// postings, 4 outbox events). 8 concurrent clients against a TPC-B-like transaction
// (3 updates, 1 select, 1 insert) from 8 clients through the same pool, same server, same run.
// The server is a throwaway one (fsync off) unless DATABASE_URL is set.
const CLIENTS = 8;
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 4000);

let server: PostgresServer | undefined;
let db: IsolatedDatabase | undefined;
// Registered before anything starts, at the top level (a describe's afterAll never runs when the
// module fails before its bench): the run stops its throwaway server whatever happens.
async function cleanUp(): Promise<void> {
  await db?.drop().catch(() => undefined);
  db = undefined;
  await server?.stop();
  server = undefined;
}
afterAll(cleanUp);
const pool = await (async () => {
  try {
    const adminUrl = process.env.DATABASE_URL ?? (server = await startPostgresServer()).url;
    db = await createIsolatedDatabase(adminUrl, { prefix: "pay_bench", max: CLIENTS + 2 });
    await migratePayments(db.pool);
    return countingPool(db.pool);
  } catch (error) {
    await cleanUp();
    throw error;
  }
})();
const system = createPaymentSystem({
  store: new PostgresPaymentStore(pool),
  gateways: { test: new TestGateway() },
  webhooks: { autoDispatch: false },
});

let n = 0;
async function createAndCapture(): Promise<void> {
  const p = await system.payments.create(ADMIN, {
    amount: { amount: "19.99", currency: "USD" },
    paymentMethod: "pm_card_visa",
    captureMethod: "manual",
    customer: { id: `cus_${n++ % 100}` },
  });
  await system.payments.capture(ADMIN, { paymentId: p.id });
}

const createAutomatic = () =>
  system.payments.create(ADMIN, {
    amount: { amount: "19.99", currency: "USD" },
    paymentMethod: "pm_card_visa",
    customer: { id: `cus_${n++ % 100}` },
  });

const ROUNDS = 4;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
async function measureRatio(op: () => Promise<unknown>, baselines: number[]): Promise<{ ratio: number; rates: number[] }> {
  const ratios: number[] = [];
  const rates: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const base = await tpcbBaseline(pool, { clients: CLIENTS, durationMs: DURATION_MS / ROUNDS });
    const rate = await measureThroughput(op, { clients: CLIENTS, durationMs: DURATION_MS / ROUNDS });
    baselines.push(base);
    rates.push(rate);
    ratios.push(rate / base);
  }
  return { ratio: median(ratios), rates };
}

// Everything the module does before its bench stops the server when it fails.
try {
  await createAndCapture(); // warm up: connections, plans
  // Statements per operation, counted on one operation running alone (the TPC-B-like transaction: 7
  // round trips, BEGIN and COMMIT included, in 1 transaction).
  if (process.env.BENCH_TRACE) pool.trace = (text) => console.log(`  | ${text.replace(/\s+/g, " ").slice(0, 160)}`);
  const perManual = await pool.measure(createAndCapture);
  pool.trace = undefined;
  const perAutomatic = await pool.measure(createAutomatic);
  // The machine is shared: baseline and operation alternate in short rounds, and the ratio is the
  // median of the rounds' ratios, so a burst of someone else's load skews one round, not the figure.
  const baselines: number[] = [];
  const rounds = (op: () => Promise<unknown>) => measureRatio(op, baselines);
  const manual = await rounds(createAndCapture);
  const auto = await rounds(createAutomatic);
  const baseline = median(baselines);
  const payments = median(manual.rates);
  const automatic = median(auto.rates);
  const per = (c: QueryCounts) => `${c.statements} statements, ${c.roundTrips} round trips, ${c.transactions} transactions`;
  console.log(
    [
      `payments on PostgreSQL, ${CLIENTS} concurrent clients, ${ROUNDS} alternating rounds of ${DURATION_MS / ROUNDS} ms each, same pool and server (medians):`,
      `  TPC-B-like baseline:            ${baseline.toFixed(0)} tx/s`,
      `  create (manual) + capture:      ${payments.toFixed(0)} payments/s  (ratio ${manual.ratio.toFixed(3)} of baseline; ${per(perManual)})`,
      `  create (automatic capture):     ${automatic.toFixed(0)} payments/s  (ratio ${auto.ratio.toFixed(3)} of baseline; ${per(perAutomatic)})`,
    ].join("\n"),
  );
} catch (error) {
  await cleanUp();
  throw error;
}

describe("payments on PostgreSQL (one client)", () => {
  bench("create (manual) + capture", createAndCapture, { time: 1500 });
});
