import type { Comment } from "../../domain/comment.js";
import type { Block, Follow, FollowRequest, Mute } from "../../domain/follow.js";
import type { Like, LikeTarget } from "../../domain/like.js";
import type { Notification, NotificationType } from "../../domain/notification.js";
import type { Activity, Delivery, Post, PostVisibility, Repost } from "../../domain/post.js";
import type { User, UserRole } from "../../domain/user.js";

// Row mappers: node-postgres returns bigint as string, timestamptz as Date, text[] as string[].

/** A `social_users` row. */
export interface UserRow {
  id: string;
  username: string;
  email: string;
  name: string;
  bio: string;
  avatar_url: string | null;
  is_private: boolean;
  is_verified: boolean;
  role: UserRole;
  external_id: string | null;
  followers_count: number;
  following_count: number;
  posts_count: number;
  created_at: Date;
  updated_at: Date;
}
/** @internal */
export const toUser = (r: UserRow): User => ({
  id: r.id,
  username: r.username,
  email: r.email,
  name: r.name,
  bio: r.bio,
  avatarUrl: r.avatar_url,
  isPrivate: r.is_private,
  isVerified: r.is_verified,
  role: r.role,
  externalId: r.external_id,
  followersCount: r.followers_count,
  followingCount: r.following_count,
  postsCount: r.posts_count,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** A `social_follows` row. */
export interface FollowRow {
  id: string;
  seq: string;
  follower_id: string;
  followee_id: string;
  created_at: Date;
}
/** @internal */
export const toFollow = (r: FollowRow): Follow => ({
  id: r.id,
  seq: Number(r.seq),
  followerId: r.follower_id,
  followeeId: r.followee_id,
  createdAt: r.created_at,
});

/** A `social_follow_requests` row. */
export interface FollowRequestRow {
  id: string;
  seq: string;
  requester_id: string;
  target_id: string;
  created_at: Date;
}
/** @internal */
export const toFollowRequest = (r: FollowRequestRow): FollowRequest => ({
  id: r.id,
  seq: Number(r.seq),
  requesterId: r.requester_id,
  targetId: r.target_id,
  createdAt: r.created_at,
});

/** A `social_blocks` row. */
export interface BlockRow {
  id: string;
  blocker_id: string;
  blocked_id: string;
  created_at: Date;
}
/** @internal */
export const toBlock = (r: BlockRow): Block => ({ id: r.id, blockerId: r.blocker_id, blockedId: r.blocked_id, createdAt: r.created_at });

/** A `social_mutes` row. */
export interface MuteRow {
  id: string;
  muter_id: string;
  muted_id: string;
  hide_notifications: boolean;
  created_at: Date;
}
/** @internal */
export const toMute = (r: MuteRow): Mute => ({
  id: r.id,
  muterId: r.muter_id,
  mutedId: r.muted_id,
  hideNotifications: r.hide_notifications,
  createdAt: r.created_at,
});

/** A `social_posts` row. */
export interface PostRow {
  id: string;
  seq: string;
  author_id: string;
  content: string;
  images: string[];
  visibility: PostVisibility;
  hashtags: string[];
  mention_ids: string[];
  delivery: Delivery;
  likes_count: number;
  comments_count: number;
  reposts_count: number;
  created_at: Date;
  updated_at: Date;
  edited_at: Date | null;
  deleted_at: Date | null;
}
/** @internal */
export const toPost = (r: PostRow): Post => ({
  id: r.id,
  seq: Number(r.seq),
  authorId: r.author_id,
  content: r.content,
  images: r.images,
  visibility: r.visibility,
  hashtags: r.hashtags,
  mentionIds: r.mention_ids,
  delivery: r.delivery,
  likesCount: r.likes_count,
  commentsCount: r.comments_count,
  repostsCount: r.reposts_count,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  editedAt: r.edited_at,
  deletedAt: r.deleted_at,
});

/** A `social_reposts` row. */
export interface RepostRow {
  id: string;
  seq: string;
  user_id: string;
  post_id: string;
  delivery: Delivery;
  created_at: Date;
}
/** @internal */
export const toRepost = (r: RepostRow): Repost => ({
  id: r.id,
  seq: Number(r.seq),
  userId: r.user_id,
  postId: r.post_id,
  delivery: r.delivery,
  createdAt: r.created_at,
});

/** A `social_activities` row. */
export interface ActivityRow {
  id: string;
  seq: string;
  actor_id: string;
  verb: Activity["verb"];
  post_id: string;
  delivery: Delivery;
  created_at: Date;
}
/** @internal */
export const toActivity = (r: ActivityRow): Activity => ({
  id: r.id,
  seq: Number(r.seq),
  actorId: r.actor_id,
  verb: r.verb,
  postId: r.post_id,
  delivery: r.delivery,
  createdAt: r.created_at,
});

/** A `social_comments` row. */
export interface CommentRow {
  id: string;
  seq: string;
  post_id: string;
  author_id: string;
  parent_id: string | null;
  content: string;
  mention_ids: string[];
  likes_count: number;
  replies_count: number;
  created_at: Date;
  updated_at: Date;
  edited_at: Date | null;
  deleted_at: Date | null;
}
/** @internal */
export const toComment = (r: CommentRow): Comment => ({
  id: r.id,
  seq: Number(r.seq),
  postId: r.post_id,
  authorId: r.author_id,
  parentId: r.parent_id,
  content: r.content,
  mentionIds: r.mention_ids,
  likesCount: r.likes_count,
  repliesCount: r.replies_count,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  editedAt: r.edited_at,
  deletedAt: r.deleted_at,
});

/** A `social_likes` row. */
export interface LikeRow {
  id: string;
  seq: string;
  user_id: string;
  target_type: LikeTarget;
  target_id: string;
  created_at: Date;
}
/** @internal */
export const toLike = (r: LikeRow): Like => ({
  id: r.id,
  seq: Number(r.seq),
  userId: r.user_id,
  targetType: r.target_type,
  targetId: r.target_id,
  createdAt: r.created_at,
});

/** A `social_notifications` row. */
export interface NotificationRow {
  id: string;
  seq: string;
  recipient_id: string;
  type: NotificationType;
  actor_id: string;
  post_id: string | null;
  comment_id: string | null;
  dedupe_key: string;
  group_key: string;
  read_at: Date | null;
  created_at: Date;
}
/** @internal */
export const toNotification = (r: NotificationRow): Notification => ({
  id: r.id,
  seq: Number(r.seq),
  recipientId: r.recipient_id,
  type: r.type,
  actorId: r.actor_id,
  postId: r.post_id,
  commentId: r.comment_id,
  dedupeKey: r.dedupe_key,
  groupKey: r.group_key,
  readAt: r.read_at,
  createdAt: r.created_at,
});
