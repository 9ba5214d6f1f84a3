import { NotFoundError } from "@platform/core";
import type { Queryable } from "@platform/core/postgres";
import type { Post, PostCounters } from "../../domain/post.js";
import type { PostCounterDelta, PostRepository } from "../../ports/content-repository.js";
import type { Keyset } from "../../ports/keyset.js";
import { lockForActivity } from "./feed-lock.js";
import { cacheOf, fromCache, prefetchFeedRows } from "./read-cache.js";
import { toPost, type PostRow } from "./rows.js";
import { setClause } from "./set-clause.js";
import { beforeBound, run } from "./sql-errors.js";
import { socialCodes } from "../../domain/error-codes.js";

const PATCH_COLUMNS = {
  content: "content",
  images: "images",
  hashtags: "hashtags",
  mentionIds: "mention_ids",
  editedAt: "edited_at",
  deletedAt: "deleted_at",
  updatedAt: "updated_at",
};

/**
 * {@link PostRepository} on `social_posts` plus `social_post_hashtags` (one row per tag of a live
 * post, so hashtag pages are index range scans). The seq is allocated after the author and the
 * feeds the post reaches are locked: home pages see posts in seq order (see `feed-lock.ts`). `update` writes live posts only
 * (`WHERE deleted_at IS NULL`): of two concurrent deletes one wins, the other gets `post_deleted`
 * and rolls back, so the author's post count moves once.
 * @throws NotFoundError `post_not_found`, `post_deleted`; ValidationError `nul_character`; ConflictError `reference_not_found`.
 */
export class PostgresPostRepository implements PostRepository {
  constructor(private readonly db: Queryable) {}

  async insert(post: Omit<Post, "seq">): Promise<Post> {
    await lockForActivity(this.db, post.authorId, post.delivery);
    const { rows } = await run<PostRow>(
      this.db,
      `INSERT INTO social_posts (id, author_id, content, images, visibility, hashtags, mention_ids, delivery, likes_count, comments_count, reposts_count, created_at, updated_at, edited_at, deleted_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING *`,
      [
        post.id,
        post.authorId,
        post.content,
        post.images,
        post.visibility,
        post.hashtags,
        post.mentionIds,
        post.delivery,
        post.likesCount,
        post.commentsCount,
        post.repostsCount,
        post.createdAt,
        post.updatedAt,
        post.editedAt,
        post.deletedAt,
      ],
    );
    const saved = toPost(rows[0]!);
    await this.indexHashtags(saved);
    return saved;
  }

  async get(id: string): Promise<Post | null> {
    const cached = cacheOf(this.db)?.posts.get(id);
    if (cached !== undefined) return cached;
    const { rows } = await run<PostRow>(this.db, "SELECT * FROM social_posts WHERE id = $1", [id]);
    return rows[0] ? toPost(rows[0]) : null;
  }

  async getMany(ids: readonly string[]): Promise<Map<string, Post>> {
    const out = new Map<string, Post>();
    // Within a home read the page's posts come with their people and the reader's relations to
    // them (one round trip for all three); posts already cached cost nothing.
    let missing = fromCache(cacheOf(this.db)?.posts, ids, ids, out);
    if (missing.length > 0 && (await prefetchFeedRows(this.db, missing)))
      missing = fromCache(cacheOf(this.db)?.posts, missing, missing, out);
    if (missing.length === 0) return out;
    const { rows } = await run<PostRow>(this.db, "SELECT * FROM social_posts WHERE id = ANY($1::text[])", [missing]);
    for (const r of rows) out.set(r.id, toPost(r));
    return out;
  }

