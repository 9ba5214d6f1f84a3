import { createSqlErrorMapper, queryMapped, type Queryable, type QueryResultLike } from "@platform/core/postgres";
import { socialCodes } from "../../domain/error-codes.js";

/**
 * Maps constraint and encoding errors of PostgreSQL to the errors the memory adapter throws for
 * the same rule (see `createSqlErrorMapper` in \@platform/core/postgres for the general mapping).
 */
export const mapSqlError = createSqlErrorMapper({
  unique: {
    social_users_username_key: socialCodes.username_taken,
    social_users_email_key: socialCodes.email_taken,
    social_users_external_id_key: socialCodes.external_id_taken,
    social_users_pkey: "duplicate_id",
  },
  check: {
    social_follows_no_self: socialCodes.self_follow,
    social_follow_requests_no_self: socialCodes.self_follow,
    social_blocks_no_self: socialCodes.self_block,
    social_mutes_no_self: socialCodes.self_mute,
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

/** `before` of a keyset page as a SQL bound (no bound = the largest bigint). */
export function beforeBound(before: number | null | undefined): string {
  return before === null || before === undefined ? "9223372036854775807" : String(before);
}
