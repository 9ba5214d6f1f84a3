/**
 * `@platform/commerce/postgres`: the commerce store on PostgreSQL (`pg` is an optional peer),
 * its SQL migrations, and the durable notification jobs.
 * @packageDocumentation
 */
export {
  PostgresCommerceStore,
  createPostgresCommerceStore,
  type PostgresCommerceStoreOptions,
  type PostgresCommerceConnection,
} from "./postgres-commerce-store.js";
export { commerceMigrations, migrateCommerce } from "./commerce-migrations.js";
export { PostgresProductRepository } from "./postgres-product-repository.js";
export { PostgresCategoryRepository } from "./postgres-category-repository.js";
export { PostgresCustomerRepository } from "./postgres-customer-repository.js";
export { PostgresSessionRepository, PostgresLoginThrottleRepository } from "./postgres-session-repositories.js";
export { PostgresAddressRepository } from "./postgres-address-repository.js";
export { PostgresCartRepository } from "./postgres-cart-repository.js";
export { PostgresInventoryRepository } from "./postgres-inventory-repository.js";
export { PostgresOrderRepository } from "./postgres-order-repository.js";
export { PostgresNotificationRepository } from "./postgres-notification-repository.js";
export { searchTerms, tsQuerySql } from "./postgres-product-search.js";
export { Sql, mapSqlError } from "./sql-runner.js";
export {
  PostgresNotificationJobs,
  type PostgresNotificationJobsOptions,
  type NotificationRunReport,
  type IdentifiedEmailMessage,
  type IdentifiedSmsMessage,
} from "./postgres-notification-jobs.js";
