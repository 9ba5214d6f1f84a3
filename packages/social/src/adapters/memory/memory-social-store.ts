import { MemoryStore, MemoryTable, type MemoryTransaction } from "@platform/core";
import type { Comment } from "../../domain/comment.js";
import type { Block, Follow, FollowRequest, Mute } from "../../domain/follow.js";
import type { Like } from "../../domain/like.js";
import type { Notification } from "../../domain/notification.js";
import type { Repost } from "../../domain/post.js";
import { usernameKey, type User } from "../../domain/user.js";
import type { FeedState } from "../../ports/feed-repository.js";
import type { SocialTx } from "../../ports/social-store.js";
import {
  MemoryActivityRepository,
  MemoryCommentRepository,
  MemoryLikeRepository,
  MemoryPostRepository,
  MemoryRepostRepository,
} from "./memory-content-repositories.js";
import { MemoryFeedRepository } from "./memory-feed-repository.js";
import { MemoryNotificationRepository } from "./memory-notification-repository.js";
import {
  MemoryBlockRepository,
  MemoryFollowRepository,
  MemoryFollowRequestRepository,
  MemoryMuteRepository,
} from "./memory-relationship-repositories.js";
import { pair, type MemorySocialTables } from "./memory-social-tables.js";
import { MemoryUserRepository } from "./memory-user-repository.js";
import { OrderedTable } from "./ordered-table.js";
import { socialCodes } from "../../domain/error-codes.js";
import { PostColumns } from "./post-columns.js";
import { ActivityColumns } from "./activity-columns.js";
import { StringInterner } from "./columns.js";
import { FeedLists } from "./feed-lists.js";
import { FollowEdges } from "./follow-edges.js";

/**
 * The default, in-memory social store: indexed tables (no scans for look-ups), ordered indexes
 * for every keyset list, serialised transactions with full rollback.
 * @example
 * ```ts
 * const store = new MemorySocialStore();
 * const social = createSocialMediaPlatform({ store });
 * ```
 */
export class MemorySocialStore extends MemoryStore<SocialTx> implements MemorySocialTables {
  private lastSeq = 0;
  /** @internal Store-wide increasing sequence (PostgreSQL: identity columns). */
  readonly nextSeq = (): number => ++this.lastSeq;

  /** @internal */ readonly userTable = this.table<User, "username" | "email" | "externalId">("users", {
    id: (u) => u.id,
    unique: {
      username: { key: (u) => usernameKey(u.username), code: socialCodes.username_taken },
      email: { key: (u) => u.email, code: socialCodes.email_taken },
      externalId: { key: (u) => u.externalId, code: socialCodes.external_id_taken },
    },
  });
  /** @internal */ readonly followTable = new OrderedTable<Follow, "pair", never>(this.runner, "follows", {
    id: (f) => f.id,
    unique: { pair: { key: (f) => pair(f.followerId, f.followeeId), code: socialCodes.already_following } },
    orders: {},
  });
  /**
   * @internal The follow graph by seq, holding user ids rather than follow row ids: a home feed
   * reads its ~200 sources as one array copy instead of 200 look-ups in a table of millions of rows.
   */
  readonly followEdges = new FollowEdges(this.runner);
  /** @internal */ readonly requestTable = new OrderedTable<FollowRequest, "pair", "incoming">(this.runner, "follow_requests", {
    id: (r) => r.id,
    unique: { pair: { key: (r) => pair(r.requesterId, r.targetId), code: socialCodes.already_requested } },
    orders: { incoming: (r) => r.targetId },
  });
  /** @internal */ readonly blockTable = this.table<Block, "pair">("blocks", {
    id: (b) => b.id,
    unique: { pair: { key: (b) => pair(b.blockerId, b.blockedId), code: socialCodes.already_blocked } },
  });
  /** @internal */ readonly muteTable = this.table<Mute, "pair">("mutes", {
    id: (m) => m.id,
    unique: { pair: { key: (m) => pair(m.muterId, m.mutedId), code: socialCodes.already_muted } },
  });
  /** User ids as small integers, shared by the columnar tables. */
  private readonly userCodes = new StringInterner();
  /** @internal Posts in columns: the bulk of the store, kept out of the garbage collector's way. */
  readonly postTable = new PostColumns(this.runner, this.userCodes);
  /** @internal */ readonly repostTable = new OrderedTable<Repost, "pair", "post">(this.runner, "reposts", {
    id: (r) => r.id,
    unique: { pair: { key: (r) => pair(r.userId, r.postId), code: socialCodes.already_reposted } },
    orders: { post: (r) => r.postId },
  });
  /** @internal */ readonly activityTable = new ActivityColumns(this.runner, this.userCodes);
  /** @internal */ readonly commentTable = new OrderedTable<Comment, never, "parent" | "post" | "live">(this.runner, "comments", {
    id: (c) => c.id,
    orders: {
      parent: (c) => (c.deletedAt ? null : pair(c.postId, c.parentId ?? "")),
      post: (c) => (c.deletedAt ? null : c.postId),
      live: (c) => (c.deletedAt ? null : "all"),
    },
  });
  /** @internal */ readonly likeTable = new OrderedTable<Like, "pair", "target" | "all">(this.runner, "likes", {
    id: (l) => l.id,
    unique: { pair: { key: (l) => `${l.userId}|${l.targetType}|${l.targetId}`, code: socialCodes.already_liked } },
    orders: { target: (l) => pair(l.targetType, l.targetId), all: () => "all" },
  });
  /** @internal */ readonly notificationTable = new OrderedTable<Notification, "dedupe", "recipient" | "unread" | "pair" | "all">(
    this.runner,
    "notifications",
    {
      id: (n) => n.id,
      unique: { dedupe: { key: (n) => pair(n.recipientId, n.dedupeKey), code: socialCodes.notification_exists } },
      orders: {
        recipient: (n) => n.recipientId,
        unread: (n) => (n.readAt ? null : n.recipientId),
        pair: (n) => pair(n.recipientId, n.actorId),
        all: () => "all",
      },
    },
  );
  /** @internal */ readonly feedStates: MemoryTable<FeedState> = this.table<FeedState>("feed_states", { id: (s) => s.userId });
  /** @internal */ readonly feedEntries = new FeedLists(this.runner, this.activityTable);

  private repositories: Omit<SocialTx, "outbox"> | undefined;

  protected createTransaction(tx: MemoryTransaction): SocialTx {
    // Repositories are stateless views over the tables: build them once.
    this.repositories ??= {
      users: new MemoryUserRepository(this),
      follows: new MemoryFollowRepository(this),
      followRequests: new MemoryFollowRequestRepository(this),
      blocks: new MemoryBlockRepository(this),
      mutes: new MemoryMuteRepository(this),
      posts: new MemoryPostRepository(this),
      reposts: new MemoryRepostRepository(this),
      activities: new MemoryActivityRepository(this),
      comments: new MemoryCommentRepository(this),
      likes: new MemoryLikeRepository(this),
      feeds: new MemoryFeedRepository(this),
      notifications: new MemoryNotificationRepository(this),
    };
    return { ...this.repositories, outbox: tx };
  }
}
