import type { Block, Follow, FollowRequest, Mute } from "../domain/follow.js";
import type { Keyset } from "./keyset.js";

/**
 * Follows (accepted) and follow requests. Pairs are unique: PostgreSQL implements `insertIfAbsent`
 * with `INSERT ... ON CONFLICT (follower_id, followee_id) DO NOTHING RETURNING *` and `delete`
 * with `DELETE ... RETURNING *`, so counters move only when a row really appeared or vanished.
 */
export interface FollowRepository {
  /** The inserted follow, or null when the pair already existed. */
  insertIfAbsent(follow: Omit<Follow, "seq">): Promise<Follow | null>;
  /** The deleted follow, or null when there was none. */
  delete(followerId: string, followeeId: string): Promise<Follow | null>;
  get(followerId: string, followeeId: string): Promise<Follow | null>;
  /** Followers of a user, newest follow first. */
  listFollowers(userId: string, page: Keyset): Promise<Follow[]>;
  /** Accounts a user follows, newest follow first. */
  listFollowing(userId: string, page: Keyset): Promise<Follow[]>;
  /** Ids of every account a user follows (home-feed sources). */
  followingIds(userId: string): Promise<string[]>;
  /** Ids of every follower (fan-out targets). */
  followerIds(userId: string): Promise<string[]>;
  countFollowers(userId: string): Promise<number>;
  countFollowing(userId: string): Promise<number>;
  count(): Promise<number>;
}

/** Pending follow requests to private accounts (unique per pair). */
export interface FollowRequestRepository {
  insertIfAbsent(request: Omit<FollowRequest, "seq">): Promise<FollowRequest | null>;
  delete(requesterId: string, targetId: string): Promise<FollowRequest | null>;
  get(requesterId: string, targetId: string): Promise<FollowRequest | null>;
  /** Requests waiting for a user's decision, newest first. */
  listIncoming(targetId: string, page: Keyset): Promise<FollowRequest[]>;
}

/** Blocks (unique per ordered pair). */
export interface BlockRepository {
  insertIfAbsent(block: Block): Promise<Block | null>;
  delete(blockerId: string, blockedId: string): Promise<Block | null>;
  get(blockerId: string, blockedId: string): Promise<Block | null>;
  /** True when either user blocks the other. */
  eitherBlocks(a: string, b: string): Promise<boolean>;
  /** Of `others`, those that block `userId` or are blocked by them. */
  blockedAmong(userId: string, others: readonly string[]): Promise<Set<string>>;
}

/** Mutes (unique per ordered pair). */
export interface MuteRepository {
  insertIfAbsent(mute: Mute): Promise<Mute | null>;
  /** Replaces the options of an existing mute. */
  put(mute: Mute): Promise<void>;
  delete(muterId: string, mutedId: string): Promise<Mute | null>;
  get(muterId: string, mutedId: string): Promise<Mute | null>;
  /** Of `others`, those `muterId` muted. */
  mutedAmong(muterId: string, others: readonly string[]): Promise<Map<string, Mute>>;
}
