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
import { candidatesForPost } from "../domain/notification-rules.js";
import {
  createPostSchema,
  editPostSchema,
  postsByHashtagSchema,
  postsByUserSchema,
  postTargetSchema,
  postView,
  type Post,
  type PostCounters,
  type PostView,
} from "../domain/post.js";
import { postIdSchema } from "../domain/schemas.js";
import { extractHashtags } from "../domain/text.js";
import { summarize } from "../domain/user.js";
import { isRepostable } from "../domain/visibility.js";
import type { SocialTx } from "../ports/social-store.js";
import type { ServiceContext } from "./context.js";
import type { FeedDelivery } from "./feed-delivery.js";
import { resolveMentions } from "./mentions.js";
import type { Notifier } from "./notifier.js";
import { collectPage, decodeSeq } from "./paging.js";
import type { RecountResult } from "./user-service.js";
import { postNotFound, requireActor, requireUser, Viewer } from "./viewer.js";

/** Input of `posts.recount`. */
export const recountPostSchema = z.object({ postId: postIdSchema, repair: z.boolean().default(false) });

/**
 * Posts and reposts: write, edit, delete, read by id, by user and by hashtag. Every method takes the
 * actor first (`(actor, input)`), a signed-in social user except for `recount` (admin role).
 * @throws (every user method) ValidationError `invalid_actor`; AuthenticationError `unauthenticated`, `unknown_actor`.
 */
