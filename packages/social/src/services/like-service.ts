import { createEvent, createId, parse, requireActorId, type Actor, type Page } from "@platform/core";
import type { z } from "zod";
import { commentPageSchema, commentTargetSchema } from "../domain/comment.js";
import { postPageSchema, postTargetSchema } from "../domain/post.js";
import { summarize, type UserSummary } from "../domain/user.js";
import type { SocialTx } from "../ports/social-store.js";
import type { ServiceContext } from "./context.js";
import type { Notifier } from "./notifier.js";
import { collectPage, decodeSeq } from "./paging.js";
import { commentNotFound, postNotFound, requireActor, Viewer } from "./viewer.js";

/**
 * Likes on posts and comments: one per user per target, idempotent both ways, exact counts. Every
 * method takes the actor (a signed-in social user) first: `(actor, input)`.
 * @throws (every method) ValidationError `invalid_actor`; AuthenticationError `unauthenticated`, `unknown_actor`.
 */
export class LikeService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly notifier: Notifier,
  ) {}

  /**
   * Likes a post the actor may see. Liking twice changes nothing.
   * @throws NotFoundError `post_not_found` (also for a post the actor may not see), `post_deleted`; AuthenticationError `unknown_actor`.
   * @example
   * ```ts
   * const { likesCount } = await social.likes.likePost(actor, { postId: post.id });
   * ```
   */
  async likePost(actor: Actor, input: z.input<typeof postTargetSchema>): Promise<{ liked: true; likesCount: number }> {
    const actorId = requireActorId(actor);
    const { postId } = parse(postTargetSchema, input);
    return this.ctx.store.transaction(async (tx) => {
      await requireActor(tx, actorId);
      const { post } = await new Viewer(tx, actorId).visiblePost(postId);
      const like = await tx.likes.insertIfAbsent({
        id: createId("like"),
        userId: actorId,
        targetType: "post",
        targetId: postId,
        createdAt: this.ctx.clock.now(),
      });
      if (!like) return { liked: true as const, likesCount: post.likesCount };
      const updated = await tx.posts.incrementCounters(postId, { likesCount: 1 });
      tx.outbox.add(createEvent("post.liked", { postId, userId: actorId }, this.ctx.clock));
      await this.notifier.notify(tx, [{ type: "like", recipientId: post.authorId, actorId, postId }]);
      return { liked: true as const, likesCount: updated.likesCount };
    });
  }

  /**
   * Removes the actor's like. Idempotent.
   * @throws NotFoundError `post_not_found` (also when there is no like to remove and the actor may not see the post).
   */
  async unlikePost(actor: Actor, input: z.input<typeof postTargetSchema>): Promise<{ liked: false; likesCount: number }> {
    const actorId = requireActorId(actor);
    const { postId } = parse(postTargetSchema, input);
    return this.ctx.store.transaction(async (tx) => {
      await requireActor(tx, actorId);
      const post = await tx.posts.get(postId);
      if (!post) throw postNotFound(postId);
      if (!(await tx.likes.delete(actorId, "post", postId))) {
        // Nothing to remove: the post must not be confirmed to someone who may not see it.
        if (!(await new Viewer(tx, actorId).mayKnowPost(post))) throw postNotFound(postId);
        return { liked: false as const, likesCount: post.likesCount };
      }
      const updated = await tx.posts.incrementCounters(postId, { likesCount: -1 });
      tx.outbox.add(createEvent("post.unliked", { postId, userId: actorId }, this.ctx.clock));
      return { liked: false as const, likesCount: updated.likesCount };
    });
  }

  /**
   * Likes a comment the actor may see (on a post they may see, by someone neither blocks).
   * @throws NotFoundError `comment_not_found` (also for a comment the actor may not see), `comment_deleted`, `post_deleted`.
   */
  async likeComment(actor: Actor, input: z.input<typeof commentTargetSchema>): Promise<{ liked: true; likesCount: number }> {
    const actorId = requireActorId(actor);
    const { commentId } = parse(commentTargetSchema, input);
    return this.ctx.store.transaction(async (tx) => {
      await requireActor(tx, actorId);
      const { comment } = await new Viewer(tx, actorId).visibleComment(commentId);
      const like = await tx.likes.insertIfAbsent({
        id: createId("like"),
        userId: actorId,
        targetType: "comment",
        targetId: commentId,
        createdAt: this.ctx.clock.now(),
      });
      if (!like) return { liked: true as const, likesCount: comment.likesCount };
      const updated = await tx.comments.incrementCounters(commentId, { likesCount: 1 });
      tx.outbox.add(createEvent("comment.liked", { commentId, userId: actorId }, this.ctx.clock));
      await this.notifier.notify(tx, [{ type: "like", recipientId: comment.authorId, actorId, postId: comment.postId, commentId }]);
      return { liked: true as const, likesCount: updated.likesCount };
    });
  }

  /**
   * Removes the actor's like of a comment. Idempotent.
   * @throws NotFoundError `comment_not_found` (also when there is no like to remove and the actor may not see the comment).
   */
  async unlikeComment(actor: Actor, input: z.input<typeof commentTargetSchema>): Promise<{ liked: false; likesCount: number }> {
    const actorId = requireActorId(actor);
    const { commentId } = parse(commentTargetSchema, input);
    return this.ctx.store.transaction(async (tx) => {
      await requireActor(tx, actorId);
      const comment = await tx.comments.get(commentId);
      if (!comment) throw commentNotFound(commentId);
      if (!(await tx.likes.delete(actorId, "comment", commentId))) {
        if (!(await new Viewer(tx, actorId).mayKnowComment(comment))) throw commentNotFound(commentId);
        return { liked: false as const, likesCount: comment.likesCount };
      }
      const updated = await tx.comments.incrementCounters(commentId, { likesCount: -1 });
      tx.outbox.add(createEvent("comment.unliked", { commentId, userId: actorId }, this.ctx.clock));
      return { liked: false as const, likesCount: updated.likesCount };
    });
  }

  /** Whether the actor likes a post. @throws NotFoundError as {@link LikeService.likePost}. */
  async hasLikedPost(actor: Actor, input: z.input<typeof postTargetSchema>): Promise<boolean> {
    const actorId = requireActorId(actor);
    const { postId } = parse(postTargetSchema, input);
    return this.ctx.store.transaction(async (tx) => {
      await requireActor(tx, actorId);
      await new Viewer(tx, actorId).visiblePost(postId);
      return (await tx.likes.get(actorId, "post", postId)) !== null;
    });
  }

  /**
   * Users who liked a post the actor may see, newest first (blocked users left out).
   * @throws NotFoundError `post_not_found` (also for a post the actor may not see), `post_deleted`; ValidationError `invalid_cursor`.
   */
  async postLikers(actor: Actor, input: z.input<typeof postPageSchema>): Promise<Page<UserSummary>> {
    const actorId = requireActorId(actor);
    const { postId, limit, cursor } = parse(postPageSchema, input);
    return this.ctx.store.transaction(async (tx) => {
      await requireActor(tx, actorId);
      const viewer = new Viewer(tx, actorId);
      await viewer.visiblePost(postId);
      return this.likers(tx, viewer, "post", postId, limit, cursor);
    });
  }

  /** Users who liked a comment, newest first. @throws NotFoundError as {@link LikeService.likeComment}; ValidationError `invalid_cursor`. */
  async commentLikers(actor: Actor, input: z.input<typeof commentPageSchema>): Promise<Page<UserSummary>> {
    const actorId = requireActorId(actor);
    const { commentId, limit, cursor } = parse(commentPageSchema, input);
    return this.ctx.store.transaction(async (tx) => {
      await requireActor(tx, actorId);
      const viewer = new Viewer(tx, actorId);
      await viewer.visibleComment(commentId);
      return this.likers(tx, viewer, "comment", commentId, limit, cursor);
    });
  }

  private likers(
    tx: SocialTx,
    viewer: Viewer,
    type: "post" | "comment",
    id: string,
    limit: number,
    cursor: string | null | undefined,
  ): Promise<Page<UserSummary>> {
    const kind = `social.likers:${type}:${id}`;
    return collectPage({
      limit,
      start: decodeSeq(this.ctx.codec, kind, cursor),
      fetch: (before, n) => tx.likes.listByTarget(type, id, { before, limit: n }),
      seqOf: (l) => l.seq,
      accept: async (l) => {
        if (l.userId !== viewer.id && (await viewer.relation(l.userId)).blocked) return null;
        const u = await viewer.user(l.userId);
        return u ? summarize(u) : null;
      },
      codec: this.ctx.codec,
      kind,
    });
  }
}
