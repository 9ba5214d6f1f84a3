import { AuthenticationError, checkActor, ForbiddenError, NotFoundError, requireRole, type Actor } from "@platform/core";
import type { Comment } from "../domain/comment.js";
import { socialCodes } from "../domain/error-codes.js";
import { userIdSchema } from "../domain/schemas.js";
import type { Mute } from "../domain/follow.js";
import type { Post } from "../domain/post.js";
import { summarize, type User, type UserSummary } from "../domain/user.js";
import { canSeeContentOf, canSeePost, type ViewerRelation } from "../domain/visibility.js";
import type { SocialTx } from "../ports/social-store.js";

/**
 * The acting user: `actorId` must be the id of a social user. An id that is not even shaped like
 * one is answered the same way, without reaching the store.
 * @throws AuthenticationError `unknown_actor`.
 */
export async function requireActor(tx: SocialTx, actorId: string): Promise<User> {
  const user = userIdSchema.safeParse(actorId).success ? await tx.users.get(actorId) : null;
  if (!user) throw new AuthenticationError(socialCodes.unknown_actor, "the actor is not a social user", { details: { actorId } });
  return user;
}

/**
 * Operator work on `userId`'s data (a feed rebuild or eviction): the user themselves, or an actor
 * with the `admin` role. Returns whether the actor acts on their own data.
 * @throws ValidationError `invalid_actor`; ForbiddenError `role_required` (someone else's data without the role).
 */
export function requireSelfOrAdmin(actor: Actor, userId: string): boolean {
  checkActor(actor);
  if (actor.id !== null && actor.id === userId) return true;
  requireRole(actor, "admin");
  return false;
}

/** A user by id. @throws NotFoundError `user_not_found`. */
export async function requireUser(tx: SocialTx, userId: string): Promise<User> {
  const user = await tx.users.get(userId);
  if (!user) throw NotFoundError.of(socialCodes.user_not_found, "user", userId);
  return user;
}

/** The answer for a missing post, and for one the actor may not see. */
export function postNotFound(postId: string): NotFoundError {
  return NotFoundError.of(socialCodes.post_not_found, "post", postId);
}

/** The answer for a missing comment, and for one the actor may not see. */
export function commentNotFound(commentId: string): NotFoundError {
  return NotFoundError.of(socialCodes.comment_not_found, "comment", commentId);
}

/**
 * Refuses interactions across a block, with the direction in the code.
 * @throws ForbiddenError `blocked_by_user` (the other blocks the actor) or `user_blocked` (the actor blocks the other).
 */
export async function assertNotBlocked(tx: SocialTx, actorId: string, otherId: string): Promise<void> {
  if (actorId === otherId) return;
  if (await tx.blocks.get(otherId, actorId))
    throw new ForbiddenError(socialCodes.blocked_by_user, "this user has blocked you", { details: { userId: otherId } });
  if (await tx.blocks.get(actorId, otherId))
    throw new ForbiddenError(socialCodes.user_blocked, "you have blocked this user", { details: { userId: otherId } });
}

const SELF: ViewerRelation = { isSelf: true, follows: false, blocked: false };

/** What a viewer learned about one user during its transaction; an `undefined` field is not read yet. */
class Known {
  user: User | null | undefined = undefined;
  relation: ViewerRelation | undefined = undefined;
  mute: Mute | null | undefined = undefined;
  summary: UserSummary | undefined = undefined;
}

/**
 * One actor's view during a transaction, with per-call caches of users and relationships so a
 * page of 20 posts costs a handful of look-ups. Every read path asks it before returning content.
 */
export class Viewer {
  // One map for every cached fact about a user: a page touches ~20 users, and four maps of them
  // were a good part of what a home read allocated.
  private readonly known = new Map<string, Known>();

  constructor(
    readonly tx: SocialTx,
    readonly id: string,
  ) {}

  private entry(id: string): Known {
    let k = this.known.get(id);
    if (k === undefined) this.known.set(id, (k = new Known()));
    return k;
  }

  async user(id: string): Promise<User | null> {
    const k = this.entry(id);
    if (k.user === undefined) k.user = await this.tx.users.get(id);
    return k.user;
  }

  async relation(userId: string): Promise<ViewerRelation> {
    const k = this.entry(userId);
    if (!k.relation) {
      k.relation =
        userId === this.id
          ? SELF
          : {
              isSelf: false,
              follows: (await this.tx.follows.get(this.id, userId)) !== null,
              blocked: await this.tx.blocks.eitherBlocks(this.id, userId),
            };
    }
    return k.relation;
  }

  async mute(userId: string): Promise<Mute | null> {
    const k = this.entry(userId);
    if (k.mute === undefined) k.mute = userId === this.id ? null : await this.tx.mutes.get(this.id, userId);
    return k.mute;
  }

