import { ConflictError, DomainRuleError, ValidationError } from "@platform/core";
import { sqlState, type Queryable, type QueryResultLike } from "@platform/core/postgres";

/** Error codes of unique indexes, as the memory adapter names them. */
const UNIQUE_CODES: Readonly<Record<string, string>> = {
  social_users_username_key: "username_taken",
  social_users_email_key: "email_taken",
  social_users_pkey: "duplicate_id",
};

/** Error codes of check constraints that mirror a domain rule. */
const CHECK_CODES: Readonly<Record<string, string>> = {
  social_follows_no_self: "self_follow",
  social_follow_requests_no_self: "self_follow",
  social_blocks_no_self: "self_block",
  social_mutes_no_self: "self_mute",
};

/**
 * Maps constraint and encoding errors of PostgreSQL to the platform's errors; anything else
 * (serialization failures, lost connections ...) passes through for `runTransaction` to handle.
 * - 23505 unique violation: `ConflictError` (`username_taken`, `email_taken`, `duplicate_id`, `duplicate_key`);
 * - 23514 check violation: `DomainRuleError` (`self_follow`, `self_block`, `self_mute`, else `constraint_violated`);
 * - 23503 foreign key violation: `ConflictError` `reference_not_found`;
 * - 22021 / 22P05 (a NUL character in text): `ValidationError` `nul_character`.
 */
export function mapSqlError(error: unknown): unknown {
  const state = sqlState(error);
  const constraint = (error as { constraint?: string } | null)?.constraint ?? "";
  const table = (error as { table?: string } | null)?.table;
  switch (state) {
    case "23505":
      return new ConflictError(`${table ?? "row"} already exists (${constraint})`, UNIQUE_CODES[constraint] ?? (constraint.endsWith("_pkey") ? "duplicate_id" : "duplicate_key"), {
        cause: error,
        details: { table, constraint },
      });
    case "23514":
      return new DomainRuleError(CHECK_CODES[constraint] ?? "constraint_violated", `a stored rule was violated (${constraint})`, { cause: error, details: { table, constraint } });
    case "23503":
      return new ConflictError(`a referenced row does not exist (${constraint})`, "reference_not_found", { cause: error, details: { table, constraint } });
    case "22021":
    case "22P05":
      return ValidationError.field("text", "text must not contain NUL (U+0000) characters", "nul_character");
    default:
      return error;
  }
}

/**
 * Runs a parameterised query, mapping constraint errors with {@link mapSqlError}.
 * @throws the mapped ConflictError / DomainRuleError / ValidationError, or the driver's error.
 */
export async function run<R = Record<string, unknown>>(db: Queryable, text: string, values: readonly unknown[] = []): Promise<QueryResultLike<R>> {
  try {
    return await db.query<R>(text, values);
  } catch (error) {
    throw mapSqlError(error);
  }
}

/** `before` of a keyset page as a SQL bound (no bound = the largest bigint). */
export function beforeBound(before: number | null | undefined): string {
  return before === null || before === undefined ? "9223372036854775807" : String(before);
}
