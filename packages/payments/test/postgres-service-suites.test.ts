import { afterAll, inject } from "vitest";
import { createIsolatedDatabase } from "@platform/core/testing";
import type { PaymentTx } from "../src/index.js";
import { migratePayments, PostgresPaymentStore } from "../src/adapters/postgres/index.js";
import { defaultStore } from "./helpers.js";

// The service test suites written for the memory store, re-run unchanged on PostgreSQL: every
// `makeSystem()` gets a PostgreSQL store on this file's database, emptied before its first use
// (tests of a file run one after another). Tests that build their own MemoryPaymentStore keep it.
const db = await createIsolatedDatabase(inject("databaseUrl"), { prefix: "pay_suites" });
await migratePayments(db.pool);
afterAll(() => db.drop());

const TABLES = "payments, gateway_events, fraud_velocity_events, payment_transactions, payment_postings, refunds, payment_idempotency_keys, fraud_rules, fraud_list_entries, webhook_endpoints, webhook_deliveries, platform_outbox";

class FreshPostgresStore extends PostgresPaymentStore {
  private emptied: Promise<unknown> | undefined;
  override async transaction<T>(work: (tx: PaymentTx) => Promise<T>): Promise<T> {
    this.emptied ??= db.pool.query(`TRUNCATE ${TABLES}`);
    await this.emptied;
    return super.transaction(work);
  }
}
defaultStore.make = () => new FreshPostgresStore(db.pool);

await import("./payments.test.js");
await import("./payments-edge.test.js");
await import("./idempotency.test.js");
await import("./idempotency-lease.test.js");
await import("./fraud.test.js");
await import("./webhooks.test.js");
await import("./webhook-secrets.test.js");
await import("./webhook-concurrency.test.js");
await import("./retention.test.js");
await import("./reconcile.test.js");
await import("./customer-action.test.js");
await import("./stripe-3ds-webhooks.test.js");
await import("./stripe-reconcile.test.js");
