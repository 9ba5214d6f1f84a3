import { together } from "@platform/core";
import type { Queryable } from "@platform/core/postgres";
import type { FeedEntry, FeedRepository, FeedState } from "../../ports/feed-repository.js";
import type { Keyset } from "../../ports/keyset.js";
import { lockedStateSql, SOCIAL_FEED_LOCK_KEY } from "./feed-lock.js";
import { cacheOf, noteFeedCandidates } from "./read-cache.js";
import { beforeBound, run } from "./sql-errors.js";

/**
 * {@link FeedRepository} on `social_feed_states (user_id, floor_seq, size)` and
 * `social_feed_entries` (primary key `(user_id, seq)`): materialised home feeds, capped per user.
 * `size` is kept in step with the entries so a fan-out trims only the feeds that went over the cap.
 */
export class PostgresFeedRepository implements FeedRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * Reads the state under the home-read locks (see `feed-lock.ts`): the row shared, so the floor is
   * the one after any delivery in flight (a trim raises it), and the pull lock shared.
   */
  async getState(userId: string): Promise<FeedState | null> {
    const { rows } = await run<{ user_id: string; floor_seq: string }>(
      this.db,
      `${lockedStateSql} SELECT st.user_id, st.floor_seq FROM pl JOIN st ON true`,
      [userId, SOCIAL_FEED_LOCK_KEY],
    );
    return rows[0] ? { userId: rows[0].user_id, floorSeq: Number(rows[0].floor_seq) } : null;
  }

  async replace(userId: string, entries: readonly FeedEntry[], floorSeq: number): Promise<void> {
    // Two statements sent together. The state row first: two readers rebuilding the same feed at
    // once take turns here, and the second statement (its snapshot taken after the first returned)
    // sees the first one's entries. It keeps the entries of the new set that are already there and
    // deletes the others, so its DELETE and INSERT never touch the same row and their order in the
    // statement does not matter.
    const seqs = entries.map((e) => e.seq);
    const state = run(
      this.db,
      `INSERT INTO social_feed_states (user_id, floor_seq, size) VALUES ($1, $2, $3)
       ON CONFLICT (user_id) DO UPDATE SET floor_seq = EXCLUDED.floor_seq, size = EXCLUDED.size`,
      [userId, floorSeq, new Set(seqs).size],
    );
    const rows = run(
      this.db,
      `WITH gone AS (DELETE FROM social_feed_entries WHERE user_id = $1 AND NOT (seq = ANY($2::bigint[])))
       INSERT INTO social_feed_entries (user_id, seq, activity_id, actor_id, post_id)
       SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[])
       ON CONFLICT DO NOTHING`,
      [userId, seqs, entries.map((e) => e.activityId), entries.map((e) => e.actorId), entries.map((e) => e.postId)],
    );
    await together([state, rows]);
  }

  async drop(userId: string): Promise<void> {
    await run(this.db, "DELETE FROM social_feed_states WHERE user_id = $1", [userId]);
    await run(this.db, "DELETE FROM social_feed_entries WHERE user_id = $1", [userId]);
  }

  async deliver(userIds: readonly string[], entry: Omit<FeedEntry, "userId">, cap: number): Promise<number> {
    if (userIds.length === 0) return 0;
    const { rows } = await run<{ written: number; over: string[] }>(
      this.db,
      `WITH targets AS (
         SELECT user_id FROM social_feed_states WHERE user_id = ANY($1::text[]) ORDER BY user_id FOR NO KEY UPDATE
       ), ins AS (
         INSERT INTO social_feed_entries (user_id, seq, activity_id, actor_id, post_id)
         SELECT user_id, $2, $3, $4, $5 FROM targets
         ON CONFLICT DO NOTHING RETURNING user_id
       ), grown AS (
         UPDATE social_feed_states s SET size = s.size + 1 FROM ins WHERE s.user_id = ins.user_id RETURNING s.user_id, s.size
       )
       SELECT (SELECT count(*)::int FROM targets) AS written, ARRAY(SELECT user_id FROM grown WHERE size > $6) AS over`,
      [[...new Set(userIds)], entry.seq, entry.activityId, entry.actorId, entry.postId, cap],
    );
    const { written, over } = rows[0]!;
    if (over.length > 0) await this.trim(over, cap);
    return written;
  }

  async insertMany(userId: string, entries: readonly FeedEntry[], cap: number): Promise<void> {
    if (entries.length === 0) return;
    const { rows } = await run<{ size: number }>(this.db, "SELECT size FROM social_feed_states WHERE user_id = $1 FOR UPDATE", [userId]);
    if (!rows[0]) return;
    const inserted = await this.insertEntries(userId, entries);
    if (inserted === 0) return;
    await run(this.db, "UPDATE social_feed_states SET size = size + $2 WHERE user_id = $1", [userId, inserted]);
    if (rows[0].size + inserted > cap) await this.trim([userId], cap);
  }

  async raiseFloor(userId: string, floorSeq: number): Promise<void> {
    await run(this.db, "UPDATE social_feed_states SET floor_seq = GREATEST(floor_seq, $2) WHERE user_id = $1", [userId, floorSeq]);
  }

  async removeActor(userId: string, actorId: string): Promise<number> {
    const { rows } = await run<{ n: number }>(
      this.db,
      `WITH gone AS (DELETE FROM social_feed_entries WHERE user_id = $1 AND actor_id = $2 RETURNING 1),
            n AS (SELECT count(*)::int AS n FROM gone),
            upd AS (UPDATE social_feed_states SET size = GREATEST(size - (SELECT n FROM n), 0) WHERE user_id = $1 AND (SELECT n FROM n) > 0)
       SELECT n FROM n`,
      [userId, actorId],
    );
    return rows[0]!.n;
  }

  async page(userId: string, page: Keyset): Promise<FeedEntry[]> {
    // A home read: the reader is known before the statement goes out (a pull read may be in flight
    // with it). The entries only: the posts, people and relations of the ones a page hydrates are
    // loaded in bulk when it asks for them (`prefetchFeedRows`).
    const cache = cacheOf(this.db);
    if (cache) cache.viewer = userId;
    const { rows } = await run<{ seq: string; activity_id: string; actor_id: string; post_id: string }>(
      this.db,
      "SELECT seq, activity_id, actor_id, post_id FROM social_feed_entries WHERE user_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3",
      [userId, beforeBound(page.before), page.limit],
    );
    const entries = rows.map((r) => ({ userId, seq: Number(r.seq), activityId: r.activity_id, actorId: r.actor_id, postId: r.post_id }));
    noteFeedCandidates(this.db, page.limit, entries, (e) => e.activityId);
    return entries;
  }

  async size(userId: string): Promise<number> {
    const { rows } = await run<{ n: number }>(this.db, "SELECT count(*)::int AS n FROM social_feed_entries WHERE user_id = $1", [userId]);
    return rows[0]!.n;
  }

  private async insertEntries(userId: string, entries: readonly FeedEntry[]): Promise<number> {
    if (entries.length === 0) return 0;
    const { rowCount } = await run(
      this.db,
      `INSERT INTO social_feed_entries (user_id, seq, activity_id, actor_id, post_id)
       SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[])
       ON CONFLICT DO NOTHING`,
      [userId, entries.map((e) => e.seq), entries.map((e) => e.activityId), entries.map((e) => e.actorId), entries.map((e) => e.postId)],
    );
    return rowCount ?? 0;
  }

  /**
   * Trims each feed to its `cap` newest entries, deleting the oldest ones from the bottom of the
   * `(user_id, seq)` index (cost: the excess, not the cap); the floor rises to the oldest entry kept.
   */
  private async trim(userIds: readonly string[], cap: number): Promise<void> {
    await run(
      this.db,
      `WITH over AS (
         SELECT user_id, size - $2 AS excess FROM social_feed_states WHERE user_id = ANY($1::text[]) AND size > $2
       ), del AS (
         DELETE FROM social_feed_entries e
         USING (SELECT o.user_id, x.seq FROM over o CROSS JOIN LATERAL (
                  SELECT seq FROM social_feed_entries WHERE user_id = o.user_id ORDER BY seq LIMIT o.excess) x) d
         WHERE e.user_id = d.user_id AND e.seq = d.seq
         RETURNING e.user_id, e.seq
       ), counts AS (
         SELECT user_id, count(*)::int AS n, max(seq) AS top FROM del GROUP BY user_id
       )
       UPDATE social_feed_states s
       SET size = s.size - c.n,
           floor_seq = GREATEST(s.floor_seq, COALESCE((SELECT min(e.seq) FROM social_feed_entries e WHERE e.user_id = s.user_id AND e.seq > c.top), s.floor_seq))
       FROM counts c WHERE s.user_id = c.user_id`,
      [userIds, cap],
    );
  }
}
