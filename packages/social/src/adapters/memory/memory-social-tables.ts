import type { MemoryTable } from "@platform/core";
import type { Comment } from "../../domain/comment.js";
import type { Block, Follow, FollowRequest, Mute } from "../../domain/follow.js";
import type { Like } from "../../domain/like.js";
import type { Notification } from "../../domain/notification.js";
import type { Activity, Post, Repost } from "../../domain/post.js";
import type { User } from "../../domain/user.js";
import type { FeedState } from "../../ports/feed-repository.js";
import type { OrderedTable } from "./ordered-table.js";
import type { SortedLists } from "./sorted-lists.js";

/** Key of an ordered pair in unique indexes. */
export const pair = (a: string, b: string): string => `${a}|${b}`;

/** A feed entry without its user and seq (both are the list's key and position): small in memory. */
export interface CompactFeedEntry {
  readonly activityId: string;
  readonly actorId: string;
  readonly postId: string;
}

/**
 * @internal The tables of the memory social store, as its repositories see them. The repositories
 * depend on this shape rather than on `MemorySocialStore`, which builds them: no import cycle.
 */
export interface MemorySocialTables {
  /** Store-wide increasing sequence (PostgreSQL: identity columns). */
  readonly nextSeq: () => number;
  readonly userTable: MemoryTable<User, "username" | "email" | "externalId">;
  readonly followTable: OrderedTable<Follow, "pair", "followers" | "following">;
  readonly requestTable: OrderedTable<FollowRequest, "pair", "incoming">;
  readonly blockTable: MemoryTable<Block, "pair">;
  readonly muteTable: MemoryTable<Mute, "pair">;
  readonly postTable: OrderedTable<Post, never, "author" | "hashtag" | "live">;
  readonly repostTable: OrderedTable<Repost, "pair", "post">;
  readonly activityTable: OrderedTable<Activity, never, "actor">;
  readonly commentTable: OrderedTable<Comment, never, "parent" | "post" | "live">;
  readonly likeTable: OrderedTable<Like, "pair", "target" | "all">;
  readonly notificationTable: OrderedTable<Notification, "dedupe", "recipient" | "unread" | "pair" | "all">;
  readonly feedStates: MemoryTable<FeedState>;
  readonly feedEntries: SortedLists<CompactFeedEntry>;
}
