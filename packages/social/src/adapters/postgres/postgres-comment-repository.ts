import { NotFoundError } from "@platform/core";
import type { Queryable } from "@platform/core/postgres";
import type { Comment } from "../../domain/comment.js";
import type { CommentRepository } from "../../ports/content-repository.js";
import { toComment, type CommentRow } from "./rows.js";
import { setClause } from "./set-clause.js";
import { run } from "./sql-errors.js";
import { socialCodes } from "../../domain/error-codes.js";

const PATCH_COLUMNS = {
  content: "content",
  mentionIds: "mention_ids",
  editedAt: "edited_at",
  deletedAt: "deleted_at",
  updatedAt: "updated_at",
};

/**
 * {@link CommentRepository} on `social_comments` (threads read oldest first on the partial index
 * `(post_id, parent_id, seq) WHERE deleted_at IS NULL`). `update` writes live comments only
 * (`WHERE deleted_at IS NULL`): of two concurrent deletes one wins, the other gets `comment_deleted`.
 * @throws NotFoundError `comment_not_found`, `comment_deleted`; ValidationError `nul_character`; ConflictError `reference_not_found`.
 */
export class PostgresCommentRepository implements CommentRepository {
  constructor(private readonly db: Queryable) {}

  async insert(comment: Omit<Comment, "seq">): Promise<Comment> {
    const { rows } = await run<CommentRow>(
      this.db,
      `INSERT INTO social_comments (id, post_id, author_id, parent_id, content, mention_ids, likes_count, replies_count, created_at, updated_at, edited_at, deleted_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING *`,
      [
        comment.id,
        comment.postId,
        comment.authorId,
        comment.parentId,
        comment.content,
        comment.mentionIds,
        comment.likesCount,
        comment.repliesCount,
        comment.createdAt,
        comment.updatedAt,
        comment.editedAt,
        comment.deletedAt,
      ],
    );
    return toComment(rows[0]!);
  }

  async get(id: string): Promise<Comment | null> {
    const { rows } = await run<CommentRow>(this.db, "SELECT * FROM social_comments WHERE id = $1", [id]);
    return rows[0] ? toComment(rows[0]) : null;
  }

  async update(
    id: string,
    patch: Partial<Pick<Comment, "content" | "mentionIds" | "editedAt" | "deletedAt" | "updatedAt">>,
  ): Promise<Comment> {
    const set = setClause(patch, PATCH_COLUMNS, 2);
    const { rows } = set.sql
      ? await run<CommentRow>(this.db, `UPDATE social_comments SET ${set.sql} WHERE id = $1 AND deleted_at IS NULL RETURNING *`, [
          id,
          ...set.values,
        ])
      : await run<CommentRow>(this.db, "SELECT * FROM social_comments WHERE id = $1 AND deleted_at IS NULL", [id]);
    if (!rows[0]) throw await this.missing(id);
    return toComment(rows[0]);
  }

  async incrementCounters(id: string, delta: { likesCount?: number; repliesCount?: number }): Promise<Comment> {
    const { rows } = await run<CommentRow>(
      this.db,
      "UPDATE social_comments SET likes_count = likes_count + $2, replies_count = replies_count + $3 WHERE id = $1 RETURNING *",
      [id, delta.likesCount ?? 0, delta.repliesCount ?? 0],
    );
    if (!rows[0]) throw NotFoundError.of(socialCodes.comment_not_found, "comment", id);
    return toComment(rows[0]);
  }

  async setCounters(id: string, counters: { likesCount: number; repliesCount: number }): Promise<void> {
    const { rowCount } = await run(this.db, "UPDATE social_comments SET likes_count = $2, replies_count = $3 WHERE id = $1", [
      id,
      counters.likesCount,
      counters.repliesCount,
    ]);
    if (!rowCount) throw NotFoundError.of(socialCodes.comment_not_found, "comment", id);
  }

  async listByParent(postId: string, parentId: string | null, page: { after?: number | null; limit: number }): Promise<Comment[]> {
    const after = String(page.after ?? 0);
    const { rows } =
      parentId === null
        ? await run<CommentRow>(
            this.db,
            "SELECT * FROM social_comments WHERE post_id = $1 AND parent_id IS NULL AND deleted_at IS NULL AND seq > $2 ORDER BY seq LIMIT $3",
            [postId, after, page.limit],
          )
        : await run<CommentRow>(
            this.db,
            "SELECT * FROM social_comments WHERE post_id = $1 AND parent_id = $2 AND deleted_at IS NULL AND seq > $3 ORDER BY seq LIMIT $4",
            [postId, parentId, after, page.limit],
          );
    return rows.map(toComment);
  }

  async countByPost(postId: string): Promise<number> {
    const { rows } = await run<{ n: number }>(
      this.db,
      "SELECT count(*)::int AS n FROM social_comments WHERE post_id = $1 AND deleted_at IS NULL",
      [postId],
    );
    return rows[0]!.n;
  }

  async countReplies(commentId: string): Promise<number> {
    const { rows } = await run<{ n: number }>(
      this.db,
      "SELECT count(*)::int AS n FROM social_comments WHERE parent_id = $1 AND deleted_at IS NULL",
      [commentId],
    );
    return rows[0]!.n;
  }

  async count(): Promise<number> {
    const { rows } = await run<{ n: number }>(this.db, "SELECT count(*)::int AS n FROM social_comments WHERE deleted_at IS NULL");
    return rows[0]!.n;
  }

  /** Why a conditional update found no live row: a tombstone (a concurrent delete won) or no row at all. */
  private async missing(id: string): Promise<NotFoundError> {
    const { rows } = await run<{ deleted: boolean }>(
      this.db,
      "SELECT deleted_at IS NOT NULL AS deleted FROM social_comments WHERE id = $1",
      [id],
    );
    return NotFoundError.of(rows[0] ? socialCodes.comment_deleted : "comment_not_found", "comment", id);
  }
}
