import {
  CursorCodec,
  defaultCursorCodec,
  EventBus,
  silentLogger,
  systemClock,
  traceService,
  traceTransactions,
  type BackgroundDuty,
  type Clock,
  type EventBusOptions,
  type Logger,
} from "@platform/core";
import { MemorySocialStore } from "./adapters/memory/memory-social-store.js";
import type { SocialEventMap } from "./domain/events.js";
import { DEFAULT_RANKING, type RankingOptions } from "./domain/ranking.js";
import type { SocialStore } from "./ports/social-store.js";
import { CommentService } from "./services/comment-service.js";
import type { SocialConfig, ServiceContext } from "./services/context.js";
import { FeedDelivery } from "./services/feed-delivery.js";
import { FeedService } from "./services/feed-service.js";
import { FollowGraph } from "./services/follow-graph.js";
import { FollowService } from "./services/follow-service.js";
import { LikeService } from "./services/like-service.js";
import { NotificationService } from "./services/notification-service.js";
import { Notifier } from "./services/notifier.js";
import { PostService } from "./services/post-service.js";
import { RelationshipService } from "./services/relationship-service.js";
import { UserService } from "./services/user-service.js";

/** Options of {@link createSocialMediaPlatform}; every one has a working default. */
export interface SocialPlatformOptions {
  /** Storage (default: a new {@link MemorySocialStore}). */
  store?: SocialStore;
  /** Time source (default: the system clock). */
  clock?: Clock;
  /** Secret of the cursor HMAC: give every app server the same one. Default: random per process. Shorter than 32 characters: ConfigurationError `weak_cursor_secret`. */
  cursorSecret?: string;
  /** Follower count above which an author's posts are merged at read time (default 10,000). */
  fanoutThreshold?: number;
  /** Entries kept per materialised home feed (default 800). */
  feedCap?: number;
  /** Items the ranked feed scores (default 200). */
  rankedWindow?: number;
  ranking?: Partial<RankingOptions>;
  /** Options of the event bus (subscriber error hook). */
  events?: EventBusOptions;
  /**
   * Structured logger, pino-compatible (`info`/`warn`/`error`/`debug` taking fields and a message).
   * Receives subscriber failures and idle PostgreSQL connection errors. Secrets are redacted. Default: silent.
   */
  logger?: Logger;
}

/** The social platform: one service per service of the specification, plus the event bus. */
export interface SocialMediaPlatform {
  readonly users: UserService;
  readonly posts: PostService;
  readonly comments: CommentService;
  readonly likes: LikeService;
  readonly follows: FollowService;
  readonly feeds: FeedService;
  readonly notifications: NotificationService;
  /** Committed events (`user.created`, `post.liked` ...), delivered after their transaction. */
  readonly events: EventBus<SocialEventMap>;
  /** The store the platform runs on. */
  readonly store: SocialStore;
  /** The effective tunables. */
  readonly config: Readonly<SocialConfig>;
  /**
   * What `createWorker({ social })` from `@platform/core` runs: nothing today. Home feeds are capped
   * on write, and `feeds.evict` needs the host's notion of an inactive user.
   */
  readonly backgroundDuties: readonly BackgroundDuty[];
}

/**
 * Builds the social platform from its ports.
 * @throws nothing at build time; each service documents its own error codes.
 * @example
 * ```ts
 * const social = createSocialMediaPlatform();
 * const john = await social.users.create(ANONYMOUS_ACTOR, { username: "john_doe", email: "john@example.com", name: "John Doe" });
 * const actor = { id: john.id, roles: [] };  // the host builds it from its own authentication
 * await social.posts.create(actor, { content: "Hello #world" });
 * const feed = await social.feeds.home(actor);
 * ```
 */
export function createSocialMediaPlatform(options: SocialPlatformOptions = {}): SocialMediaPlatform {
  const store: SocialStore = options.store ?? new MemorySocialStore();
  store.setLogger?.(options.logger ?? silentLogger);
  const events = new EventBus<SocialEventMap>(
    options.events?.onError || !options.logger ? options.events : { ...options.events, logger: options.logger },
  );
  store.setEventPublisher((batch) => events.publish(batch));
  const config: SocialConfig = {
    fanoutThreshold: options.fanoutThreshold ?? 10_000,
    feedCap: options.feedCap ?? 800,
    rankedWindow: options.rankedWindow ?? 200,
    ranking: { ...DEFAULT_RANKING, ...options.ranking },
  };
  const ctx: ServiceContext = {
    // Services see a store whose transactions are traced (social.store.transaction).
    store: traceTransactions(store, "social"),
    clock: options.clock ?? systemClock,
    codec: options.cursorSecret === undefined ? defaultCursorCodec : new CursorCodec(options.cursorSecret),
    config,
  };
  const notifier = new Notifier(ctx);
  const delivery = new FeedDelivery(ctx);
  const graph = new FollowGraph(ctx, delivery, notifier);
  // Each public service call is one span, `social.<service>.<method>`.
  return {
    users: traceService(new UserService(ctx, new RelationshipService(ctx, graph), graph), "social.users"),
    posts: traceService(new PostService(ctx, delivery, notifier), "social.posts"),
    comments: traceService(new CommentService(ctx, notifier), "social.comments"),
    likes: traceService(new LikeService(ctx, notifier), "social.likes"),
    follows: traceService(new FollowService(ctx, graph, notifier), "social.follows"),
    feeds: traceService(new FeedService(ctx, delivery), "social.feeds"),
    notifications: traceService(new NotificationService(ctx), "social.notifications"),
    events,
    store,
    config,
    backgroundDuties: [],
  };
}
