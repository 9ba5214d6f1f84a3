import { ForbiddenError, NotFoundError, parse, requireActorId, type Actor, type Page } from "@platform/core";
import { socialCodes } from "../domain/error-codes.js";
import type { z } from "zod";
import { listNotificationsSchema, markReadSchema, type Notification } from "../domain/notification.js";
import { groupNotifications, type NotificationGroup } from "../domain/notification-grouping.js";
import { summarize, type UserSummary } from "../domain/user.js";
import type { SocialTx } from "../ports/social-store.js";
import type { ServiceContext } from "./context.js";
import { collectPage, decodeSeq } from "./paging.js";
import { requireActor, Viewer } from "./viewer.js";

/** A notification with its actor's public face. */
export interface NotificationView extends Notification {
  readonly actor: UserSummary;
}

/** A notification as it crosses the wire. */
export interface NotificationJSON {
  id: string;
  type: NotificationView["type"];
  actor: UserSummary;
  postId: string | null;
  commentId: string | null;
  readAt: string | null;
  createdAt: string;
}

/**
 * The wire view of a notification: what happened, who did it, and on what. The recipient (the
 * caller), the store sequence and the dedupe and group keys stay on the server.
 * @example
 * ```ts
 * const page = await social.notifications.list(actor, {});
 * return c.json({ items: page.items.map(toNotificationJSON), nextCursor: page.nextCursor });
 * ```
 */
export function toNotificationJSON(n: NotificationView): NotificationJSON {
  const { id, username, name, avatarUrl, isVerified, isPrivate } = n.actor;
  return {
    id: n.id,
    type: n.type,
    actor: { id, username, name, avatarUrl, isVerified, isPrivate },
    postId: n.postId,
    commentId: n.commentId,
    readAt: n.readAt ? n.readAt.toISOString() : null,
    createdAt: n.createdAt.toISOString(),
  };
}

/**
 * The actor's notifications: list, grouped list, unread count, mark read. Every method takes the
 * actor (a signed-in social user) first.
 * @throws (every method) ValidationError `invalid_actor`; AuthenticationError `unauthenticated`, `unknown_actor`.
 */
export class NotificationService {
  constructor(private readonly ctx: ServiceContext) {}

  /**
   * The actor's notifications, newest first; those from users now blocked or muted are hidden.
   * @throws ValidationError `invalid_cursor`; AuthenticationError `unknown_actor`.
   */
  async list(actor: Actor, input: z.input<typeof listNotificationsSchema> = {}): Promise<Page<NotificationView>> {
    const actorId = requireActorId(actor);
    const { limit, cursor, unreadOnly } = parse(listNotificationsSchema, input);
    return this.ctx.store.transaction(async (tx) => this.page(tx, actorId, limit, cursor, unreadOnly));
  }

  /**
   * One page of notifications grouped at read time (Mastodon 4.3): likes and reposts of the same
   * post, and follows, become one group ("jane_smith and 3 others liked your post"). The cursor
   * walks the underlying notifications, so a large group may continue on the next page.
   * @throws ValidationError `invalid_cursor`; AuthenticationError `unknown_actor`.
   */
  async listGrouped(actor: Actor, input: z.input<typeof listNotificationsSchema> = {}): Promise<Page<NotificationGroup>> {
    const actorId = requireActorId(actor);
    const { limit, cursor, unreadOnly } = parse(listNotificationsSchema, input);
    return this.ctx.store.transaction(async (tx) => {
      const page = await this.page(tx, actorId, limit, cursor, unreadOnly);
      const actors = new Map(page.items.map((n) => [n.actorId, n.actor]));
      return { items: groupNotifications(page.items, actors), nextCursor: page.nextCursor };
    });
  }

  /** Number of unread notifications. @throws AuthenticationError `unknown_actor`. */
  async unreadCount(actor: Actor): Promise<number> {
    const actorId = requireActorId(actor);
    return this.ctx.store.transaction(async (tx) => {
      await requireActor(tx, actorId);
      return tx.notifications.countUnread(actorId);
    });
  }

  /** Marks one notification read (idempotent). @throws NotFoundError `notification_not_found`; ForbiddenError `not_recipient`. */
  async markRead(actor: Actor, input: z.input<typeof markReadSchema>): Promise<{ read: true }> {
    const actorId = requireActorId(actor);
    const { notificationId } = parse(markReadSchema, input);
    return this.ctx.store.transaction(async (tx) => {
      await requireActor(tx, actorId);
      const n = await tx.notifications.get(notificationId);
      if (!n) throw NotFoundError.of(socialCodes.notification_not_found, "notification", notificationId);
      if (n.recipientId !== actorId) throw new ForbiddenError(socialCodes.not_recipient, "not your notification");
      await tx.notifications.markRead(notificationId, this.ctx.clock.now());
      return { read: true as const };
    });
  }

  /** Marks all the actor's notifications read; returns how many changed. @throws AuthenticationError `unknown_actor`. */
  async markAllRead(actor: Actor): Promise<{ marked: number }> {
    const actorId = requireActorId(actor);
    return this.ctx.store.transaction(async (tx) => {
      await requireActor(tx, actorId);
      return { marked: await tx.notifications.markAllRead(actorId, this.ctx.clock.now()) };
    });
  }

  private async page(
    tx: SocialTx,
    actorId: string,
    limit: number,
    cursor: string | null | undefined,
    unreadOnly: boolean,
  ): Promise<Page<NotificationView>> {
    await requireActor(tx, actorId);
    const viewer = new Viewer(tx, actorId);
    const kind = `social.notifications:${actorId}:${unreadOnly ? "unread" : "all"}`;
    return collectPage({
      limit,
      start: decodeSeq(this.ctx.codec, kind, cursor),
      fetch: (before, n) => tx.notifications.listByRecipient(actorId, { before, limit: n, unreadOnly }),
      seqOf: (n) => n.seq,
      accept: async (n) => {
        if ((await viewer.relation(n.actorId)).blocked) return null;
        const mute = await viewer.mute(n.actorId);
        if (mute?.hideNotifications) return null;
        const actor = await viewer.user(n.actorId);
        return actor ? { ...n, actor: summarize(actor) } : null;
      },
      codec: this.ctx.codec,
      kind,
    });
  }
}
