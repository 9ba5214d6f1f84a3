import { createSqlErrorMapper, queryMapped, type Queryable, type QueryResultLike } from "@platform/core/postgres";
import { commerceCodes } from "../../domain/error-codes.js";

/**
 * Core's SQL error mapper with the commerce schema's unique constraints: a unique violation
 * answers the ConflictError code the memory adapter throws for the same rule, text PostgreSQL
 * cannot hold answers `nul_character`, anything else is returned unchanged (the store's
 * transaction helper turns connection loss and timeouts into `storage_unavailable`).
 */
export const mapSqlError = createSqlErrorMapper({
  unique: {
    idx_users_email: commerceCodes.email_taken,
    categories_slug_key: commerceCodes.slug_taken,
    idx_products_sku: commerceCodes.sku_taken,
    commerce_skus_pkey: commerceCodes.sku_taken,
    idx_cart_user_id: commerceCodes.cart_exists,
    orders_idempotency_key_unique: commerceCodes.idempotency_key_taken,
  },
});

/** The query runner of the repositories: parameterised queries only, driver errors mapped by {@link mapSqlError}. */
export class Sql {
  constructor(private readonly client: Queryable) {}

  /** Runs one parameterised statement. @throws ValidationError `nul_character`; ConflictError. */
  query<R = Record<string, unknown>>(text: string, values: readonly unknown[] = []): Promise<QueryResultLike<R>> {
    return queryMapped<R>(this.client, mapSqlError, text, values);
  }

  /** The rows of a statement. */
  async rows<R = Record<string, unknown>>(text: string, values: readonly unknown[] = []): Promise<R[]> {
    return (await this.query<R>(text, values)).rows;
  }

  /** The first row of a statement, or null. */
  async one<R = Record<string, unknown>>(text: string, values: readonly unknown[] = []): Promise<R | null> {
    return (await this.query<R>(text, values)).rows[0] ?? null;
  }
}
