import { afterAll, beforeAll, inject } from "vitest";
import { createIsolatedDatabase, type IsolatedDatabase } from "@platform/core/testing";
import { migratePayments, PostgresPaymentStore } from "../src/adapters/postgres/index.js";
import { describePaymentStoreContract } from "../src/testing/index.js";

let db: IsolatedDatabase;

beforeAll(async () => {
  db = await createIsolatedDatabase(inject("databaseUrl"), { prefix: "pay_contract" });
  await migratePayments(db.pool);
});
afterAll(async () => {
  await db?.drop();
});

// Every test of the contract gets empty tables.
describePaymentStoreContract("postgres", async () => {
  await db.pool.query(
    "TRUNCATE payments, fraud_velocity_events, payment_transactions, payment_postings, refunds, payment_idempotency_keys, fraud_rules, fraud_list_entries, webhook_endpoints, webhook_deliveries, platform_outbox",
  );
  return new PostgresPaymentStore(db.pool);
});
