import {
  createEvent,
  createId,
  DomainRuleError,
  NotFoundError,
  pageRequestSchema,
  parse,
  requireActorId,
  type Actor,
  type Page,
  type PageRequest,
} from "@platform/core";
import { socialCodes } from "../domain/error-codes.js";
import { z } from "zod";
import { followRequestTargetSchema, relationTargetSchema, type FollowOutcome } from "../domain/follow.js";
import { userIdSchema } from "../domain/schemas.js";
import { summarize, type UserSummary } from "../domain/user.js";
import type { ServiceContext } from "./context.js";
import type { FollowGraph } from "./follow-graph.js";
import type { Notifier } from "./notifier.js";
import { collectPage, decodeSeq } from "./paging.js";
import { assertNotBlocked, requireActor, requireUser, Viewer } from "./viewer.js";

/** Input of `follows.followers` / `follows.following`. */
export const followListSchema = pageRequestSchema.extend({ userId: userIdSchema });

/**
 * Follows, unfollows and follow requests of private accounts. Every method takes the actor (a
 * signed-in social user) first: `(actor, input)`.
 * @throws (every method) ValidationError `invalid_actor`; AuthenticationError `unauthenticated`, `unknown_actor`.
 */
export class FollowService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly graph: FollowGraph,
    private readonly notifier: Notifier,
  ) {}

  /**
   * Follows a user, or asks to when the account is private. Idempotent: following twice changes nothing.
   * @throws DomainRuleError `self_follow`; ForbiddenError `blocked_by_user` (they block you), `user_blocked` (you block them);
   *   AuthenticationError `unknown_actor`; NotFoundError `user_not_found`.
   * @example
   * ```ts
   * const { status } = await social.follows.follow(actor, { userId: jane.id }); // "following" | "requested"
   * ```
   */
  async follow(actor: Actor, input: z.input<typeof relationTargetSchema>): Promise<{ status: FollowOutcome }> {
    const actorId = requireActorId(actor);
    const { userId } = parse(relationTargetSchema, input);
    if (actorId === userId) throw new DomainRuleError(socialCodes.self_follow, "you cannot follow yourself");
    return this.ctx.store.transaction(async (tx) => {
      await requireActor(tx, actorId);
      const target = await requireUser(tx, userId);
      await assertNotBlocked(tx, actorId, userId);
      if (await tx.follows.get(actorId, userId)) return { status: "following" as const };
      if (target.isPrivate) {
        const request = await tx.followRequests.insertIfAbsent({
          id: createId("freq"),
          requesterId: actorId,
          targetId: userId,
          createdAt: this.ctx.clock.now(),
        });
        if (request) {
          tx.outbox.add(createEvent("follow_request.created", { requesterId: actorId, targetId: userId }, this.ctx.clock));
          await this.notifier.notify(tx, [{ type: "follow_request", recipientId: userId, actorId }]);
        }
        return { status: "requested" as const };
      }
      await this.graph.add(tx, actorId, userId, { notify: true });
      return { status: "following" as const };
    });
  }

  /** Unfollows (and withdraws a pending request). Idempotent. @throws AuthenticationError `unknown_actor`; NotFoundError `user_not_found`. */
  async unfollow(actor: Actor, input: z.input<typeof relationTargetSchema>): Promise<{ status: "none" }> {
    const actorId = requireActorId(actor);
    const { userId } = parse(relationTargetSchema, input);
    return this.ctx.store.transaction(async (tx) => {
      await requireActor(tx, actorId);
      await requireUser(tx, userId);
      await this.graph.remove(tx, actorId, userId);
      if (await tx.followRequests.delete(actorId, userId))
        tx.outbox.add(createEvent("follow_request.canceled", { requesterId: actorId, targetId: userId }, this.ctx.clock));
      return { status: "none" as const };
    });
  }

  /**
   * The private account (actor) accepts `userId`'s request.
   * @throws NotFoundError `follow_request_not_found`; ForbiddenError `blocked_by_user`, `user_blocked`.
   */
  async approve(actor: Actor, input: z.input<typeof followRequestTargetSchema>): Promise<{ status: "following" }> {
    const actorId = requireActorId(actor);
    const { userId } = parse(followRequestTargetSchema, input);
    return this.ctx.store.transaction(async (tx) => {
      await requireActor(tx, actorId);
      const request = await tx.followRequests.delete(userId, actorId);
      if (!request) throw NotFoundError.of(socialCodes.follow_request_not_found, "follow request", `${userId}->${actorId}`);
      await this.graph.add(tx, userId, actorId, { notify: false });
      tx.outbox.add(createEvent("follow_request.approved", { requesterId: userId, targetId: actorId }, this.ctx.clock));
      return { status: "following" as const };
    });
  }

  /** The private account (actor) declines `userId`'s request. @throws NotFoundError `follow_request_not_found`. */
  async reject(actor: Actor, input: z.input<typeof followRequestTargetSchema>): Promise<{ status: "none" }> {
    const actorId = requireActorId(actor);
    const { userId } = parse(followRequestTargetSchema, input);
    return this.ctx.store.transaction(async (tx) => {
      await requireActor(tx, actorId);
      if (!(await tx.followRequests.delete(userId, actorId)))
        throw NotFoundError.of(socialCodes.follow_request_not_found, "follow request", `${userId}->${actorId}`);
      tx.outbox.add(createEvent("follow_request.rejected", { requesterId: userId, targetId: actorId }, this.ctx.clock));
      return { status: "none" as const };
    });
  }

  /** The requester (actor) withdraws their request to `userId`. @throws NotFoundError `follow_request_not_found`. */
  async cancel(actor: Actor, input: z.input<typeof followRequestTargetSchema>): Promise<{ status: "none" }> {
    const actorId = requireActorId(actor);
    const { userId } = parse(followRequestTargetSchema, input);
    return this.ctx.store.transaction(async (tx) => {
      await requireActor(tx, actorId);
      if (!(await tx.followRequests.delete(actorId, userId)))
        throw NotFoundError.of(socialCodes.follow_request_not_found, "follow request", `${actorId}->${userId}`);
      tx.outbox.add(createEvent("follow_request.canceled", { requesterId: actorId, targetId: userId }, this.ctx.clock));
      return { status: "none" as const };
    });
  }

  /** Pending requests to the actor's account, newest first. @throws ValidationError `invalid_cursor`. */
  async requests(actor: Actor, input: PageRequest = {}): Promise<Page<UserSummary>> {
    const actorId = requireActorId(actor);
    const { limit, cursor } = parse(pageRequestSchema, input);
    return this.ctx.store.transaction(async (tx) => {
      await requireActor(tx, actorId);
      const kind = `social.follow_requests:${actorId}`;
      return collectPage({
        limit,
        start: decodeSeq(this.ctx.codec, kind, cursor),
        fetch: (before, n) => tx.followRequests.listIncoming(actorId, { before, limit: n }),
        seqOf: (r) => r.seq,
        accept: async (r) => {
          const u = await tx.users.get(r.requesterId);
          return u ? summarize(u) : null;
        },
        codec: this.ctx.codec,
        kind,
      });
    });
  }

  /**
   * Followers of a user, newest first; a private account's lists are for its followers only.
   * @throws ForbiddenError `account_private`, `blocked_by_user`; NotFoundError `user_not_found`; ValidationError `invalid_cursor`.
   */
  async followers(actor: Actor, input: z.input<typeof followListSchema>): Promise<Page<UserSummary>> {
    return this.list(actor, input, "followers");
  }

  /** Accounts a user follows, newest first. @throws the same as {@link FollowService.followers}. */
  async following(actor: Actor, input: z.input<typeof followListSchema>): Promise<Page<UserSummary>> {
    return this.list(actor, input, "following");
  }

  private async list(actor: Actor, input: z.input<typeof followListSchema>, which: "followers" | "following"): Promise<Page<UserSummary>> {
    const actorId = requireActorId(actor);
    const { userId, limit, cursor } = parse(followListSchema, input);
    return this.ctx.store.transaction(async (tx) => {
      await requireActor(tx, actorId);
      const viewer = new Viewer(tx, actorId);
      const user = await requireUser(tx, userId);
      await viewer.assertCanSeeContentOf(user);
      const kind = `social.${which}:${userId}`;
      const canSee = await viewer.canSeeContentOf(user);
      return collectPage({
        limit,
        start: decodeSeq(this.ctx.codec, kind, cursor),
        fetch: async (before, n) =>
          canSee
            ? which === "followers"
              ? tx.follows.listFollowers(userId, { before, limit: n })
              : tx.follows.listFollowing(userId, { before, limit: n })
            : [],
        seqOf: (f) => f.seq,
        accept: async (f) => {
          const otherId = which === "followers" ? f.followerId : f.followeeId;
          if (otherId !== actorId && (await viewer.relation(otherId)).blocked) return null;
          const u = await viewer.user(otherId);
          return u ? summarize(u) : null;
        },
        codec: this.ctx.codec,
        kind,
      });
    });
  }
}
