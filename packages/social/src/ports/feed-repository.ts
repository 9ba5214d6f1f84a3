import type { Keyset } from "./keyset.js";

/** One entry of a materialised home feed: a reference to an activity, never a copy of the post. */
export interface FeedEntry {
  readonly userId: string;
  readonly seq: number;
  readonly activityId: string;
  readonly actorId: string;
  readonly postId: string;
}

/**
 * The state of a user's materialised feed. It holds every push-delivered activity of the user's
 * sources with `seq >= floorSeq`; older ones were trimmed (or never loaded) and are read from
 * storage instead. `floorSeq` 0 means the feed is complete.
 */
export interface FeedState {
  readonly userId: string;
  readonly floorSeq: number;
}

/**
 * Materialised home feeds (fan-out on write), capped per user.
 * PostgreSQL: `feed_entries(user_id, seq, activity_id, actor_id, post_id)` with primary key
 * `(user_id, activity_id)` and an index on `(user_id, seq DESC)`; `feed_states(user_id, floor_seq)`.
 */
export interface FeedRepository {
  getState(userId: string): Promise<FeedState | null>;
  /** Replaces a user's feed with `entries` (a rebuild from storage) and its floor. */
  replace(userId: string, entries: readonly FeedEntry[], floorSeq: number): Promise<void>;
  /** Forgets a feed (eviction of an inactive user); the next read rebuilds it. */
  drop(userId: string): Promise<void>;
  /**
   * Adds one activity to the feeds of those `userIds` that are materialised (others will be
   * rebuilt on their next read), ignoring duplicates, then trims each touched feed to `cap`
   * entries, raising its floor. Returns the number of feeds written.
   * PostgreSQL: `INSERT ... SELECT ... FROM feed_states WHERE user_id = ANY($1) ON CONFLICT DO NOTHING`.
   */
  deliver(userIds: readonly string[], entry: Omit<FeedEntry, "userId">, cap: number): Promise<number>;
  /** Adds several entries to one materialised feed (backfill), then trims it to `cap`. */
  insertMany(userId: string, entries: readonly FeedEntry[], cap: number): Promise<void>;
  /** Raises the floor of a feed (never lowers it). */
  raiseFloor(userId: string, floorSeq: number): Promise<void>;
  /** Removes every entry of one actor from a user's feed (unfollow, block). */
  removeActor(userId: string, actorId: string): Promise<number>;
  /** Entries of a feed strictly below `before`, newest first. */
  page(userId: string, page: Keyset): Promise<FeedEntry[]>;
  /** Number of entries held for a user. */
  size(userId: string): Promise<number>;
}
