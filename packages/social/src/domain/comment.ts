import { COMMENT_MAX_LENGTH } from "./limits.js";
import { contentSchema } from "./post.js";
import { pageRequestSchema } from "@platform/core";
import { z } from "zod";
import { commentIdSchema, postIdSchema } from "./schemas.js";
import type { UserSummary } from "./user.js";

/** A comment on a post, or a reply to another comment of the same post (`parentId`). */
export interface Comment {
  readonly id: string;
  readonly seq: number;
  readonly postId: string;
  readonly authorId: string;
  /** The comment replied to, or null for a top-level comment. */
  readonly parentId: string | null;
  readonly content: string;
  readonly mentionIds: readonly string[];
  readonly likesCount: number;
  readonly repliesCount: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly editedAt: Date | null;
  readonly deletedAt: Date | null;
}

/** Input of `comments.create`. */
export const createCommentSchema = z.object({
  postId: postIdSchema,
  parentId: commentIdSchema.nullish().transform((v) => v ?? null),
  content: contentSchema(COMMENT_MAX_LENGTH, "comment"),
});

/** Input of `comments.edit`. */
export const editCommentSchema = z.object({ commentId: commentIdSchema, content: contentSchema(COMMENT_MAX_LENGTH, "comment") });

/** Input of calls on one comment. */
export const commentTargetSchema = z.object({ commentId: commentIdSchema });

/** Input of `comments.list`: top-level comments of a post, or the replies to `parentId`. */
export const listCommentsSchema = pageRequestSchema.extend({
  postId: postIdSchema,
  parentId: commentIdSchema.nullish().transform((v) => v ?? null),
});

/** Input of `likes.commentLikers`. */
export const commentPageSchema = pageRequestSchema.extend({ commentId: commentIdSchema });

/** A comment as a viewer sees it. */
export interface CommentView {
  readonly id: string;
  readonly postId: string;
  readonly parentId: string | null;
  readonly author: UserSummary;
  readonly content: string;
  readonly likesCount: number;
  readonly repliesCount: number;
  readonly createdAt: Date;
  readonly editedAt: Date | null;
}

/** Builds the view of a comment. */
export function commentView(c: Comment, author: UserSummary): CommentView {
  return {
    id: c.id,
    postId: c.postId,
    parentId: c.parentId,
    author,
    content: c.content,
    likesCount: c.likesCount,
    repliesCount: c.repliesCount,
    createdAt: c.createdAt,
    editedAt: c.editedAt,
  };
}
