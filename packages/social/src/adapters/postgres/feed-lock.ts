import type { Queryable } from "@platform/core/postgres";

/**
 * Key of the transaction-level advisory lock that orders feed writes (an arbitrary constant,
 * distinct from core's migration lock).
 */
export const SOCIAL_FEED_LOCK_KEY = 7_305_150_626;

/**
 * Takes the feed lock exclusively until the end of the transaction. Taken before a post or repost
 * seq is allocated and before a follow row appears or vanishes, so activity seqs become visible in
 * seq order and fan-out, backfill and rebuild never miss each other. Re-entrant within a transaction.
 */
export async function lockFeedsExclusive(db: Queryable): Promise<void> {
  await db.query("SELECT pg_advisory_xact_lock($1)", [SOCIAL_FEED_LOCK_KEY]);
}

/**
 * Takes the feed lock shared until the end of the transaction: home reads (which may rebuild a
 * feed) wait for in-flight posts and follows, and those wait for them, but readers do not block
 * each other.
 */
export async function lockFeedsShared(db: Queryable): Promise<void> {
  await db.query("SELECT pg_advisory_xact_lock_shared($1)", [SOCIAL_FEED_LOCK_KEY]);
}
