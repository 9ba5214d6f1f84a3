import { afterAll, inject } from "vitest";
import { ManualClock } from "@platform/core";
import { memoryStoreFixture, postgresStoreFixture, type StoreFixture } from "@platform/core/testing";
import { migratePayments, PostgresPaymentStore } from "../src/adapters/postgres/index.js";
import {
  createPaymentSystem,
  MemoryPaymentStore,
  TestGateway,
  type PaymentGateway,
  type PaymentStore,
  type PaymentSystemOptions,
} from "../src/index.js";

/** A store the service suites run on. */
export type PaymentStoreFixture = StoreFixture<PaymentStore>;

/** The tables a PostgreSQL fixture empties before each new store's first transaction. */
const TABLES = [
  "payments",
  "gateway_events",
  "fraud_velocity_events",
  "payment_transactions",
  "payment_postings",
  "refunds",
  "payment_idempotency_keys",
  "fraud_rules",
  "fraud_list_entries",
  "webhook_endpoints",
  "webhook_deliveries",
  "platform_outbox",
];

// One PostgreSQL database per test file, shared by its describe blocks (each store starts empty).
const sharedPostgres = postgresStoreFixture<PaymentStore>({
  adminUrl: () => inject("databaseUrl"),
  prefix: "pay_suite",
  migrate: async (pool) => void (await migratePayments(pool)),
  tables: TABLES,
  create: (pool) => new PostgresPaymentStore(pool),
  shared: true,
});
afterAll(() => sharedPostgres.dispose());

/** The stores every service suite is looped over: memory and PostgreSQL (one migrated throwaway database per test file). */
export function paymentStores(): PaymentStoreFixture[] {
  return [memoryStoreFixture<PaymentStore>(() => new MemoryPaymentStore()), sharedPostgres];
}

/** A system on a manual clock with a test gateway the test can inspect; `store` is the suite's store (default: a new memory store). */
export function makeSystem(options: PaymentSystemOptions = {}) {
  const clock = new ManualClock("2026-03-01T12:00:00.000Z");
  const gateway = new TestGateway();
  const system = createPaymentSystem({
    store: new MemoryPaymentStore(),
    clock,
    gateways: { test: gateway },
    webhooks: { autoDispatch: false },
    ...options,
  });
  return { system, clock, gateway };
}

export const usd = (amount: string) => ({ amount, currency: "USD" });

/** The actor of the suites: `admin` holds every payments role. */
export { PAYMENTS_ADMIN_ACTOR as ADMIN } from "../src/testing/test-actors.js";

/** One `codeOf` for every suite: core's testing helper. */
export { codeOf } from "@platform/core/testing";

type GatedOp = "authorize" | "capture" | "void";

/**
 * A slow gateway: calls of a held operation wait (before reaching `inner`) until released, so a test
 * can run something while the request is in flight. `entered(op, n)` resolves once n calls arrived.
 */
export function slowGateway(inner: TestGateway) {
  const gates = new Map<GatedOp, { release: () => void; gate: Promise<void> }>();
  const arrived = { authorize: 0, capture: 0, void: 0 };
  const pass = async (op: GatedOp) => {
    arrived[op]++;
    await gates.get(op)?.gate;
  };
  const gateway: PaymentGateway = {
    describePaymentMethod: (pm) => inner.describePaymentMethod(pm),
    authorize: async (r) => (await pass("authorize"), inner.authorize(r)),
    capture: async (r) => (await pass("capture"), inner.capture(r)),
    void: async (r) => (await pass("void"), inner.void(r)),
    refund: (r) => inner.refund(r),
    retrieve: (r) => inner.retrieve(r),
  };
  return {
    gateway,
    hold(op: GatedOp) {
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      gates.set(op, { release, gate });
    },
    release(op: GatedOp) {
      gates.get(op)?.release();
      gates.delete(op);
    },
    async entered(op: GatedOp, n = 1) {
      // Bounded so a call that never comes fails the test instead of hanging it.
      for (let i = 0; arrived[op] < n; i++) {
        if (i > 2000) throw new Error(`${n} ${op} call(s) never reached the gateway`);
        await new Promise((r) => setTimeout(r, 1));
      }
    },
  };
}
