import { createEvent, createId, DomainRuleError } from "@platform/core";
import { socialCodes } from "../domain/error-codes.js";
import { isRepostable } from "../domain/visibility.js";
import type { ServiceContext } from "./context.js";
import type { FeedDelivery } from "./feed-delivery.js";
import type { Notifier } from "./notifier.js";
import { postNotFound, requireActor, Viewer } from "./viewer.js";

/** Reposts and their withdrawal, for {@link PostService}: the repost row, its activity, the post's counter, fan-out and events. */
export class RepostWriter {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly delivery: FeedDelivery,
    private readonly notifier: Notifier,
  ) {}

  /** See `PostService.repost`. */
  async repost(actorId: string, postId: string): Promise<{ reposted: true; repostsCount: number }> {
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

  /** See `PostService.unrepost`. */
  async unrepost(actorId: string, postId: string): Promise<{ reposted: false; repostsCount: number }> {
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
}
