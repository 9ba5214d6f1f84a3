import { pageRequestSchema, parse, requireActorId, type Actor, type Page, type PageRequest, together } from "@platform/core";
import { z } from "zod";
import type { FeedItem, RankedFeedItem } from "../domain/feed.js";
import { rankScore } from "../domain/ranking.js";
import { userIdSchema } from "../domain/schemas.js";
import type { SocialTx } from "../ports/social-store.js";
import type { ServiceContext } from "./context.js";
import type { FeedDelivery } from "./feed-delivery.js";
import { homeCandidates, hydrateFeed } from "./feed-reader.js";
import { batchSize, collectPageBatched, decodeSeq } from "./paging.js";
import { requireActor, requireSelfOrAdmin, requireUser, Viewer } from "./viewer.js";

/** Input of `feeds.profile`. */
export const profileTimelineSchema = pageRequestSchema.extend({ userId: userIdSchema });
/** Input of `feeds.ranked`. */
export const rankedFeedSchema = z.object({ limit: z.number().int().min(1).max(100).default(20) });
/** Input of `feeds.rebuild` and `feeds.evict`: the actor's own feed by default; another user's needs the `admin` role. */
export const feedTargetSchema = z.object({ userId: userIdSchema.optional() });

/**
 * Home feeds (hybrid fan-out), profile timelines and the ranked feed. Every method takes the actor
 * first (`(actor, input)`): a signed-in social user, or the admin role for another user's feed.
 * @throws (every method) ValidationError `invalid_actor`; AuthenticationError `unauthenticated`, `unknown_actor`.
 */
