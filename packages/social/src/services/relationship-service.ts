import { createEvent, createId, DomainRuleError, parse, requireActorId, type Actor } from "@platform/core";
import { socialCodes } from "../domain/error-codes.js";
import type { z } from "zod";
import { muteSchema, relationTargetSchema } from "../domain/follow.js";
import type { ServiceContext } from "./context.js";
import type { FollowGraph } from "./follow-graph.js";
import { requireActor, requireUser } from "./viewer.js";

/**
 * Blocks and mutes (exposed on `social.users`), each `(actor, { userId })` by a signed-in social user.
 * @throws (every method) ValidationError `invalid_actor`; AuthenticationError `unauthenticated`, `unknown_actor`.
 */
export class RelationshipService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly graph: FollowGraph,
  ) {}

  /**
   * Blocks a user: removes follows and follow requests both ways (counters and feeds follow), and
   * from then on neither can follow, comment on, like, mention or notify the other. Idempotent.
   * @throws DomainRuleError `self_block`; AuthenticationError `unknown_actor`; NotFoundError `user_not_found`.
   */
  async block(actor: Actor, input: z.input<typeof relationTargetSchema>): Promise<{ blocking: true }> {
    const actorId = requireActorId(actor);
    const { userId } = parse(relationTargetSchema, input);
    if (actorId === userId) throw new DomainRuleError(socialCodes.self_block, "you cannot block yourself");
    return this.ctx.store.transaction(async (tx) => {
      await requireActor(tx, actorId);
      await requireUser(tx, userId);
      const row = await tx.blocks.insertIfAbsent({
        id: createId("blk"),
        blockerId: actorId,
        blockedId: userId,
        createdAt: this.ctx.clock.now(),
      });
      if (row) {
        await this.graph.remove(tx, actorId, userId);
        await this.graph.remove(tx, userId, actorId);
        await tx.followRequests.delete(actorId, userId);
        await tx.followRequests.delete(userId, actorId);
        // Mastodon drops notifications across a block, so the unread count stays honest.
        await tx.notifications.deleteFromActor(actorId, userId);
        await tx.notifications.deleteFromActor(userId, actorId);
        tx.outbox.add(createEvent("user.blocked", { blockerId: actorId, blockedId: userId }, this.ctx.clock));
      }
      return { blocking: true as const };
    });
  }

  /** Lifts a block (follows are not restored). Idempotent. @throws AuthenticationError `unknown_actor`; NotFoundError `user_not_found`. */
  async unblock(actor: Actor, input: z.input<typeof relationTargetSchema>): Promise<{ blocking: false }> {
    const actorId = requireActorId(actor);
    const { userId } = parse(relationTargetSchema, input);
    return this.ctx.store.transaction(async (tx) => {
      await requireActor(tx, actorId);
      await requireUser(tx, userId);
      if (await tx.blocks.delete(actorId, userId))
        tx.outbox.add(createEvent("user.unblocked", { blockerId: actorId, blockedId: userId }, this.ctx.clock));
      return { blocking: false as const };
    });
  }

  /**
   * Mutes a user: their posts and reposts leave the actor's home and hashtag feeds and (unless
   * `notifications: false`) their notifications stop, without telling them. Idempotent; a second
   * call updates the notification option.
   * @throws DomainRuleError `self_mute`; AuthenticationError `unknown_actor`; NotFoundError `user_not_found`.
   */
  async mute(actor: Actor, input: z.input<typeof muteSchema>): Promise<{ muting: true }> {
    const actorId = requireActorId(actor);
    const { userId, notifications } = parse(muteSchema, input);
    if (actorId === userId) throw new DomainRuleError(socialCodes.self_mute, "you cannot mute yourself");
    return this.ctx.store.transaction(async (tx) => {
      await requireActor(tx, actorId);
      await requireUser(tx, userId);
      const mute = {
        id: createId("mute"),
        muterId: actorId,
        mutedId: userId,
        hideNotifications: notifications,
        createdAt: this.ctx.clock.now(),
      };
      const row = await tx.mutes.insertIfAbsent(mute);
      if (row) tx.outbox.add(createEvent("user.muted", { muterId: actorId, mutedId: userId }, this.ctx.clock));
      else {
        const existing = (await tx.mutes.get(actorId, userId))!;
        if (existing.hideNotifications !== notifications) await tx.mutes.put({ ...existing, hideNotifications: notifications });
      }
      return { muting: true as const };
    });
  }

  /** Lifts a mute. Idempotent. @throws AuthenticationError `unknown_actor`; NotFoundError `user_not_found`. */
  async unmute(actor: Actor, input: z.input<typeof relationTargetSchema>): Promise<{ muting: false }> {
    const actorId = requireActorId(actor);
    const { userId } = parse(relationTargetSchema, input);
    return this.ctx.store.transaction(async (tx) => {
      await requireActor(tx, actorId);
      await requireUser(tx, userId);
      if (await tx.mutes.delete(actorId, userId))
        tx.outbox.add(createEvent("user.unmuted", { muterId: actorId, mutedId: userId }, this.ctx.clock));
      return { muting: false as const };
    });
  }
}
