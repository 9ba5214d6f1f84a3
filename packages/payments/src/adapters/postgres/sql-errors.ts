import { createSqlErrorMapper, queryMapped, type Queryable, type QueryResultLike } from "@platform/core/postgres";

/**
 * Maps constraint and encoding errors of PostgreSQL to the errors the memory adapter throws for
 * the same rule (see `createSqlErrorMapper` in \@platform/core/postgres for the general mapping).
 */
export const mapSqlError = createSqlErrorMapper({
  unique: {
    fraud_rules_position_key: "duplicate_position",
    webhook_deliveries_message: "duplicate_delivery",
    payment_idempotency_keys_pkey: "idempotency_key_taken",
  },
  check: {
    payments_amounts_check: "amount_invariant_violated",
    payment_postings_balanced: "ledger_unbalanced",
    payment_ledger_immutable: "ledger_immutable",
  },
});

/**
 * Runs a parameterised query, mapping constraint errors with {@link mapSqlError}.
 * @throws the mapped ConflictError / DomainRuleError / ValidationError, or the driver's error.
 */
export function run<R = Record<string, unknown>>(
  db: Queryable,
  text: string,
  values: readonly unknown[] = [],
): Promise<QueryResultLike<R>> {
  return queryMapped<R>(db, mapSqlError, text, values);
}

/** Where a repository hands a write it does not wait for: the transaction's `PostgresOutbox.defer`. */
export type DeferWrite = (write: Promise<unknown>) => void;

/**
 * Sends a write whose only failure is an SQL error (which aborts the transaction) without waiting for
 * its answer when the repository has `defer`, so it shares the round trip of what is sent after it;
 * otherwise waits for it. Never for a write whose result is checked (a version, a row count).
 * @throws (without `defer`) what {@link run} throws.
 */
export async function send(db: Queryable, defer: DeferWrite | undefined, text: string, values: readonly unknown[]): Promise<void> {
  const write = run(db, text, values);
  if (defer) defer(write);
  else await write;
}
