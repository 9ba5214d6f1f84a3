import {
  createEvent,
  createId,
  DomainRuleError,
  ForbiddenError,
  NotFoundError,
  parse,
  requireActorId,
  requireRole,
  type Actor,
  type Page,
} from "@platform/core";
import { socialCodes } from "../domain/error-codes.js";
import { z } from "zod";
import {
  commentTargetSchema,
  commentView,
  createCommentSchema,
  editCommentSchema,
  listCommentsSchema,
  type Comment,
  type CommentView,
} from "../domain/comment.js";
import { candidatesForComment } from "../domain/notification-rules.js";
import { commentIdSchema } from "../domain/schemas.js";
import { summarize } from "../domain/user.js";
import type { SocialTx } from "../ports/social-store.js";
import type { ServiceContext } from "./context.js";
import { resolveMentions } from "./mentions.js";
import type { Notifier } from "./notifier.js";
import { collectPage, decodeSeq } from "./paging.js";
import type { RecountResult } from "./user-service.js";
import { commentNotFound, requireActor, Viewer } from "./viewer.js";

/** Input of `comments.recount`. */
export const recountCommentSchema = z.object({ commentId: commentIdSchema, repair: z.boolean().default(false) });

/**
 * Comments on posts and threaded replies. Every method takes the actor first (`(actor, input)`), a
 * signed-in social user except for `recount` (admin role).
 * @throws (every user method) ValidationError `invalid_actor`; AuthenticationError `unauthenticated`, `unknown_actor`.
 */