export class PostService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly delivery: FeedDelivery,
    private readonly notifier: Notifier,
  ) {}

  /**
   * Publishes a post: hashtags and mentions are extracted, the author's post count moves, the post
   * is fanned out (push) or left for read-time merge (pull, for authors above the threshold), and
   * mentioned users are notified, all in one transaction.
   * @throws ValidationError `content_empty`, `content_too_long`, `too_many_images`, `invalid_image_url`; AuthenticationError `unknown_actor`.
   * @example
   * ```ts
   * const post = await social.posts.create(actor, { content: "Hello #world", images: ["https://cdn.example.com/a.jpg"] });
   * ```
   */
  async create(actor: Actor, input: z.input<typeof createPostSchema>): Promise<PostView> {
    const actorId = requireActorId(actor);
    const data = parse(createPostSchema, input);
    return this.ctx.store.transaction(async (tx) => {
      const author = await requireActor(tx, actorId);
      const now = this.ctx.clock.now();
      const delivery = this.delivery.deliveryFor(author.followersCount);
      const post = await tx.posts.insert({
        id: createId("post"),
        authorId: author.id,
        content: data.content,
        images: data.images,
        visibility: data.visibility,
        hashtags: extractHashtags(data.content),
        mentionIds: await resolveMentions(tx, author.id, data.content),
        delivery,
        likesCount: 0,
        commentsCount: 0,
        repostsCount: 0,
        createdAt: now,
        updatedAt: now,
        editedAt: null,
        deletedAt: null,
      });
      const activity = { id: post.id, seq: post.seq, actorId: author.id, verb: "post" as const, postId: post.id, delivery, createdAt: now };
      await tx.activities.insert(activity);
      const updated = await tx.users.incrementCounters(author.id, { postsCount: 1 });
      await this.delivery.fanOut(tx, activity);
      tx.outbox.add(
        createEvent("post.created", { postId: post.id, authorId: author.id, delivery, hashtags: post.hashtags }, this.ctx.clock),
      );
      await this.notifier.notify(tx, candidatesForPost(post));
      return postView(post, summarize(updated));
    });
  }

  /**
   * A post, if the actor may see it. A post the actor may not see answers like a missing one.
   * @throws NotFoundError `post_not_found`, `post_deleted`; AuthenticationError `unknown_actor`.
   */
  async get(actor: Actor, input: z.input<typeof postTargetSchema>): Promise<PostView> {
    const actorId = requireActorId(actor);
    const { postId } = parse(postTargetSchema, input);
    return this.ctx.store.transaction(async (tx) => {
      await requireActor(tx, actorId);
      const { post, author } = await new Viewer(tx, actorId).visiblePost(postId);
      return postView(post, summarize(author));
    });
  }

  /**
   * Edits a post's content or images (author only); the post is marked edited and its hashtags and mentions re-read.
   * @throws ForbiddenError `not_author`; NotFoundError `post_not_found`, `post_deleted`; ValidationError (as `create`).
   */
  async edit(actor: Actor, input: z.input<typeof editPostSchema>): Promise<PostView> {
    const actorId = requireActorId(actor);
    const { postId, content, images } = parse(editPostSchema, input);
    return this.ctx.store.transaction(async (tx) => {
      const actor = await requireActor(tx, actorId);
      const post = await this.ownPost(tx, actorId, postId);
      const now = this.ctx.clock.now();
      const updated = await tx.posts.update(post.id, {
        editedAt: now,
        updatedAt: now,
        ...(content !== undefined
          ? { content, hashtags: extractHashtags(content), mentionIds: await resolveMentions(tx, actorId, content) }
          : {}),
        ...(images !== undefined ? { images } : {}),
      });
      tx.outbox.add(createEvent("post.edited", { postId, authorId: actorId }, this.ctx.clock));
      // Only people newly mentioned hear about it: the dedupe key stops repeats.
      await this.notifier.notify(
        tx,
        candidatesForPost(updated).filter((c) => !post.mentionIds.includes(c.recipientId)),
      );
      return postView(updated, summarize(actor));
    });
  }

  /**
   * Deletes a post (author only): it becomes a tombstone, leaves timelines and feeds, and the
   * author's post count moves. Likes and comments on it are refused with `post_deleted` afterwards.
   * @throws ForbiddenError `not_author`; NotFoundError `post_not_found`, `post_deleted`.
   */
  async delete(actor: Actor, input: z.input<typeof postTargetSchema>): Promise<void> {
    const actorId = requireActorId(actor);
    const { postId } = parse(postTargetSchema, input);
    return this.ctx.store.transaction(async (tx) => {
      await requireActor(tx, actorId);
      await this.ownPost(tx, actorId, postId);
      const now = this.ctx.clock.now();
      await tx.posts.update(postId, { deletedAt: now, updatedAt: now });
      await tx.activities.delete(postId);
      await tx.users.incrementCounters(actorId, { postsCount: -1 });
      tx.outbox.add(createEvent("post.deleted", { postId, authorId: actorId }, this.ctx.clock));
    });
  }

  /**
   * Reposts a public post of a public account into the actor's timeline and their followers' feeds.
   * One repost per user per post: a second call changes nothing.
   * @throws NotFoundError `post_not_found` (also for a post the actor may not see), `post_deleted`; DomainRuleError `post_not_repostable`.
   */
  async repost(actor: Actor, input: z.input<typeof postTargetSchema>): Promise<{ reposted: true; repostsCount: number }> {
    const actorId = requireActorId(actor);
    const { postId } = parse(postTargetSchema, input);
    return this.ctx.store.transaction(async (tx) => {
      const actor = await requireActor(tx, actorId);
      const { post, author } = await new Viewer(tx, actorId).visiblePost(postId);
      if (!isRepostable(post, author))
        throw new DomainRuleError(socialCodes.post_not_repostable, "only public posts of public accounts can be reposted");
      const delivery = this.delivery.deliveryFor(actor.followersCount);
      const repost = await tx.reposts.insertIfAbsent({
        id: createId("rep"),
        userId: actorId,
        postId,
        delivery,
        createdAt: this.ctx.clock.now(),
      });
      if (!repost) return { reposted: true as const, repostsCount: post.repostsCount };
      const activity = { id: repost.id, seq: repost.seq, actorId, verb: "repost" as const, postId, delivery, createdAt: repost.createdAt };
      await tx.activities.insert(activity);
      const updated = await tx.posts.incrementCounters(postId, { repostsCount: 1 });
      await this.delivery.fanOut(tx, activity);
      tx.outbox.add(createEvent("post.reposted", { postId, userId: actorId, repostId: repost.id }, this.ctx.clock));
      await this.notifier.notify(tx, [{ type: "repost", recipientId: post.authorId, actorId, postId }]);
      return { reposted: true as const, repostsCount: updated.repostsCount };
    });
  }

  /**
   * Withdraws the actor's repost. Idempotent.
   * @throws NotFoundError `post_not_found` (also when there is no repost to withdraw and the actor may not see the post).
   */
  async unrepost(actor: Actor, input: z.input<typeof postTargetSchema>): Promise<{ reposted: false; repostsCount: number }> {
    const actorId = requireActorId(actor);
    const { postId } = parse(postTargetSchema, input);
    return this.ctx.store.transaction(async (tx) => {
      await requireActor(tx, actorId);
      const post = await tx.posts.get(postId);
      if (!post) throw postNotFound(postId);
      const repost = await tx.reposts.delete(actorId, postId);
      if (!repost) {
        // Nothing to withdraw: the post must not be confirmed to someone who may not see it.
        if (!(await new Viewer(tx, actorId).mayKnowPost(post))) throw postNotFound(postId);
        return { reposted: false as const, repostsCount: post.repostsCount };
      }
      await tx.activities.delete(repost.id);
      // Feed entries of the repost are skipped at read time (its activity is gone).
      const updated = await tx.posts.incrementCounters(postId, { repostsCount: -1 });
      tx.outbox.add(createEvent("post.unreposted", { postId, userId: actorId }, this.ctx.clock));
      return { reposted: false as const, repostsCount: updated.repostsCount };
    });
  }

  /**
   * Original posts of a user the actor may see, newest first.
   * @throws ForbiddenError `account_private`, `blocked_by_user`; NotFoundError `user_not_found`; ValidationError `invalid_cursor`.
   */
  async listByUser(actor: Actor, input: z.input<typeof postsByUserSchema>): Promise<Page<PostView>> {
    const actorId = requireActorId(actor);
    const { userId, limit, cursor } = parse(postsByUserSchema, input);
    return this.ctx.store.transaction(async (tx) => {
      await requireActor(tx, actorId);
      const viewer = new Viewer(tx, actorId);
      const user = await requireUser(tx, userId);
      await viewer.assertCanSeeContentOf(user);
      const kind = `social.posts_by_user:${userId}`;
      return collectPage({
        limit,
        start: decodeSeq(this.ctx.codec, kind, cursor),
        fetch: (before, n) => tx.posts.listByAuthor(userId, { before, limit: n }),
        seqOf: (p) => p.seq,
        accept: async (p) => ((await viewer.canSeePost(p)) ? postView(p, summarize(user)) : null),
        codec: this.ctx.codec,
        kind,
      });
    });
  }

  /**
   * Posts carrying a hashtag that the actor may see (muted and blocked authors left out), newest first.
   * @throws ValidationError `invalid_cursor`; AuthenticationError `unknown_actor`.
   */
  async listByHashtag(actor: Actor, input: z.input<typeof postsByHashtagSchema>): Promise<Page<PostView>> {
    const actorId = requireActorId(actor);
    const { hashtag, limit, cursor } = parse(postsByHashtagSchema, input);
    return this.ctx.store.transaction(async (tx) => {
      await requireActor(tx, actorId);
      const viewer = new Viewer(tx, actorId);
      const kind = `social.posts_by_hashtag:${hashtag}`;
      return collectPage({
        limit,
        start: decodeSeq(this.ctx.codec, kind, cursor),
        fetch: (before, n) => tx.posts.listByHashtag(hashtag, { before, limit: n }),
        seqOf: (p) => p.seq,
        accept: async (p) => {
          if (!(await viewer.canSeePost(p)) || (await viewer.hides(p.authorId))) return null;
          return postView(p, summarize((await viewer.user(p.authorId))!));
        },
        codec: this.ctx.codec,
        kind,
      });
    });
  }

  /**
   * Recounts a post's likes, comments and reposts from the rows, optionally repairing them. Operator work (admin only).
   * @throws ForbiddenError `role_required`; NotFoundError `post_not_found`.
   */
  async recount(actor: Actor, input: z.input<typeof recountPostSchema>): Promise<RecountResult<PostCounters>> {
    requireRole(actor, "admin");
    const { postId, repair } = parse(recountPostSchema, input);
    return this.ctx.store.transaction(async (tx) => {
      const post = await tx.posts.get(postId);
      if (!post) throw postNotFound(postId);
      const stored = { likesCount: post.likesCount, commentsCount: post.commentsCount, repostsCount: post.repostsCount };
      const actual = {
        likesCount: await tx.likes.countByTarget("post", postId),
        commentsCount: await tx.comments.countByPost(postId),
        repostsCount: await tx.reposts.countByPost(postId),
      };
      const consistent =
        stored.likesCount === actual.likesCount &&
        stored.commentsCount === actual.commentsCount &&
        stored.repostsCount === actual.repostsCount;
      if (!consistent && repair) await tx.posts.setCounters(postId, actual);
      return { stored, actual, consistent, repaired: !consistent && repair };
    });
  }

  private async ownPost(tx: SocialTx, actorId: string, postId: string): Promise<Post> {
    const post = await tx.posts.get(postId);
    if (post && post.authorId === actorId) {
      if (post.deletedAt) throw NotFoundError.of(socialCodes.post_deleted, "post", postId);
      return post;
    }
    // Anyone else hears `not_author` only about a post they may see; otherwise as for a missing one.
    await new Viewer(tx, actorId).visiblePost(postId);
    throw new ForbiddenError(socialCodes.not_author, "only the author may change this post");
  }
}
