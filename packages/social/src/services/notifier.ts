import { createEvent, createId } from "@platform/core";
import type { NotificationCandidate } from "../domain/notification.js";
import { notificationKeys, shouldNotify } from "../domain/notification-rules.js";
import { canSeePost } from "../domain/visibility.js";
import type { SocialTx } from "../ports/social-store.js";
import type { ServiceContext } from "./context.js";

/**
 * Applies the notification rules inside the transaction of the action that triggers them, so a
 * rolled-back like notifies nobody. Filters each candidate by the recipient's blocks, mutes and
 * right to see the subject; de-duplicates by (recipient, dedupe key).
 */
export class Notifier {
  constructor(private readonly ctx: ServiceContext) {}

  async notify(tx: SocialTx, candidates: readonly NotificationCandidate[]): Promise<number> {
    let created = 0;
    for (const c of candidates) {
      if (c.actorId === c.recipientId) continue;
      const recipient = await tx.users.get(c.recipientId);
      if (!recipient) continue;
      const blocked = await tx.blocks.eitherBlocks(c.recipientId, c.actorId);
      const mute = await tx.mutes.get(c.recipientId, c.actorId);
      let canSeeSubject = true;
      if (c.postId) {
        const post = await tx.posts.get(c.postId);
        const author = post ? await tx.users.get(post.authorId) : null;
        const rel = {
          isSelf: post?.authorId === c.recipientId,
          follows: post ? (await tx.follows.get(c.recipientId, post.authorId)) !== null : false,
          blocked: post ? await tx.blocks.eitherBlocks(c.recipientId, post.authorId) : false,
        };
        canSeeSubject = post !== null && author !== null && canSeePost(post, author, rel);
      }
      if (!shouldNotify(c, { blocked, mutedNotifications: mute?.hideNotifications ?? false, canSeeSubject })) continue;
      const row = await tx.notifications.insertIfAbsent({
        id: createId("ntf"),
        recipientId: c.recipientId,
        type: c.type,
        actorId: c.actorId,
        postId: c.postId ?? null,
        commentId: c.commentId ?? null,
        ...notificationKeys(c),
        readAt: null,
        createdAt: this.ctx.clock.now(),
      });
      if (!row) continue;
      created++;
      tx.outbox.add(
        createEvent("notification.created", { notificationId: row.id, recipientId: row.recipientId, type: row.type }, this.ctx.clock),
      );
    }
    return created;
  }
}