export class FeedService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly delivery: FeedDelivery,
  ) {}

  /**
   * The actor's home feed: posts and reposts of the accounts they follow plus their own, newest
   * first, with blocks, mutes and visibility applied. Keyset cursors: pages never repeat or skip
   * an item while others keep posting. A missing feed is rebuilt from storage first.
   * @throws ValidationError `invalid_cursor`; AuthenticationError `unknown_actor`.
   * @example
   * ```ts
   * let page = await social.feeds.home(actor, { limit: 20 });
   * page = await social.feeds.home(actor, { limit: 20, cursor: page.nextCursor });
   * ```
   */
  async home(actor: Actor, input: PageRequest = {}): Promise<Page<FeedItem>> {
    const actorId = requireActorId(actor);
    const { limit, cursor } = parse(pageRequestSchema, input);
    const kind = `social.home:${actorId}`;
    const start = decodeSeq(this.ctx.codec, kind, cursor);
    return this.ctx.store.transaction((tx) => this.homePage(tx, actorId, start, limit, kind));
  }

  /**
   * A user's timeline (their posts and reposts) as the actor may see it.
   * @throws ForbiddenError `account_private`, `blocked_by_user`; NotFoundError `user_not_found`; ValidationError `invalid_cursor`.
   */
  async profile(actor: Actor, input: z.input<typeof profileTimelineSchema>): Promise<Page<FeedItem>> {
    const actorId = requireActorId(actor);
    const { userId, limit, cursor } = parse(profileTimelineSchema, input);
    const kind = `social.profile:${userId}`;
    const start = decodeSeq(this.ctx.codec, kind, cursor);
    return this.ctx.store.transaction(async (tx) => {
      await requireActor(tx, actorId);
      const viewer = new Viewer(tx, actorId);
      const user = await requireUser(tx, userId);
      await viewer.assertCanSeeContentOf(user);
      return collectPageBatched({
        limit,
        start,
        fetch: async (before, n) =>
          (await tx.activities.listByActors([userId], { before, limit: n })).map((a) => ({
            seq: a.seq,
            activityId: a.id,
            actorId: a.actorId,
            postId: a.postId,
          })),
        seqOf: (r) => r.seq,
        acceptMany: (rows, from, to) => hydrateFeed(tx, viewer, rows, from, to, { respectMutes: false }),
        codec: this.ctx.codec,
        kind,
      });
    });
  }

  /**
   * The ranked feed: the newest `rankedWindow` home-feed items re-ordered by engagement times
   * time decay ({@link rankScore}). One page; it is a snapshot, so it has no cursor.
   * @throws AuthenticationError `unknown_actor`.
   */
  async ranked(actor: Actor, input: z.input<typeof rankedFeedSchema> = {}): Promise<Page<RankedFeedItem>> {
    const actorId = requireActorId(actor);
    const { limit } = parse(rankedFeedSchema, input);
    return this.ctx.store.transaction(async (tx) => {
      const window = await this.homePage(tx, actorId, null, this.ctx.config.rankedWindow, `social.home:${actorId}`);
      const now = this.ctx.clock.now().getTime();
      const scored = window.items.map((item) => ({
        ...item,
        score: rankScore(item.post, now - item.at.getTime(), this.ctx.config.ranking),
      }));
      scored.sort((a, b) => b.score - a.score || b.at.getTime() - a.at.getTime());
      return { items: scored.slice(0, limit), nextCursor: null };
    });
  }

  /**
   * Rebuilds a materialised feed from storage: the actor's own (default), or with `userId` another
   * user's, which is operator work (admin role).
   * @throws AuthenticationError `unauthenticated`, `unknown_actor` (own feed); ForbiddenError `role_required`; NotFoundError `user_not_found`.
   */
  async rebuild(actor: Actor, input: z.input<typeof feedTargetSchema> = {}): Promise<{ entries: number }> {
    const userId = this.feedOwner(actor, parse(feedTargetSchema, input).userId);
    return this.ctx.store.transaction(async (tx) => {
      if (userId === actor.id) await requireActor(tx, userId);
      else await requireUser(tx, userId);
      return { entries: (await this.delivery.rebuild(tx, userId)).entries };
    });
  }

  /**
   * Drops a materialised feed (e.g. of an inactive user); the next read rebuilds it. The actor's own
   * (default), or with `userId` another user's, which is operator work (admin role).
   * @throws AuthenticationError `unauthenticated` (own feed, anonymous actor); ForbiddenError `role_required`.
   */
  async evict(actor: Actor, input: z.input<typeof feedTargetSchema> = {}): Promise<void> {
    const userId = this.feedOwner(actor, parse(feedTargetSchema, input).userId);
    await this.ctx.store.transaction((tx) => tx.feeds.drop(userId));
  }

  private feedOwner(actor: Actor, userId: string | undefined): string {
    if (userId === undefined) return requireActorId(actor);
    requireSelfOrAdmin(actor, userId);
    return userId;
  }

  /**
   * One home page (the reader is checked here too). The reader, their feed state and their sources
   * are independent reads, sent together. A feed that is not materialised yet gets only its newest
   * window (the rows this page reads) from the sources' timelines, so a cold read costs one bounded
   * merge instead of a rebuild of `feedCap` entries; older pages come from storage below its floor
   * until fan-out fills it. (On PostgreSQL the sources are read under the home-read locks, the pull
   * lock included, before the window is merged: see the adapter's `feed-lock.ts`.)
   */
  private async homePage(tx: SocialTx, actorId: string, start: number | null, limit: number, kind: string): Promise<Page<FeedItem>> {
    const [, state, sources] = await together([requireActor(tx, actorId), tx.feeds.getState(actorId), tx.follows.followingIds(actorId)]);
    let floorSeq = state?.floorSeq;
    if (floorSeq === undefined) {
      const window = Math.min(this.ctx.config.feedCap, batchSize(limit));
      floorSeq = (await this.delivery.rebuild(tx, actorId, { sources, window })).floorSeq;
    }
    sources.push(actorId);
    const sourceSet = new Set(sources);
    const viewer = new Viewer(tx, actorId);
    const floor = floorSeq;
    return collectPageBatched({
      limit,
      start,
      fetch: (before, n) => homeCandidates(tx, actorId, sources, floor, before, n),
      seqOf: (r) => r.seq,
      acceptMany: (rows, from, to) => hydrateFeed(tx, viewer, rows, from, to, { respectMutes: true, sources: sourceSet }),
      codec: this.ctx.codec,
      kind,
    });
  }
}
