import { checkActor, createEvent, createId, NotFoundError, parse, requireActorId, requireRole, type Actor } from "@platform/core";
import { z } from "zod";
import {
  setVerifiedSchema,
  summarize,
  updateProfileSchema,
  createUserSchema,
  externalIdSchema,
  userTargetSchema,
  usernameLookupSchema,
  type CreateUserInput,
  type Profile,
  type Relationship,
  type User,
  type UserCounters,
} from "../domain/user.js";
import { socialCodes } from "../domain/error-codes.js";
import { userIdSchema } from "../domain/schemas.js";
import type { SocialTx } from "../ports/social-store.js";
import { muteSchema, relationTargetSchema } from "../domain/follow.js";
import type { ServiceContext } from "./context.js";
import type { FollowGraph } from "./follow-graph.js";
import type { RelationshipService } from "./relationship-service.js";
import { requireActor, requireUser, Viewer } from "./viewer.js";

/** Input of `users.recount`. */
export const recountUserSchema = z.object({ userId: userIdSchema, repair: z.boolean().default(false) });

/** Input of `users.getByExternalId`. */
export const externalIdLookupSchema = z.object({ externalId: externalIdSchema });

/** Input of `users.linkExternalId`: `externalId: null` unlinks. */
export const linkExternalIdSchema = z.object({ userId: userIdSchema, externalId: externalIdSchema.nullable() });

/** Stored counters next to a recount from the rows themselves. */
export interface RecountResult<C> {
  readonly stored: C;
  readonly actual: C;
  readonly consistent: boolean;
  readonly repaired: boolean;
}

/**
 * Users and profiles: registration, profile edits, verification, and recounts. Every method takes
 * the actor first (`(actor, input)`): user methods need a signed-in actor whose `id` is a social user.
 * @throws (every user method) ValidationError `invalid_actor`; AuthenticationError `unauthenticated`, `unknown_actor`.
 */
