import { NotFoundError } from "@platform/core";
import type { Comment } from "../../domain/comment.js";
import type { Like, LikeTarget } from "../../domain/like.js";
import type { Activity, Delivery, Post, PostCounters, Repost } from "../../domain/post.js";
import type {
  ActivityRepository,
  CommentRepository,
  LikeRepository,
  PostCounterDelta,
  PostRepository,
  RepostRepository,
} from "../../ports/content-repository.js";
import type { Keyset } from "../../ports/keyset.js";
import { pair, type MemorySocialTables } from "./memory-social-tables.js";
import { socialCodes } from "../../domain/error-codes.js";
import type { PostColumns } from "./post-columns.js";

/** {@link PostRepository} on the memory store. */
export class MemoryPostRepository implements PostRepository {
  constructor(private readonly store: MemorySocialTables) {}

  async insert(post: Omit<Post, "seq">): Promise<Post> {
    return this.store.postTable.insert({ ...post, seq: this.store.nextSeq() });
  }

  async get(id: string): Promise<Post | null> {
    return this.store.postTable.get(id) ?? null;
  }

  async getMany(ids: readonly string[]): Promise<Map<string, Post>> {
    const out = new Map<string, Post>();
    for (const id of ids) {
      const p = this.store.postTable.get(id);
      if (p) out.set(id, p);
    }
    return out;
  }

  async update(
    id: string,
    patch: Partial<Pick<Post, "content" | "images" | "hashtags" | "mentionIds" | "editedAt" | "deletedAt" | "updatedAt">>,
  ): Promise<Post> {
    return this.write(id, patch);
  }

  async incrementCounters(id: string, delta: PostCounterDelta): Promise<Post> {
    const p = this.require(id);
    return this.write(id, {
      likesCount: p.likesCount + (delta.likesCount ?? 0),
      commentsCount: p.commentsCount + (delta.commentsCount ?? 0),
      repostsCount: p.repostsCount + (delta.repostsCount ?? 0),
    });
  }

  async setCounters(id: string, counters: PostCounters): Promise<void> {
    this.write(id, counters);
  }

  async listByAuthor(authorId: string, page: Keyset): Promise<Post[]> {
    return this.store.postTable.pageByAuthor(authorId, page.before, page.limit);
  }

  async listByHashtag(tag: string, page: Keyset): Promise<Post[]> {
    return this.store.postTable.pageByHashtag(tag, page.before, page.limit);
  }

  async countByAuthor(authorId: string): Promise<number> {
    return this.store.postTable.countByAuthor(authorId);
  }

  async count(): Promise<number> {
    return this.store.postTable.liveCount;
  }

  private require(id: string): Post {
    const p = this.store.postTable.get(id);
    if (!p) throw NotFoundError.of(socialCodes.post_not_found, "post", id);
    return p;
  }

  private write(id: string, patch: Parameters<PostColumns["update"]>[1]): Post {
    const p = this.store.postTable.update(id, patch);
    if (!p) throw NotFoundError.of("post_not_found", "post", id);
    return p;
  }
}

/** {@link RepostRepository} on the memory store. */
export class MemoryRepostRepository implements RepostRepository {
  constructor(private readonly store: MemorySocialTables) {}

  async insertIfAbsent(repost: Omit<Repost, "seq">): Promise<Repost | null> {
    const t = this.store.repostTable;
    if (t.getByUnique("pair", pair(repost.userId, repost.postId))) return null;
    return t.insert({ ...repost, seq: this.store.nextSeq() });
  }

  async delete(userId: string, postId: string): Promise<Repost | null> {
    const row = this.store.repostTable.getByUnique("pair", pair(userId, postId));
    if (!row) return null;
    this.store.repostTable.delete(row.id);
    return row;
  }

  async get(userId: string, postId: string): Promise<Repost | null> {
    return this.store.repostTable.getByUnique("pair", pair(userId, postId)) ?? null;
  }

  async countByPost(postId: string): Promise<number> {
    return this.store.repostTable.count("post", postId);
  }
}

/** {@link ActivityRepository} on the memory store: a k-way merge of per-actor ordered lists. */
export class MemoryActivityRepository implements ActivityRepository {
  constructor(private readonly store: MemorySocialTables) {}

