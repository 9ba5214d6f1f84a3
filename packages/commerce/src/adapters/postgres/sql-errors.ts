import { ConflictError, ValidationError } from "@platform/core";
import { sqlState, type Queryable, type QueryResultLike } from "@platform/core/postgres";

/** Unique constraints / indexes of the commerce schema and the ConflictError code each maps to. */
const UNIQUE_CODES: Readonly<Record<string, string>> = {
  idx_users_email: "email_taken",
  categories_slug_key: "slug_taken",
  idx_products_sku: "sku_taken",
  commerce_skus_pkey: "sku_taken",
  idx_cart_user_id: "cart_exists",
  orders_idempotency_key_unique: "idempotency_key_taken",
};

/**
 * Maps driver errors to the errors the memory adapter throws for the same rule: a unique
 * violation (23505) to its ConflictError code, text PostgreSQL cannot hold (22021, 22P05) to a
 * ValidationError `nul_character`. Anything else is returned unchanged (the store's transaction
 * helper turns connection loss and timeouts into `storage_unavailable`).
 */
export function mapSqlError(error: unknown): unknown {
  const state = sqlState(error);
  if (state === "23505") {
    const constraint = (error as { constraint?: string }).constraint ?? "";
    return new ConflictError(UNIQUE_CODES[constraint] ?? "conflict", `unique rule ${constraint} refused the write`, { cause: error, details: { constraint } });
  }
  if (state === "22021" || state === "22P05") return nulError(error);
  return error;
}

function nulError(cause?: unknown): ValidationError {
  return new ValidationError("nul_character", "text may not contain NUL (U+0000) characters", { issues: [{ path: [], message: "NUL character", code: "nul_character" }], cause });
}

function holdsNul(value: unknown): boolean {
  if (typeof value === "string") return value.includes("\u0000");
  if (Array.isArray(value)) return value.some(holdsNul);
  return false;
}

/**
 * The query runner of the repositories: parameterised queries only, values checked for NUL
 * characters (PostgreSQL text cannot hold them: refused as `nul_character` before any write),
 * driver errors mapped by {@link mapSqlError}.
 */
export class Sql {
  constructor(private readonly client: Queryable) {}

  /** Runs one parameterised statement. @throws ValidationError `nul_character`; ConflictError. */
  async query<R = Record<string, unknown>>(text: string, values: readonly unknown[] = []): Promise<QueryResultLike<R>> {
    if (values.some(holdsNul)) throw nulError();
    try {
      return await this.client.query<R>(text, values);
    } catch (error) {
      throw mapSqlError(error);
    }
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
