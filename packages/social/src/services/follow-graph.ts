import { createEvent, createId } from "@platform/core";
import type { SocialTx } from "../ports/social-store.js";
import type { ServiceContext } from "./context.js";
import type { FeedDelivery } from "./feed-delivery.js";
import type { Notifier } from "./notifier.js";

/**
 * Adds and removes accepted follows with everything that moves with them, in the caller's
 * transaction: the unique pair, both counters, the follower's feed, the event and the notification.
 * Counters move only when the pair really appeared or vanished, so retries and races stay exact.
 */
export class FollowGraph {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly delivery: FeedDelivery,
    private readonly notifier: Notifier,
  ) {}

  async add(tx: SocialTx, followerId: string, followeeId: string, options: { notify: boolean }): Promise<boolean> {
    const row = await tx.follows.insertIfAbsent({ id: createId("flw"), followerId, followeeId, createdAt: this.ctx.clock.now() });
    if (!row) return false;
    await tx.users.incrementCounters(followerId, { followingCount: 1 });
    await tx.users.incrementCounters(followeeId, { followersCount: 1 });
    await this.delivery.backfill(tx, followerId, followeeId);
    tx.outbox.add(createEvent("user.followed", { followerId, followeeId }, this.ctx.clock));
    if (options.notify) await this.notifier.notify(tx, [{ type: "follow", recipientId: followeeId, actorId: followerId }]);
    return true;
  }

  async remove(tx: SocialTx, followerId: string, followeeId: string): Promise<boolean> {
    const row = await tx.follows.delete(followerId, followeeId);
    if (!row) return false;
    await tx.users.incrementCounters(followerId, { followingCount: -1 });
    await tx.users.incrementCounters(followeeId, { followersCount: -1 });
    await this.delivery.remove(tx, followerId, followeeId);
    tx.outbox.add(createEvent("user.unfollowed", { followerId, followeeId }, this.ctx.clock));
    return true;
  }

  /**
   * Accepts every pending follow request of `userId` (an account that turned public: Mastodon
   * accepts them too), in the caller's transaction. Returns how many were accepted.
   */
  async acceptPending(tx: SocialTx, userId: string): Promise<number> {
    let accepted = 0;
    for (;;) {
      const batch = await tx.followRequests.listIncoming(userId, { limit: 100 });
      if (batch.length === 0) return accepted;
      for (const r of batch) {
        await tx.followRequests.delete(r.requesterId, userId);
        await this.add(tx, r.requesterId, userId, { notify: true });
        tx.outbox.add(createEvent("follow_request.approved", { requesterId: r.requesterId, targetId: userId }, this.ctx.clock));
        accepted++;
      }
    }
  }
}