  async update(
    id: string,
    patch: Partial<Pick<Post, "content" | "images" | "hashtags" | "mentionIds" | "editedAt" | "deletedAt" | "updatedAt">>,
  ): Promise<Post> {
    const set = setClause(patch, PATCH_COLUMNS, 2);
    const { rows } = set.sql
      ? await run<PostRow>(this.db, `UPDATE social_posts SET ${set.sql} WHERE id = $1 AND deleted_at IS NULL RETURNING *`, [
          id,
          ...set.values,
        ])
      : await run<PostRow>(this.db, "SELECT * FROM social_posts WHERE id = $1 AND deleted_at IS NULL", [id]);
    if (!rows[0]) throw await this.missing(id);
    const saved = toPost(rows[0]);
    if (patch.hashtags !== undefined || patch.deletedAt !== undefined) {
      await run(this.db, "DELETE FROM social_post_hashtags WHERE post_id = $1", [id]);
      await this.indexHashtags(saved);
    }
    return saved;
  }

  async incrementCounters(id: string, delta: PostCounterDelta): Promise<Post> {
    const { rows } = await run<PostRow>(
      this.db,
      `UPDATE social_posts SET likes_count = likes_count + $2, comments_count = comments_count + $3, reposts_count = reposts_count + $4
       WHERE id = $1 RETURNING *`,
      [id, delta.likesCount ?? 0, delta.commentsCount ?? 0, delta.repostsCount ?? 0],
    );
    if (!rows[0]) throw NotFoundError.of(socialCodes.post_not_found, "post", id);
    return toPost(rows[0]);
  }

  async setCounters(id: string, counters: PostCounters): Promise<void> {
    const { rowCount } = await run(
      this.db,
      "UPDATE social_posts SET likes_count = $2, comments_count = $3, reposts_count = $4 WHERE id = $1",
      [id, counters.likesCount, counters.commentsCount, counters.repostsCount],
    );
    if (!rowCount) throw NotFoundError.of(socialCodes.post_not_found, "post", id);
  }

  async listByAuthor(authorId: string, page: Keyset): Promise<Post[]> {
    const { rows } = await run<PostRow>(
      this.db,
      "SELECT * FROM social_posts WHERE author_id = $1 AND deleted_at IS NULL AND seq < $2 ORDER BY seq DESC LIMIT $3",
      [authorId, beforeBound(page.before), page.limit],
    );
    return rows.map(toPost);
  }

  async listByHashtag(tag: string, page: Keyset): Promise<Post[]> {
    const { rows } = await run<PostRow>(
      this.db,
      `SELECT p.* FROM social_post_hashtags h JOIN social_posts p ON p.id = h.post_id
       WHERE h.tag = $1 AND h.seq < $2 ORDER BY h.seq DESC LIMIT $3`,
      [tag, beforeBound(page.before), page.limit],
    );
    return rows.map(toPost);
  }

  async countByAuthor(authorId: string): Promise<number> {
    const { rows } = await run<{ n: number }>(
      this.db,
      "SELECT count(*)::int AS n FROM social_posts WHERE author_id = $1 AND deleted_at IS NULL",
      [authorId],
    );
    return rows[0]!.n;
  }

  async count(): Promise<number> {
    const { rows } = await run<{ n: number }>(this.db, "SELECT count(*)::int AS n FROM social_posts WHERE deleted_at IS NULL");
    return rows[0]!.n;
  }

  private async indexHashtags(post: Post): Promise<void> {
    if (post.deletedAt || post.hashtags.length === 0) return;
    await run(
      this.db,
      "INSERT INTO social_post_hashtags (tag, seq, post_id) SELECT DISTINCT t, $2::bigint, $3 FROM unnest($1::text[]) AS t ON CONFLICT DO NOTHING",
      [post.hashtags, post.seq, post.id],
    );
  }

  /** Why a conditional update found no live row: a tombstone (a concurrent delete won) or no row at all. */
  private async missing(id: string): Promise<NotFoundError> {
    const { rows } = await run<{ deleted: boolean }>(this.db, "SELECT deleted_at IS NOT NULL AS deleted FROM social_posts WHERE id = $1", [
      id,
    ]);
    return NotFoundError.of(rows[0] ? socialCodes.post_deleted : "post_not_found", "post", id);
  }
}
