import type { MemoryTable } from "@platform/core";
import type { Comment } from "../../domain/comment.js";
import type { Block, Follow, FollowRequest, Mute } from "../../domain/follow.js";
import type { Like } from "../../domain/like.js";
import type { Notification } from "../../domain/notification.js";
import type { Repost } from "../../domain/post.js";
import type { User } from "../../domain/user.js";
import type { FeedState } from "../../ports/feed-repository.js";
import type { ActivityColumns } from "./activity-columns.js";
import type { FeedLists } from "./feed-lists.js";
import type { FollowEdges } from "./follow-edges.js";
import type { OrderedTable } from "./ordered-table.js";
import type { PostColumns } from "./post-columns.js";

/** Key of an ordered pair in unique indexes. */
export const pair = (a: string, b: string): string => `${a}|${b}`;

/**
 * @internal The tables of the memory social store, as its repositories see them. The repositories
 * depend on this shape rather than on `MemorySocialStore`, which builds them: no import cycle.
 */
export interface MemorySocialTables {
  /** Store-wide increasing sequence (PostgreSQL: identity columns). */
  readonly nextSeq: () => number;
  readonly userTable: MemoryTable<User, "username" | "email" | "externalId">;
  readonly followTable: OrderedTable<Follow, "pair", never>;
  readonly followEdges: FollowEdges;
  readonly requestTable: OrderedTable<FollowRequest, "pair", "incoming">;
  readonly blockTable: MemoryTable<Block, "pair">;
  readonly muteTable: MemoryTable<Mute, "pair">;
  readonly postTable: PostColumns;
  readonly repostTable: OrderedTable<Repost, "pair", "post">;
  readonly activityTable: ActivityColumns;
  readonly commentTable: OrderedTable<Comment, never, "parent" | "post" | "live">;
  readonly likeTable: OrderedTable<Like, "pair", "target" | "all">;
  readonly notificationTable: OrderedTable<Notification, "dedupe", "recipient" | "unread" | "pair" | "all">;
  readonly feedStates: MemoryTable<FeedState>;
  readonly feedEntries: FeedLists;
}
