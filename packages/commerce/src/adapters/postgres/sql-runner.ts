import { ConflictError } from "@platform/core";
import {
  createSqlErrorMapper,
  queryMapped,
  sqlState,
  type PostgresOutbox,
  type Queryable,
  type QueryResultLike,
} from "@platform/core/postgres";
import { commerceCodes } from "../../domain/error-codes.js";

const constraintCodes = createSqlErrorMapper({
  unique: {
    idx_users_email: commerceCodes.email_taken,
    categories_slug_key: commerceCodes.slug_taken,
    idx_products_sku: commerceCodes.sku_taken,
    commerce_skus_pkey: commerceCodes.sku_taken,
    idx_cart_user_id: commerceCodes.cart_exists,
    orders_idempotency_key_unique: commerceCodes.idempotency_key_taken,
  },
});

// The codes a guard may raise through `commerce_conflict` (migration 011).
const GUARD_CODES: ReadonlySet<string> = new Set([commerceCodes.version_conflict, commerceCodes.idempotency_key_taken]);

/**
 * Core's SQL error mapper with the commerce schema's unique constraints: a unique violation
 * answers the ConflictError code the memory adapter throws for the same rule, a failed write guard
 * (`commerce_conflict`, SQLSTATE PC409) its ConflictError, text PostgreSQL cannot hold answers
 * `nul_character`, anything else is returned unchanged (the store's transaction helper turns
 * connection loss and timeouts into `storage_unavailable`).
 */
export function mapSqlError(error: unknown): unknown {
  if (sqlState(error) === "PC409") {
    const { detail, message } = error as { detail?: string; message?: string };
    if (detail !== undefined && GUARD_CODES.has(detail)) return new ConflictError(detail, message ?? detail, { cause: error });
  }
  return constraintCodes(error);
}

/** The query runner of the repositories: parameterised queries only, driver errors mapped by {@link mapSqlError}. */
export class Sql {
  /** `outbox`: the transaction's, which makes its COMMIT wait for the {@link defer}red writes. */
  constructor(
    private readonly client: Queryable,
    private readonly outbox?: PostgresOutbox,
  ) {}

  /** Runs one parameterised statement. @throws ValidationError `nul_character`; ConflictError. */
  query<R = Record<string, unknown>>(text: string, values: readonly unknown[] = []): Promise<QueryResultLike<R>> {
    return queryMapped<R>(this.client, mapSqlError, text, values);
  }

  /**
   * Sends a write without waiting for its answer: the transaction's COMMIT waits for it (pipelined,
   * one round trip for both). Without an outbox (no transaction to wait) it is awaited here. The
   * statement must raise when it cannot apply (see `commerce_conflict`); its error is the
   * transaction's, also when a later statement failed only because it aborted the transaction
   * (core's `PostgresOutbox.defer` reports the first deferred failure).
   */
  async defer(text: string, values: readonly unknown[] = []): Promise<void> {
    const write = queryMapped(this.client, mapSqlError, text, values);
    if (this.outbox) this.outbox.defer(write);
    else await write;
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
