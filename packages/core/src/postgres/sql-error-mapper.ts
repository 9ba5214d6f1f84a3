import { ConflictError, DomainRuleError, ValidationError } from "../errors/errors.js";
import { sqlState } from "./errors.js";
import type { Queryable, QueryResultLike } from "./queryable.js";
import { coreCodes } from "../errors/core-error-codes.js";

/** Which platform error code each named constraint stands for. */
export interface SqlErrorCodes {
  /** Unique constraint or index name -> ConflictError code (e.g. `idx_products_sku: "sku_taken"`). */
  unique?: Readonly<Record<string, string>>;
  /** Check constraint name -> DomainRuleError code (e.g. `social_follows_no_self: "self_follow"`). */
  check?: Readonly<Record<string, string>>;
}

/** Maps a driver error to a platform error, or returns it unchanged. */
export type SqlErrorMapper = (error: unknown) => unknown;

/**
 * Builds the mapper every PostgreSQL adapter uses so that the database's own constraints answer
 * with the same codes as the memory adapter:
 * - 23505 unique violation: `ConflictError` with the constraint's code (`duplicate_id` for an
 *   unlisted primary key, else `duplicate_key`);
 * - 23514 check violation: `DomainRuleError` with the constraint's code, else `constraint_violated`;
 * - 23503 foreign key violation: `ConflictError` `reference_not_found`;
 * - 22021 / 22P05 (a NUL character, which PostgreSQL text cannot hold): `ValidationError` `nul_character`.
 * Anything else (serialization failures, lost connections ...) passes through for `runTransaction`.
 * @example
 * ```ts
 * const mapSqlError = createSqlErrorMapper({ unique: { social_users_username_key: "username_taken" } });
 * ```
 */
export function createSqlErrorMapper(codes: SqlErrorCodes = {}): SqlErrorMapper {
  const unique = codes.unique ?? {};
  const check = codes.check ?? {};
  return (error: unknown): unknown => {
    const state = sqlState(error);
    const constraint = (error as { constraint?: string } | null)?.constraint ?? "";
    const table = (error as { table?: string } | null)?.table;
    const context = { cause: error, details: { table, constraint } };
    switch (state) {
      case "23505":
        return new ConflictError(
          unique[constraint] ?? (constraint.endsWith("_pkey") ? "duplicate_id" : "duplicate_key"),
          `${table ?? "row"} already exists (${constraint})`,
          context,
        );
      case "23514":
        return new DomainRuleError(check[constraint] ?? "constraint_violated", `a stored rule was violated (${constraint})`, context);
      case "23503":
        return new ConflictError(coreCodes.reference_not_found, `a referenced row does not exist (${constraint})`, context);
      case "22021":
      case "22P05":
        return ValidationError.field(coreCodes.nul_character, "text", "text must not contain NUL (U+0000) characters");
      default:
        return error;
    }
  };
}

/**
 * Runs one parameterised query and maps constraint errors with `map`.
 * @throws the mapped ConflictError / DomainRuleError / ValidationError, or the driver's error.
 */
export async function queryMapped<R = Record<string, unknown>>(
  db: Queryable,
  map: SqlErrorMapper,
  text: string,
  values: readonly unknown[] = [],
): Promise<QueryResultLike<R>> {
  try {
    return await db.query<R>(text, values);
  } catch (error) {
    throw map(error);
  }
}