export class CommentService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly notifier: Notifier,
  ) {}

  /**
   * Comments on a post the actor may see, or replies to one of its comments (`parentId`).
   * The post's and the parent's counters move, and the post author, the parent's author and
   * mentioned users are notified.
   * A post or parent the actor may not see answers like a missing one.
   * @throws ValidationError `content_empty`, `content_too_long`; NotFoundError `post_not_found`, `post_deleted`,
   *   `comment_not_found`, `comment_deleted`; DomainRuleError `parent_mismatch`.
   */
  async create(actor: Actor, input: z.input<typeof createCommentSchema>): Promise<CommentView> {
    const actorId = requireActorId(actor);
    const { postId, parentId, content } = parse(createCommentSchema, input);
    return this.ctx.store.transaction(async (tx) => {
      const actor = await requireActor(tx, actorId);
      const viewer = new Viewer(tx, actorId);
      const { post } = await viewer.visiblePost(postId);
      let parent: Comment | null = null;
      if (parentId) {
        // A parent by someone either side blocks is hidden from the actor: not found, like a missing one.
        parent = (await viewer.visibleComment(parentId)).comment;
        if (parent.postId !== postId) throw new DomainRuleError(socialCodes.parent_mismatch, "the parent comment belongs to another post");
      }
      const now = this.ctx.clock.now();
      const comment = await tx.comments.insert({
        id: createId("cmt"),
        postId,
        authorId: actorId,
        parentId,
        content,
        mentionIds: await resolveMentions(tx, actorId, content),
        likesCount: 0,
        repliesCount: 0,
        createdAt: now,
        updatedAt: now,
        editedAt: null,
        deletedAt: null,
      });
      await tx.posts.incrementCounters(postId, { commentsCount: 1 });
      if (parent) await tx.comments.incrementCounters(parent.id, { repliesCount: 1 });
      tx.outbox.add(createEvent("comment.created", { commentId: comment.id, postId, authorId: actorId, parentId }, this.ctx.clock));
      await this.notifier.notify(tx, candidatesForComment(comment, post, parent));
      return commentView(comment, summarize(actor));
    });
  }

  /**
   * Edits a comment (author only).
   * @throws ForbiddenError `not_author`; NotFoundError `comment_not_found` (also for a comment the actor may not see), `comment_deleted`.
   */
  async edit(actor: Actor, input: z.input<typeof editCommentSchema>): Promise<CommentView> {
    const actorId = requireActorId(actor);
    const { commentId, content } = parse(editCommentSchema, input);
    return this.ctx.store.transaction(async (tx) => {
      const actor = await requireActor(tx, actorId);
      const comment = await this.changeableComment(tx, actorId, commentId, false);
      const now = this.ctx.clock.now();
      const updated = await tx.comments.update(commentId, {
        content,
        mentionIds: await resolveMentions(tx, actorId, content),
        editedAt: now,
        updatedAt: now,
      });
      tx.outbox.add(createEvent("comment.edited", { commentId, postId: comment.postId }, this.ctx.clock));
      return commentView(updated, summarize(actor));
    });
  }

  /**
   * Deletes a comment: its author or the post's owner may. Replies stay (shown under a removed parent).
   * @throws ForbiddenError `not_author`; NotFoundError `comment_not_found` (also for a comment the actor may not see), `comment_deleted`.
   */
  async delete(actor: Actor, input: z.input<typeof commentTargetSchema>): Promise<void> {
    const actorId = requireActorId(actor);
    const { commentId } = parse(commentTargetSchema, input);
    return this.ctx.store.transaction(async (tx) => {
      await requireActor(tx, actorId);
      const comment = await this.changeableComment(tx, actorId, commentId, true);
      const now = this.ctx.clock.now();
      await tx.comments.update(commentId, { deletedAt: now, updatedAt: now });
      await tx.posts.incrementCounters(comment.postId, { commentsCount: -1 });
      if (comment.parentId) await tx.comments.incrementCounters(comment.parentId, { repliesCount: -1 });
      tx.outbox.add(createEvent("comment.deleted", { commentId, postId: comment.postId, by: actorId }, this.ctx.clock));
    });
  }

  /**
   * Comments of a post (top level, or the replies to `parentId`), oldest first as threads read;
   * comments of users the actor blocks, is blocked by or muted are left out.
   * @throws NotFoundError `post_not_found` (also for a post the actor may not see), `post_deleted`; ValidationError `invalid_cursor`.
   */
  async list(actor: Actor, input: z.input<typeof listCommentsSchema>): Promise<Page<CommentView>> {
    const actorId = requireActorId(actor);
    const { postId, parentId, limit, cursor } = parse(listCommentsSchema, input);
    return this.ctx.store.transaction(async (tx) => {
      await requireActor(tx, actorId);
      const viewer = new Viewer(tx, actorId);
      await viewer.visiblePost(postId);
      const kind = `social.comments:${postId}:${parentId ?? ""}`;
      return collectPage({
        limit,
        start: decodeSeq(this.ctx.codec, kind, cursor),
        fetch: (after, n) => tx.comments.listByParent(postId, parentId, { after, limit: n }),
        seqOf: (c) => c.seq,
        accept: async (c) => {
          if (await viewer.hides(c.authorId)) return null;
          const author = await viewer.user(c.authorId);
          return author ? commentView(c, summarize(author)) : null;
        },
        codec: this.ctx.codec,
        kind,
      });
    });
  }

  /**
   * One comment, if the actor may see it (its post visible, no block either way with its author).
   * @throws NotFoundError `comment_not_found` (also for a comment the actor may not see), `comment_deleted`, `post_deleted`.
   */
  async get(actor: Actor, input: z.input<typeof commentTargetSchema>): Promise<CommentView> {
    const actorId = requireActorId(actor);
    const { commentId } = parse(commentTargetSchema, input);
    return this.ctx.store.transaction(async (tx) => {
      await requireActor(tx, actorId);
      const viewer = new Viewer(tx, actorId);
      const { comment } = await viewer.visibleComment(commentId);
      return commentView(comment, summarize((await viewer.user(comment.authorId))!));
    });
  }

  /** Recounts a comment's likes and replies from the rows, optionally repairing them. Operator work (admin only). @throws ForbiddenError `role_required`; NotFoundError `comment_not_found`. */
  async recount(
    actor: Actor,
    input: z.input<typeof recountCommentSchema>,
  ): Promise<RecountResult<{ likesCount: number; repliesCount: number }>> {
    requireRole(actor, "admin");
    const { commentId, repair } = parse(recountCommentSchema, input);
    return this.ctx.store.transaction(async (tx) => {
      const c = await tx.comments.get(commentId);
      if (!c) throw commentNotFound(commentId);
      const stored = { likesCount: c.likesCount, repliesCount: c.repliesCount };
      const actual = {
        likesCount: await tx.likes.countByTarget("comment", commentId),
        repliesCount: await tx.comments.countReplies(commentId),
      };
      const consistent = stored.likesCount === actual.likesCount && stored.repliesCount === actual.repliesCount;
      if (!consistent && repair) await tx.comments.setCounters(commentId, actual);
      return { stored, actual, consistent, repaired: !consistent && repair };
    });
  }

  /**
   * A live comment the actor may change: their own, or (with `postOwner`) one on their post.
   * Anyone else hears `not_author` only about a comment they may see; otherwise as for a missing one.
   */
  private async changeableComment(tx: SocialTx, actorId: string, commentId: string, postOwner: boolean): Promise<Comment> {
    const c = await tx.comments.get(commentId);
    const mine = c !== null && (c.authorId === actorId || (postOwner && (await tx.posts.get(c.postId))?.authorId === actorId));
    if (c && mine) {
      if (c.deletedAt) throw NotFoundError.of(socialCodes.comment_deleted, "comment", commentId);
      return c;
    }
    await new Viewer(tx, actorId).visibleComment(commentId);
    throw new ForbiddenError(
      socialCodes.not_author,
      postOwner ? "only the author or the post's owner may delete this comment" : "only the author may edit this comment",
    );
  }
}