  /**
   * Loads what the checks below need about `ids` (users, relations and, with `mutes`, mutes) with
   * one store call per kind for the ids not cached yet, so a page is judged without a look-up per
   * item. `following`: the viewer's followees, when the caller already read them (a home feed's
   * sources); otherwise each new id's follow is looked up.
   */
  async preload(ids: readonly string[], mutes: boolean, following?: ReadonlySet<string>): Promise<void> {
    const users: string[] = [];
    const relations: string[] = [];
    const muted: string[] = [];
    for (const id of ids) {
      const k = this.entry(id);
      if (k.user === undefined && !users.includes(id)) users.push(id);
      if (k.relation === undefined && id !== this.id && !relations.includes(id)) relations.push(id);
      if (mutes && k.mute === undefined && id !== this.id && !muted.includes(id)) muted.push(id);
    }
    if (users.length > 0) {
      const found = await this.tx.users.getMany(users);
      for (const id of users) this.entry(id).user = found.get(id) ?? null;
    }
    if (relations.length > 0) {
      const blocked = await this.tx.blocks.blockedAmong(this.id, relations);
      for (const id of relations) {
        const follows = following ? following.has(id) : (await this.tx.follows.get(this.id, id)) !== null;
        this.entry(id).relation = { isSelf: false, follows, blocked: blocked.has(id) };
      }
    }
    if (muted.length > 0) {
      const found = await this.tx.mutes.mutedAmong(this.id, muted);
      for (const id of muted) this.entry(id).mute = found.get(id) ?? null;
    }
  }

  /** The summary of a user {@link preload}ed (or read) before, built once per viewer; null when missing or not loaded. */
  summary(id: string): UserSummary | null {
    const k = this.known.get(id);
    if (!k?.user) return null;
    return (k.summary ??= summarize(k.user));
  }

  /** {@link canSeePost} from what {@link preload} loaded; false (fail closed) for an author not loaded. */
  seesPost(post: Post): boolean {
    if (post.deletedAt) return false;
    const k = this.known.get(post.authorId);
    const rel = post.authorId === this.id ? SELF : k?.relation;
    return !!k?.user && rel !== undefined && canSeePost(post, k.user, rel);
  }

  /** {@link hides} from what {@link preload} loaded; true (fail closed) for a user not loaded. */
  hidesLoaded(userId: string, mutes: boolean): boolean {
    if (userId === this.id) return false;
    const k = this.known.get(userId);
    if (k?.relation === undefined || k.relation.blocked) return true;
    return mutes && k.mute !== null;
  }

  async canSeePost(post: Post): Promise<boolean> {
    if (post.deletedAt) return false;
    const author = await this.user(post.authorId);
    return author !== null && canSeePost(post, author, await this.relation(post.authorId));
  }

  async canSeeContentOf(user: User): Promise<boolean> {
    return canSeeContentOf(user, await this.relation(user.id));
  }

  /** True when the viewer blocks or is blocked by, or muted, this user (their content is hidden in lists). */
  async hides(userId: string): Promise<boolean> {
    if (userId === this.id) return false;
    return (await this.relation(userId)).blocked || (await this.mute(userId)) !== null;
  }

  /**
   * Whether the viewer may know that a post exists: they could see it, were it not deleted.
   * Everyone else gets the answer of a missing post, so post ids reveal nothing (as orders do).
   */
  async mayKnowPost(post: Post): Promise<boolean> {
    const author = await this.user(post.authorId);
    return author !== null && canSeePost({ ...post, deletedAt: null }, author, await this.relation(post.authorId));
  }

  /** Whether the viewer may know that a comment exists: they may know its post and neither blocks its author. */
  async mayKnowComment(comment: Comment): Promise<boolean> {
    const post = await this.tx.posts.get(comment.postId);
    return post !== null && (await this.mayKnowPost(post)) && !(await this.relation(comment.authorId)).blocked;
  }

  /**
   * A live post the viewer may see. One the viewer may not see answers exactly like a missing one;
   * `post_deleted` goes only to those who could see the post.
   * @throws NotFoundError `post_not_found` or `post_deleted`.
   */
  async visiblePost(postId: string): Promise<{ post: Post; author: User }> {
    const post = await this.tx.posts.get(postId);
    if (!post || !(await this.mayKnowPost(post))) throw postNotFound(postId);
    if (post.deletedAt) throw NotFoundError.of(socialCodes.post_deleted, "post", postId);
    return { post, author: (await this.user(post.authorId))! };
  }

  /**
   * A live comment the viewer may see, on a live post. One the viewer may not see (its post hidden,
   * or a block either way with its author) answers exactly like a missing one.
   * @throws NotFoundError `comment_not_found`, `comment_deleted` or `post_deleted`.
   */
  async visibleComment(commentId: string): Promise<{ comment: Comment; post: Post }> {
    const comment = await this.tx.comments.get(commentId);
    if (!comment || !(await this.mayKnowComment(comment))) throw commentNotFound(commentId);
    if (comment.deletedAt) throw NotFoundError.of(socialCodes.comment_deleted, "comment", commentId);
    const post = (await this.tx.posts.get(comment.postId))!;
    if (post.deletedAt) throw NotFoundError.of(socialCodes.post_deleted, "post", post.id);
    return { comment, post };
  }

  /** The content of `user` (posts, lists) if the viewer may see it. @throws ForbiddenError `blocked_by_user` or `account_private`. */
  async assertCanSeeContentOf(user: User): Promise<void> {
    if (user.id === this.id) return;
    if (await this.tx.blocks.get(user.id, this.id))
      throw new ForbiddenError(socialCodes.blocked_by_user, "this user has blocked you", { details: { userId: user.id } });
    // A viewer who blocked a private account is not its follower either: refuse here rather than
    // trusting every caller to filter the items it reads afterwards.
    if (user.isPrivate && !(await this.canSeeContentOf(user))) {
      throw new ForbiddenError(socialCodes.account_private, "this account is private", { details: { userId: user.id } });
    }
  }
}