export class UserService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly relationships: RelationshipService,
    private readonly graph: FollowGraph,
  ) {}

  /** Blocks a user. See {@link RelationshipService.block}. @throws DomainRuleError `self_block`; NotFoundError `user_not_found`. */
  block(actor: Actor, input: z.input<typeof relationTargetSchema>): Promise<{ blocking: true }> {
    return this.relationships.block(actor, input);
  }

  /** Lifts a block. @throws NotFoundError `user_not_found`. */
  unblock(actor: Actor, input: z.input<typeof relationTargetSchema>): Promise<{ blocking: false }> {
    return this.relationships.unblock(actor, input);
  }

  /** Mutes a user. See {@link RelationshipService.mute}. @throws DomainRuleError `self_mute`; NotFoundError `user_not_found`. */
  mute(actor: Actor, input: z.input<typeof muteSchema>): Promise<{ muting: true }> {
    return this.relationships.mute(actor, input);
  }

  /** Lifts a mute. @throws NotFoundError `user_not_found`. */
  unmute(actor: Actor, input: z.input<typeof relationTargetSchema>): Promise<{ muting: false }> {
    return this.relationships.unmute(actor, input);
  }

  /** How the actor relates to a user. @throws AuthenticationError `unknown_actor`; NotFoundError `user_not_found`. */
  async relationship(actor: Actor, input: z.input<typeof userTargetSchema>): Promise<Relationship> {
    const actorId = requireActorId(actor);
    const { userId } = parse(userTargetSchema, input);
    return this.ctx.store.transaction(async (tx) => {
      await requireActor(tx, actorId);
      await requireUser(tx, userId);
      return relationship(tx, actorId, userId);
    });
  }

  /**
   * Registers a user. Anyone may register (pass `ANONYMOUS_ACTOR`); creating an account with
   * `role: "admin"` needs an actor holding the `admin` role, so a sign-up route that forwards its
   * body cannot mint admins.
   * @throws ValidationError `invalid_actor`, `invalid_username`, `username_reserved`, `invalid_avatar_url`, `invalid_external_id`,
   *   `validation_failed`; ForbiddenError `role_required` (`role: "admin"`); ConflictError `username_taken` (case-insensitive),
   *   `email_taken`, `external_id_taken`.
   * @example
   * ```ts
   * const john = await social.users.create(ANONYMOUS_ACTOR, { username: "john_doe", email: "john@example.com", name: "John Doe" });
   * ```
   */
  async create(actor: Actor, input: CreateUserInput): Promise<User> {
    checkActor(actor);
    const data = parse(createUserSchema, input);
    if (data.role !== "user") requireRole(actor, "admin");
    const now = this.ctx.clock.now();
    return this.ctx.store.transaction(async (tx) => {
      const user = await tx.users.insert({ id: createId("usr"), ...data, isVerified: false, createdAt: now, updatedAt: now });
      tx.outbox.add(createEvent("user.created", { userId: user.id, username: user.username }, this.ctx.clock));
      return user;
    });
  }

  /**
   * The account linked to a host principal (e.g. the commerce customer id the host authenticated).
   * The sign-in step of a host, so any actor may call it (`ANONYMOUS_ACTOR`); it returns the whole
   * account, so pass the id your own authentication produced, never a client-supplied one.
   * @throws ValidationError `invalid_actor`, `invalid_external_id`; NotFoundError `user_not_found`.
   * @example
   * ```ts
   * const { customerId } = await shop.users.authenticate(token);              // commerce login
   * const me = await social.users.getByExternalId(ANONYMOUS_ACTOR, { externalId: customerId! });
   * const actor = { id: me.id, roles: [me.role] };
   * await social.posts.create(actor, { content: "Bought a laptop!" });
   * ```
   */
  async getByExternalId(actor: Actor, input: z.input<typeof externalIdLookupSchema>): Promise<User> {
    checkActor(actor);
    const { externalId } = parse(externalIdLookupSchema, input);
    return this.ctx.store.transaction(async (tx) => {
      const user = await tx.users.getByExternalId(externalId);
      if (!user) throw NotFoundError.of(socialCodes.user_not_found, "user", externalId);
      return user;
    });
  }

  /**
   * Links an account to a host principal (or unlinks it with `externalId: null`). Operator work:
   * admin only (a new account gets its link at `create`).
   * @throws ValidationError `invalid_actor`, `invalid_external_id`; ForbiddenError `role_required`; ConflictError
   *   `external_id_taken` (linked to another account); NotFoundError `user_not_found`.
   */
  async linkExternalId(actor: Actor, input: z.input<typeof linkExternalIdSchema>): Promise<User> {
    requireRole(actor, "admin");
    const { userId, externalId } = parse(linkExternalIdSchema, input);
    return this.ctx.store.transaction(async (tx) => {
      await requireUser(tx, userId);
      const user = await tx.users.setExternalId(userId, externalId, this.ctx.clock.now());
      tx.outbox.add(createEvent("user.updated", { userId }, this.ctx.clock));
      return user;
    });
  }

  /**
   * A profile as the actor sees it (e-mail is left out). Private accounts show their profile but not their posts.
   * @throws AuthenticationError `unknown_actor`; NotFoundError `user_not_found`; ForbiddenError `blocked_by_user`.
   */
  async get(actor: Actor, input: z.input<typeof userTargetSchema>): Promise<Profile> {
    const actorId = requireActorId(actor);
    const { userId } = parse(userTargetSchema, input);
    return this.ctx.store.transaction(async (tx) => {
      await requireActor(tx, actorId);
      return this.profile(tx, actorId, await requireUser(tx, userId));
    });
  }

  /**
   * A profile by username, case-insensitively.
   * @throws AuthenticationError `unknown_actor`; NotFoundError `user_not_found`; ForbiddenError `blocked_by_user`.
   */
  async getByUsername(actor: Actor, input: z.input<typeof usernameLookupSchema>): Promise<Profile> {
    const actorId = requireActorId(actor);
    const { username } = parse(usernameLookupSchema, input);
    return this.ctx.store.transaction(async (tx) => {
      await requireActor(tx, actorId);
      const user = await tx.users.getByUsername(username);
      if (!user) throw NotFoundError.of(socialCodes.user_not_found, "user", username);
      return this.profile(tx, actorId, user);
    });
  }

  /** The actor's own account, with e-mail and role. @throws AuthenticationError `unknown_actor`. */
  async me(actor: Actor): Promise<User> {
    const actorId = requireActorId(actor);
    return this.ctx.store.transaction((tx) => requireActor(tx, actorId));
  }

  /**
   * Edits the actor's own profile (name, bio, avatar, private flag). An account that turns public
   * accepts its pending follow requests.
   * @throws ValidationError `invalid_avatar_url`, `name_too_long`, `bio_too_long`; AuthenticationError `unknown_actor`.
   */
  async updateProfile(actor: Actor, input: z.input<typeof updateProfileSchema>): Promise<User> {
    const actorId = requireActorId(actor);
    const patch = parse(updateProfileSchema, input);
    return this.ctx.store.transaction(async (tx) => {
      const before = await requireActor(tx, actorId);
      const clean = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
      if (before.isPrivate && patch.isPrivate === false) await this.graph.acceptPending(tx, actorId);
      const user = await tx.users.updateProfile(actorId, clean, this.ctx.clock.now());
      tx.outbox.add(createEvent("user.updated", { userId: actorId }, this.ctx.clock));
      return user;
    });
  }

  /**
   * Sets or clears the verified badge. Admin only: the actor needs the `admin` role (it need not be a social user).
   * @throws ForbiddenError `role_required`; NotFoundError `user_not_found`.
   */
  async setVerified(actor: Actor, input: z.input<typeof setVerifiedSchema>): Promise<User> {
    requireRole(actor, "admin");
    const { userId, verified } = parse(setVerifiedSchema, input);
    return this.ctx.store.transaction(async (tx) => {
      await requireUser(tx, userId);
      const user = await tx.users.updateProfile(userId, { isVerified: verified }, this.ctx.clock.now());
      tx.outbox.add(createEvent("user.verified", { userId, verified, by: actor.id }, this.ctx.clock));
      return user;
    });
  }

  /**
   * Recounts a user's followers, following and posts from the rows, optionally repairing the
   * stored counters. Operator work (admin only): the counters are kept exact in every transaction,
   * and this proves it.
   * @throws ForbiddenError `role_required`; NotFoundError `user_not_found`.
   */
  async recount(actor: Actor, input: z.input<typeof recountUserSchema>): Promise<RecountResult<UserCounters>> {
    requireRole(actor, "admin");
    const { userId, repair } = parse(recountUserSchema, input);
    return this.ctx.store.transaction(async (tx) => {
      const user = await requireUser(tx, userId);
      const stored = { followersCount: user.followersCount, followingCount: user.followingCount, postsCount: user.postsCount };
      const actual = {
        followersCount: await tx.follows.countFollowers(userId),
        followingCount: await tx.follows.countFollowing(userId),
        postsCount: await tx.posts.countByAuthor(userId),
      };
      const consistent =
        stored.followersCount === actual.followersCount &&
        stored.followingCount === actual.followingCount &&
        stored.postsCount === actual.postsCount;
      if (!consistent && repair) await tx.users.setCounters(userId, actual);
      return { stored, actual, consistent, repaired: !consistent && repair };
    });
  }

  private async profile(tx: SocialTx, viewerId: string, user: User): Promise<Profile> {
    const viewer = new Viewer(tx, viewerId);
    await viewer.assertCanSeeContentOf({ ...user, isPrivate: false });
    return {
      ...summarize(user),
      bio: user.bio,
      followersCount: user.followersCount,
      followingCount: user.followingCount,
      postsCount: user.postsCount,
      createdAt: user.createdAt,
      relationship: await relationship(tx, viewerId, user.id),
    };
  }
}

/** How `viewerId` relates to `userId`. */
export async function relationship(tx: SocialTx, viewerId: string, userId: string): Promise<Relationship> {
  if (viewerId === userId) return { following: false, followedBy: false, requested: false, blocking: false, muting: false };
  return {
    following: (await tx.follows.get(viewerId, userId)) !== null,
    followedBy: (await tx.follows.get(userId, viewerId)) !== null,
    requested: (await tx.followRequests.get(viewerId, userId)) !== null,
    blocking: (await tx.blocks.get(viewerId, userId)) !== null,
    muting: (await tx.mutes.get(viewerId, userId)) !== null,
  };
}
