/**
 * @platform/social: users and profiles, posts, comments, likes, follows, blocks and mutes, hybrid
 * home feeds and notifications, on the in-memory store by default.
 * @packageDocumentation
 */
export { createSocialMediaPlatform, type SocialMediaPlatform, type SocialPlatformOptions } from "./create-social-media-platform.js";

// Services
export {
  UserService,
  recountUserSchema,
  externalIdLookupSchema,
  linkExternalIdSchema,
  relationship,
  type RecountResult,
} from "./services/user-service.js";
export { RelationshipService } from "./services/relationship-service.js";
export { FollowService, followListSchema } from "./services/follow-service.js";
export { PostService, recountPostSchema } from "./services/post-service.js";
export { CommentService, recountCommentSchema } from "./services/comment-service.js";
export { LikeService } from "./services/like-service.js";
export { FeedService, profileTimelineSchema, rankedFeedSchema, feedTargetSchema } from "./services/feed-service.js";
export { NotificationService, toNotificationJSON, type NotificationView, type NotificationJSON } from "./services/notification-service.js";
export type { SocialConfig } from "./services/context.js";

// Domain
export { SOCIAL_ERROR_CODES, socialCodes, type SocialErrorCode } from "./domain/error-codes.js";
export * from "./domain/limits.js";
export { userIdSchema, postIdSchema, commentIdSchema, notificationIdSchema, codedUrlSchema } from "./domain/schemas.js";
export {
  type User,
  type UserRole,
  type UserCounters,
  type UserSummary,
  type Profile,
  type Relationship,
  type CreateUserInput,
  RESERVED_USERNAMES,
  usernameKey,
  usernameSchema,
  createUserSchema,
  externalIdSchema,
  updateProfileSchema,
  setVerifiedSchema,
  userTargetSchema,
  usernameLookupSchema,
  summarize,
  toUserJSON,
  type UserJSON,
} from "./domain/user.js";
export {
  type Follow,
  type FollowRequest,
  type Block,
  type Mute,
  type FollowOutcome,
  relationTargetSchema,
  muteSchema,
  followRequestTargetSchema,
} from "./domain/follow.js";
export {
  type Post,
  type PostView,
  type PostVisibility,
  type PostCounters,
  type Repost,
  type Activity,
  type Delivery,
  contentSchema,
  createPostSchema,
  editPostSchema,
  postTargetSchema,
  postsByUserSchema,
  postsByHashtagSchema,
  postPageSchema,
  postView,
} from "./domain/post.js";
export {
  type Comment,
  type CommentView,
  createCommentSchema,
  editCommentSchema,
  commentTargetSchema,
  listCommentsSchema,
  commentPageSchema,
  commentView,
} from "./domain/comment.js";
export type { Like, LikeTarget } from "./domain/like.js";
export type { FeedItem, RankedFeedItem } from "./domain/feed.js";
export {
  type Notification,
  type NotificationType,
  type NotificationCandidate,
  listNotificationsSchema,
  markReadSchema,
} from "./domain/notification.js";
export {
  shouldNotify,
  candidatesForPost,
  candidatesForComment,
  notificationKeys,
  actionText,
  type RecipientRelation,
} from "./domain/notification-rules.js";
export { groupNotifications, actorsPhrase, type NotificationGroup } from "./domain/notification-grouping.js";
export { rankScore, DEFAULT_RANKING, type RankingOptions } from "./domain/ranking.js";
export { canSeePost, canSeeContentOf, isRepostable, type ViewerRelation } from "./domain/visibility.js";
export { extractHashtags, extractMentions, codePointLength } from "./domain/text.js";
export type { SocialEventMap } from "./domain/events.js";

// Ports
export type { SocialStore, SocialTx } from "./ports/social-store.js";
export type { Keyset } from "./ports/keyset.js";
export type { UserRepository, UserCounterDelta } from "./ports/user-repository.js";
export type { FollowRepository, FollowRequestRepository, BlockRepository, MuteRepository } from "./ports/relationship-repository.js";
export type {
  PostRepository,
  RepostRepository,
  ActivityRepository,
  CommentRepository,
  LikeRepository,
  PostCounterDelta,
} from "./ports/content-repository.js";
export type { FeedRepository, FeedEntry, FeedState } from "./ports/feed-repository.js";
export type { NotificationRepository } from "./ports/notification-repository.js";

// Memory adapter (the default store)
export { MemorySocialStore } from "./adapters/memory/memory-social-store.js";
