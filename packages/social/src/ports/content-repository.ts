import type { Comment } from "../domain/comment.js";
import type { Like, LikeTarget } from "../domain/like.js";
import type { Activity, Delivery, Post, PostCounters, Repost } from "../domain/post.js";
import type { Keyset } from "./keyset.js";

/** Counter moves applied atomically by SQL (`likes_count = likes_count + $1`). */
export type PostCounterDelta = Partial<Record<keyof PostCounters, number>>;

/** Posts. `insert` assigns the seq (PostgreSQL: an identity column). */
export interface PostRepository {
  insert(post: Omit<Post, "seq">): Promise<Post>;
  get(id: string): Promise<Post | null>;
  getMany(ids: readonly string[]): Promise<Map<string, Post>>;
  /** Writes content fields and tombstones (`deletedAt`); never counters. */
  update(
    id: string,
    patch: Partial<Pick<Post, "content" | "images" | "hashtags" | "mentionIds" | "editedAt" | "deletedAt" | "updatedAt">>,
  ): Promise<Post>;
  incrementCounters(id: string, delta: PostCounterDelta): Promise<Post>;
  setCounters(id: string, counters: PostCounters): Promise<void>;
  /** Live posts of an author, newest first. */
  listByAuthor(authorId: string, page: Keyset): Promise<Post[]>;
  /** Live posts carrying a (normalised) hashtag, newest first. */
  listByHashtag(tag: string, page: Keyset): Promise<Post[]>;
  /** Live posts of an author (for recounts). */
  countByAuthor(authorId: string): Promise<number>;
  /** Live posts. */
  count(): Promise<number>;
}

/** Reposts, unique per (user, post). */
export interface RepostRepository {
  insertIfAbsent(repost: Omit<Repost, "seq">): Promise<Repost | null>;
  delete(userId: string, postId: string): Promise<Repost | null>;
  get(userId: string, postId: string): Promise<Repost | null>;
  countByPost(postId: string): Promise<number>;
}

/**
 * Author timelines: one activity per post and per repost, ordered by seq.
 * PostgreSQL: `activities(actor_id, delivery, seq)` with an index on `(actor_id, delivery, seq DESC)`.
 */
export interface ActivityRepository {
  insert(activity: Activity): Promise<void>;
  delete(id: string): Promise<boolean>;
  /**
   * The newest activities of several actors merged (`actor_id = ANY($1)`), strictly below
   * `before` and at or above `atLeast`, optionally of one delivery only.
   */
  listByActors(actorIds: readonly string[], page: Keyset & { atLeast?: number | null; delivery?: Delivery }): Promise<Activity[]>;
}

/** Comments and replies. */
export interface CommentRepository {
  insert(comment: Omit<Comment, "seq">): Promise<Comment>;
  get(id: string): Promise<Comment | null>;
  update(id: string, patch: Partial<Pick<Comment, "content" | "mentionIds" | "editedAt" | "deletedAt" | "updatedAt">>): Promise<Comment>;
  incrementCounters(id: string, delta: { likesCount?: number; repliesCount?: number }): Promise<Comment>;
  setCounters(id: string, counters: { likesCount: number; repliesCount: number }): Promise<void>;
  /** Live comments of a post under `parentId` (null = top level), oldest first as threads read. */
  listByParent(postId: string, parentId: string | null, page: { after?: number | null; limit: number }): Promise<Comment[]>;
  /** Live comments of a post (all levels). */
  countByPost(postId: string): Promise<number>;
  /** Live direct replies of a comment. */
  countReplies(commentId: string): Promise<number>;
  count(): Promise<number>;
}

/** Likes, unique per (user, target). */
export interface LikeRepository {
  insertIfAbsent(like: Omit<Like, "seq">): Promise<Like | null>;
  delete(userId: string, targetType: LikeTarget, targetId: string): Promise<Like | null>;
  get(userId: string, targetType: LikeTarget, targetId: string): Promise<Like | null>;
  /** Likes of a target, newest first. */
  listByTarget(targetType: LikeTarget, targetId: string, page: Keyset): Promise<Like[]>;
  countByTarget(targetType: LikeTarget, targetId: string): Promise<number>;
  count(): Promise<number>;
}
