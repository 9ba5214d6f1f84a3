import { together } from "@platform/core";
import type { Queryable } from "@platform/core/postgres";
import type { Delivery } from "../../domain/post.js";

/**
 * Key of the transaction-level advisory lock that orders pull activities (posts and reposts of
 * authors above the fan-out threshold, merged into home feeds at read time) against home reads.
 * Pull writers take it exclusively, home reads shared. Push writers and follows never take it.
 */
export const SOCIAL_FEED_LOCK_KEY = 7_305_150_626;

/*
 * Why home pages never skip nor repeat an item while others post, without a global lock:
 *
 * - Push activity: before its seq is allocated, the writer locks its actor's user row, then the
 *   feed-state rows of every materialised feed it will reach (its followers' and its own), in
 *   user-id order. So at most one push activity is in flight per feed, and it holds the highest
 *   seq that feed will ever have had: a reader that holds its own feed-state row shared sees every
 *   push entry below the ones to come.
 * - Pull activity: allocated under SOCIAL_FEED_LOCK_KEY exclusive; a home read holds it shared.
 * - Follow / unfollow: lock both user rows (id order), so a backfill and a fan-out of the followee
 *   see each other, and a rebuild of the follower sees a stable follow set.
 * - Rebuild (no feed-state row yet): the reader locks its own and every source's user row shared,
 *   so no post of a source is in flight while it reads their timelines, and posts that follow see
 *   the new feed-state row and deliver to it; then the pull lock shared, as a materialised read.
 *
 * Lock order everywhere: user rows (id order), then SOCIAL_FEED_LOCK_KEY, then feed-state rows
 * (user-id order). Writers of different authors with different followers never wait for each other.
 */

/**
 * Locks an activity's actor and, before its seq is allocated, what orders it for readers: the
 * materialised feeds it will be delivered to (push) or the pull lock (pull). Re-entrant.
 */
export async function lockForActivity(db: Queryable, actorId: string, delivery: Delivery): Promise<void> {
  await lockUsers(db, [actorId]);
  if (delivery === "pull") {
    await db.query("SELECT pg_advisory_xact_lock($1)", [SOCIAL_FEED_LOCK_KEY]);
    return;
  }
  // A separate statement after the actor lock: it sees every follow committed before that lock.
  await db.query(
    `SELECT s.user_id FROM social_feed_states s
     WHERE s.user_id IN (SELECT follower_id FROM social_follows WHERE followee_id = $1 UNION ALL SELECT $1)
     ORDER BY s.user_id FOR NO KEY UPDATE OF s`,
    [actorId],
  );
}

/** Locks user rows exclusively (no key update), in id order so two writers never deadlock. */
export async function lockUsers(db: Queryable, userIds: readonly string[]): Promise<void> {
  await db.query("SELECT id FROM social_users WHERE id = ANY($1::text[]) ORDER BY id FOR NO KEY UPDATE", [[...new Set(userIds)].sort()]);
}

/**
 * CTEs `st` (the feed-state row of user `$1`, locked shared) and `pl` (`materialised`: whether it
 * exists; if so the pull lock `$2` is taken shared). Referencing `pl` runs both.
 */
export const lockedStateSql = `WITH st AS (SELECT user_id, floor_seq FROM social_feed_states WHERE user_id = $1 FOR SHARE),
     pl AS (SELECT m.materialised, CASE WHEN m.materialised THEN pg_advisory_xact_lock_shared($2) END AS locked
            FROM (SELECT EXISTS (SELECT 1 FROM st) AS materialised) m)`;

/**
 * The home-feed sources of `userId` (the accounts they follow, in follow order), read under the
 * locks that make the rest of the transaction's feed reads a settled prefix (see above):
 * - a materialised feed: its feed-state row shared and the pull lock shared (one statement);
 * - no feed yet (a rebuild follows): the reader's and every source's user row shared, in id order,
 *   then the pull lock shared.
 */
export async function lockedSources(db: Queryable, userId: string): Promise<string[]> {
  // The follow set as one array: one row to parse instead of one per source (~200).
  const { rows } = await db.query<{ sources: string[] | null }>(
    `${lockedStateSql}
     SELECT CASE WHEN pl.materialised THEN ARRAY(SELECT followee_id FROM social_follows WHERE follower_id = $1 ORDER BY seq) END AS sources
     FROM pl`,
    [userId, SOCIAL_FEED_LOCK_KEY],
  );
  if (rows[0]?.sources) return rows[0].sources;
  // Every user row involved in id order, then the pull lock shared (the home read that follows
  // merges pull activities), then the follow set again, sent together: the server runs them in
  // order, each with a snapshot taken after the locks of the one before. The reader's own row now
  // held, the follow set cannot change any more; a source followed while the first statement
  // waited for that row (rare) is missing from its locks and is locked on its own.
  const users = db.query<{ id: string }>(
    `SELECT id FROM social_users WHERE id = $1 OR id IN (SELECT followee_id FROM social_follows WHERE follower_id = $1) ORDER BY id FOR SHARE`,
    [userId],
  );
  const pull = db.query("SELECT pg_advisory_xact_lock_shared($1)", [SOCIAL_FEED_LOCK_KEY]);
  const follows = db.query<{ followee_id: string }>("SELECT followee_id FROM social_follows WHERE follower_id = $1 ORDER BY seq", [userId]);
  await together([users, pull, follows]);
  const held = new Set((await users).rows.map((r) => r.id));
  const sources = (await follows).rows.map((r) => r.followee_id);
  const missing = sources.filter((id) => !held.has(id)).sort();
  if (missing.length > 0) await db.query("SELECT id FROM social_users WHERE id = ANY($1::text[]) ORDER BY id FOR SHARE", [missing]);
  return sources;
}
