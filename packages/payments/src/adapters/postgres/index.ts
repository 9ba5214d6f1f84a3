/**
 * The PostgreSQL store of \@platform/payments (`pg` is an optional peer dependency): every
 * repository of the payment ports, the migrations, and a factory.
 * @example
 * ```ts
 * import { createPaymentSystem } from "@platform/payments";
 * import { createPostgresPaymentStore } from "@platform/payments/postgres";
 * const system = createPaymentSystem({ store: await createPostgresPaymentStore({ connectionString: process.env.DATABASE_URL!, migrate: true }), gateways: { stripe: myStripeGateway } });
 * ```
 * @packageDocumentation
 */
export { PostgresPaymentStore, createPostgresPaymentStore, type PostgresPaymentStoreOptions } from "./postgres-payment-store.js";
export { paymentsMigrations, migratePayments } from "./payments-migrations.js";
export { PostgresPaymentRepository } from "./postgres-payment-repository.js";
export { PostgresLedgerRepository } from "./postgres-ledger-repository.js";
export { PostgresRefundRepository } from "./postgres-refund-repository.js";
export { PostgresIdempotencyRepository } from "./postgres-idempotency-repository.js";
export { PostgresFraudRuleRepository } from "./postgres-fraud-rule-repository.js";
export { PostgresFraudListRepository } from "./postgres-fraud-list-repository.js";
export { PostgresWebhookEndpointRepository } from "./postgres-webhook-endpoint-repository.js";
export { PostgresWebhookDeliveryRepository } from "./postgres-webhook-delivery-repository.js";
export { mapSqlError } from "./sql-errors.js";
