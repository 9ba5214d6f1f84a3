import {
  createEvent,
  createId,
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
import type { SocialTx } from "../ports/social-store.js";
import type { ServiceContext } from "./context.js";
import type { FeedDelivery } from "./feed-delivery.js";
import { resolveMentions } from "./mentions.js";
import type { Notifier } from "./notifier.js";
import { PostReader } from "./post-reader.js";
import { RepostWriter } from "./repost-writer.js";
import type { RecountResult } from "./user-service.js";
import { postNotFound, requireActor, Viewer } from "./viewer.js";

/** Input of `posts.recount`. */
export const recountPostSchema = z.object({ postId: postIdSchema, repair: z.boolean().default(false) });

/**
 * Posts and reposts: write, edit, delete, read by id, by user and by hashtag. Every method takes the
 * actor first (`(actor, input)`), a signed-in social user except for `recount` (admin role).
 * @throws (every user method) ValidationError `invalid_actor`; AuthenticationError `unauthenticated`, `unknown_actor`.
 */
export class PostService {
  private readonly reader: PostReader;
  private readonly reposts: RepostWriter;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly delivery: FeedDelivery,
    private readonly notifier: Notifier,
  ) {
    this.reader = new PostReader(ctx);
    this.reposts = new RepostWriter(ctx, delivery, notifier);
  }

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
    return this.reader.get(requireActorId(actor), parse(postTargetSchema, input).postId);
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
    return this.reposts.repost(requireActorId(actor), parse(postTargetSchema, input).postId);
  }

  /**
   * Withdraws the actor's repost. Idempotent.
   * @throws NotFoundError `post_not_found` (also when there is no repost to withdraw and the actor may not see the post).
   */
  async unrepost(actor: Actor, input: z.input<typeof postTargetSchema>): Promise<{ reposted: false; repostsCount: number }> {
    return this.reposts.unrepost(requireActorId(actor), parse(postTargetSchema, input).postId);
  }

  /**
   * Original posts of a user the actor may see, newest first.
   * @throws ForbiddenError `account_private`, `blocked_by_user`; NotFoundError `user_not_found`; ValidationError `invalid_cursor`.
   */
  async listByUser(actor: Actor, input: z.input<typeof postsByUserSchema>): Promise<Page<PostView>> {
    return this.reader.listByUser(requireActorId(actor), parse(postsByUserSchema, input));
  }

  /**
   * Posts carrying a hashtag that the actor may see (muted and blocked authors left out), newest first.
   * @throws ValidationError `invalid_cursor`; AuthenticationError `unknown_actor`.
   */
  async listByHashtag(actor: Actor, input: z.input<typeof postsByHashtagSchema>): Promise<Page<PostView>> {
    return this.reader.listByHashtag(requireActorId(actor), parse(postsByHashtagSchema, input));
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
