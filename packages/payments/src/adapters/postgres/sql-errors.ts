import { ConflictError, DomainRuleError, ValidationError } from "@platform/core";
import { sqlState, type Queryable, type QueryResultLike } from "@platform/core/postgres";

/** Error codes of unique constraints, as the memory adapter names them. */
const UNIQUE_CODES: Readonly<Record<string, string>> = {
  fraud_rules_position_key: "duplicate_position",
  webhook_deliveries_message: "duplicate_delivery",
  payment_idempotency_keys_pkey: "idempotency_key_taken",
};

/** Error codes of check constraints that mirror a domain invariant. */
const CHECK_CODES: Readonly<Record<string, string>> = {
  payments_amounts_check: "amount_invariant_violated",
  payment_postings_balanced: "ledger_unbalanced",
  payment_ledger_immutable: "ledger_immutable",
};

/**
 * Maps constraint and encoding errors of PostgreSQL to the platform's errors; anything else
 * (serialization failures, lost connections ...) passes through for `runTransaction` to handle.
 * - 23505 unique violation: `ConflictError` (`duplicate_id` for primary keys, else the constraint's code);
 * - 23514 check violation: `DomainRuleError` (`amount_invariant_violated`, `ledger_unbalanced` ...);
 * - 23503 foreign key violation: `ConflictError` `reference_not_found`;
 * - 22021 / 22P05 (a NUL character in text or JSON): `ValidationError` `nul_character`.
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
      return new DomainRuleError(CHECK_CODES[constraint] ?? "constraint_violated", `a stored invariant was violated (${constraint})`, { cause: error, details: { table, constraint } });
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