  async insert(activity: Activity): Promise<void> {
    this.store.activityTable.insert(activity);
  }

  async delete(id: string): Promise<boolean> {
    return this.store.activityTable.delete(id);
  }

  async listByActors(actorIds: readonly string[], page: Keyset & { atLeast?: number | null; delivery?: Delivery }): Promise<Activity[]> {
    const t = this.store.activityTable;
    // Merge row numbers and build objects only for the rows that make the page.
    return t.newestRows(actorIds, page).map((row) => t.materialise(row));
  }
}

/** {@link CommentRepository} on the memory store. */
export class MemoryCommentRepository implements CommentRepository {
  constructor(private readonly store: MemorySocialTables) {}

  async insert(comment: Omit<Comment, "seq">): Promise<Comment> {
    return this.store.commentTable.insert({ ...comment, seq: this.store.nextSeq() });
  }

  async get(id: string): Promise<Comment | null> {
    return this.store.commentTable.get(id) ?? null;
  }

  async update(
    id: string,
    patch: Partial<Pick<Comment, "content" | "mentionIds" | "editedAt" | "deletedAt" | "updatedAt">>,
  ): Promise<Comment> {
    return this.store.commentTable.update({ ...this.require(id), ...patch });
  }

  async incrementCounters(id: string, delta: { likesCount?: number; repliesCount?: number }): Promise<Comment> {
    const c = this.require(id);
    return this.store.commentTable.update({
      ...c,
      likesCount: c.likesCount + (delta.likesCount ?? 0),
      repliesCount: c.repliesCount + (delta.repliesCount ?? 0),
    });
  }

  async setCounters(id: string, counters: { likesCount: number; repliesCount: number }): Promise<void> {
    this.store.commentTable.update({ ...this.require(id), ...counters });
  }

  async listByParent(postId: string, parentId: string | null, page: { after?: number | null; limit: number }): Promise<Comment[]> {
    return this.store.commentTable.pageAsc("parent", pair(postId, parentId ?? ""), page.after, page.limit);
  }

  async countByPost(postId: string): Promise<number> {
    return this.store.commentTable.count("post", postId);
  }

  async countReplies(commentId: string): Promise<number> {
    const c = this.store.commentTable.get(commentId);
    return c ? this.store.commentTable.count("parent", pair(c.postId, commentId)) : 0;
  }

  async count(): Promise<number> {
    return this.store.commentTable.count("live", "all");
  }

  private require(id: string): Comment {
    const c = this.store.commentTable.get(id);
    if (!c) throw NotFoundError.of(socialCodes.comment_not_found, "comment", id);
    return c;
  }
}

/** {@link LikeRepository} on the memory store. */
export class MemoryLikeRepository implements LikeRepository {
  constructor(private readonly store: MemorySocialTables) {}

  private key(userId: string, targetType: LikeTarget, targetId: string): string {
    return `${userId}|${targetType}|${targetId}`;
  }

  async insertIfAbsent(like: Omit<Like, "seq">): Promise<Like | null> {
    const t = this.store.likeTable;
    if (t.getByUnique("pair", this.key(like.userId, like.targetType, like.targetId))) return null;
    return t.insert({ ...like, seq: this.store.nextSeq() });
  }

  async delete(userId: string, targetType: LikeTarget, targetId: string): Promise<Like | null> {
    const row = this.store.likeTable.getByUnique("pair", this.key(userId, targetType, targetId));
    if (!row) return null;
    this.store.likeTable.delete(row.id);
    return row;
  }

  async get(userId: string, targetType: LikeTarget, targetId: string): Promise<Like | null> {
    return this.store.likeTable.getByUnique("pair", this.key(userId, targetType, targetId)) ?? null;
  }

  async listByTarget(targetType: LikeTarget, targetId: string, page: Keyset): Promise<Like[]> {
    return this.store.likeTable.page("target", pair(targetType, targetId), page.before, page.limit);
  }

  async countByTarget(targetType: LikeTarget, targetId: string): Promise<number> {
    return this.store.likeTable.count("target", pair(targetType, targetId));
  }

  async count(): Promise<number> {
    return this.store.likeTable.count("all", "all");
  }
}
