import { createMigratedDatabase, type IsolatedDatabase } from "@platform/core/testing";
import { migrateCommerce, PostgresCommerceStore } from "../src/adapters/postgres/index.js";

/** Every table the commerce migrations create (emptied between contract tests). */
export const COMMERCE_TABLES = [
  "users",
  "addresses",
  "categories",
  "products",
  "product_images",
  "product_attributes",
  "commerce_product_variants",
  "commerce_skus",
  "commerce_stock_levels",
  "commerce_stock_adjustments",
  "commerce_reservations",
  "commerce_reservation_lines",
  "orders",
  "order_items",
  "cart",
  "commerce_cart_lines",
  "commerce_sessions",
  "commerce_login_throttles",
  "commerce_login_client_throttles",
  "commerce_notifications",
  "commerce_search_terms",
  "commerce_search_term_deletions",
  "platform_outbox",
];

/** A fresh, migrated database for one test file. */
export async function migratedDatabase(adminUrl: string, max = 10): Promise<IsolatedDatabase> {
  return createMigratedDatabase(adminUrl, { prefix: "commerce", max, migrate: migrateCommerce });
}

/** Empties every commerce table. */
export async function truncateCommerce(db: IsolatedDatabase): Promise<void> {
  await db.pool.query(`TRUNCATE ${COMMERCE_TABLES.join(", ")} CASCADE`);
}

/** A store on the database. */
export function storeOn(db: IsolatedDatabase): PostgresCommerceStore {
  return new PostgresCommerceStore(db.pool);
}
