import { createEvent } from "@platform/core";
import type { Activity } from "../domain/post.js";
import type { SocialTx } from "../ports/social-store.js";
import type { ServiceContext } from "./context.js";

/**
 * Keeps materialised home feeds in step with the follow graph (the write side of the hybrid feed):
 * fan-out on write for push activities, backfill on follow, removal on unfollow and block, and a
 * rebuild from storage when a feed is missing.
 */
export class FeedDelivery {
  constructor(private readonly ctx: ServiceContext) {}

  /** Push delivery is chosen per activity when it is written, from the actor's follower count. */
  deliveryFor(followersCount: number): "push" | "pull" {
    return followersCount > this.ctx.config.fanoutThreshold ? "pull" : "push";
  }

  /** Fan-out on write: the activity goes into the materialised feeds of the actor and their followers. */
  async fanOut(tx: SocialTx, activity: Activity): Promise<number> {
    if (activity.delivery !== "push") return 0;
    const targets = await tx.follows.followerIds(activity.actorId);
    targets.push(activity.actorId);
    return tx.feeds.deliver(
      targets,
      { seq: activity.seq, activityId: activity.id, actorId: activity.actorId, postId: activity.postId },
      this.ctx.config.feedCap,
    );
  }

  /** Backfill: the followee's push activities at or above the follower's floor enter the feed. */
  async backfill(tx: SocialTx, followerId: string, followeeId: string): Promise<void> {
    const state = await tx.feeds.getState(followerId);
    if (!state) return;
    const cap = this.ctx.config.feedCap;
    const acts = await tx.activities.listByActors([followeeId], { limit: cap, atLeast: state.floorSeq, delivery: "push" });
    // The feed must hold every push activity at or above its floor: if the followee has more than
    // fit, the floor rises to the oldest one loaded and older ones come from storage.
    if (acts.length === cap) await tx.feeds.raiseFloor(followerId, acts[acts.length - 1]!.seq);
    await tx.feeds.insertMany(
      followerId,
      acts.map((a) => ({ userId: followerId, seq: a.seq, activityId: a.id, actorId: a.actorId, postId: a.postId })),
      cap,
    );
  }

  /** Unfollow and block: the former followee's entries leave the feed. */
  async remove(tx: SocialTx, followerId: string, followeeId: string): Promise<void> {
    await tx.feeds.removeActor(followerId, followeeId);
  }

  /**
   * Rebuilds a feed from the authors' timelines: the newest `window` (default `feedCap`) push
   * activities of its sources; when there are more, the floor is the oldest one loaded. `sources`
   * are the user's followees when the caller has just read them (under the locks of `followingIds`).
   */
  async rebuild(
    tx: SocialTx,
    userId: string,
    options: { sources?: readonly string[]; window?: number } = {},
  ): Promise<{ floorSeq: number; entries: number }> {
    const window = options.window ?? this.ctx.config.feedCap;
    const sources = [...(options.sources ?? (await tx.follows.followingIds(userId))), userId];
    const acts = await tx.activities.listByActors(sources, { limit: window, delivery: "push" });
    const floorSeq = acts.length === window ? acts[acts.length - 1]!.seq : 0;
    await tx.feeds.replace(
      userId,
      acts.map((a) => ({ userId, seq: a.seq, activityId: a.id, actorId: a.actorId, postId: a.postId })),
      floorSeq,
    );
    tx.outbox.add(createEvent("feed.rebuilt", { userId, entries: acts.length }, this.ctx.clock));
    return { floorSeq, entries: acts.length };
  }
}
