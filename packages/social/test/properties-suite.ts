import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PlatformError } from "@platform/core";
import type { FeedItem, SocialMediaPlatform, SocialStore, User } from "../src/index.js";
import type { StoreFixture } from "@platform/core/testing";
import { act, ADMIN, world } from "./helpers.js";
import { loadRows, oracleHome } from "./oracle.js";
import { counterDrift } from "./postgres-helpers.js";

// The properties of the social services, on both stores: the hybrid home feed equals a
// brute-force oracle page by page, paging while others post yields the first page's snapshot,
// and after random sequences (half of the steps run three copies at once) every counter equals a
// recount. Each store keeps its own run sizes: PostgreSQL runs are slower, so fewer
// (`SOCIAL_PG_PROPERTY_RUNS`, default 6). One suite, entered once per store by
// properties.memory.test.ts and properties.postgres.test.ts, so the two stores run in parallel.
const PG_RUNS = Number(process.env.SOCIAL_PG_PROPERTY_RUNS ?? 6);
const SIZES = {
  memory: {
    feed: { runs: 60, users: 6, maxOps: 60 },
    paging: { runs: 60, initial: 25, interleaved: 20 },
    counters: { runs: 100, minOps: 20, maxOps: 100 },
  },
  postgres: {
    feed: { runs: PG_RUNS, users: 5, maxOps: 40 },
    paging: { runs: PG_RUNS, initial: 20, interleaved: 12 },
    counters: { runs: PG_RUNS, minOps: 15, maxOps: 50 },
  },
} as const;

/** A domain refusal (post_deleted, self_follow ...) is part of a random run; a storage failure is not. */
function expected(e: unknown): boolean {
  return PlatformError.is(e) && e.kind !== "storage";
}

const feedOp = (users: number) =>
  fc.record({
    t: fc.constantFrom(
      "follow",
      "follow",
      "follow",
      "unfollow",
      "post",
      "post",
      "post",
      "post",
      "repost",
      "unrepost",
      "delete",
      "block",
      "unblock",
      "mute",
      "unmute",
      "evict",
      "private",
      "read",
      "read",
    ),
    a: fc.nat(users - 1),
    b: fc.nat(users - 1),
    flag: fc.boolean(),
    n: fc.nat(50),
  });
type FeedOp = { t: string; a: number; b: number; flag: boolean; n: number };

async function runFeedOp(social: SocialMediaPlatform, ids: string[], posts: string[], o: FeedOp): Promise<void> {
  const actor = act(ids[o.a]!);
  const userId = ids[o.b]!;
  const postId = posts[o.n % posts.length]!;
  try {
    switch (o.t) {
      case "follow":
        await social.follows.follow(actor, { userId });
        // Private accounts approve at once, half of the time.
        if (o.flag) await social.follows.approve(act(userId), { userId: actor.id! }).catch(() => undefined);
        return;
      case "unfollow":
        return void (await social.follows.unfollow(actor, { userId }));
      case "post":
        return void posts.push(
          (await social.posts.create(actor, { content: `p${posts.length}`, visibility: o.flag ? "public" : "followers" })).id,
        );
      case "repost":
        return void (await social.posts.repost(actor, { postId }));
      case "unrepost":
        return void (await social.posts.unrepost(actor, { postId }));
      case "delete":
        return void (await social.posts.delete(actor, { postId }));
      case "block":
        return void (o.flag && (await social.users.block(actor, { userId })));
      case "unblock":
        return void (await social.users.unblock(actor, { userId }));
      case "mute":
        return void (o.flag && (await social.users.mute(actor, { userId })));
      case "unmute":
        return void (await social.users.unmute(actor, { userId }));
      case "read":
        return void (await social.feeds.home(actor, { limit: 2 })); // materialises the feed
      case "evict":
        return void (await social.feeds.evict(actor));
      case "private":
        return void (o.n % 4 === 0 && (await social.users.updateProfile(actor, { isPrivate: o.flag })));
    }
  } catch (e) {
    if (!expected(e)) throw e;
  }
}

async function allPages(social: SocialMediaPlatform, actorId: string, limit: number): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: string | null = null;
  do {
    const page: { items: FeedItem[]; nextCursor: string | null } = await social.feeds.home(act(actorId), { limit, cursor });
    pages.push(page.items.map((i) => i.id));
    cursor = page.nextCursor;
  } while (cursor && pages.length < 100);
  return pages;
}

const counterOp = fc.record({
  // Weighted towards the pairs that move counters, so likes meet their unlikes and follows their unfollows.
  t: fc.constantFrom(
    ...["follow", "follow", "follow", "unfollow", "unfollow", "block", "unblock", "post", "post", "delete"],
    ...["like", "like", "like", "like", "unlike", "unlike", "unlike", "comment", "comment", "reply", "uncomment", "uncomment"],
    ...["likeComment", "likeComment", "unlikeComment", "unlikeComment", "repost", "unrepost", "approve", "approve", "private"],
  ),
  a: fc.nat(3),
  b: fc.nat(3),
  n: fc.nat(3),
  concurrent: fc.boolean(),
});

/** Declares the property suite on one store fixture (its name is in the titles). */
export function describeSocialProperties(fixture: StoreFixture<SocialStore>): void {
  describe(`social properties on ${fixture.name}`, () => {
    beforeAll(() => fixture.setup());
    afterAll(() => fixture.teardown());
    const sizes = SIZES[fixture.name as keyof typeof SIZES];
    const fresh = (options: { fanoutThreshold: number; feedCap?: number }): ReturnType<typeof world> & { store: SocialStore } => {
      const store = fixture.make();
      return { ...world({ store, ...options }), store };
    };

    it(
      "the hybrid home feed equals the brute-force oracle page by page, for authors on both sides of the fan-out threshold",
      { timeout: 120_000 },
      async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.array(feedOp(sizes.feed.users), { minLength: 10, maxLength: sizes.feed.maxOps }),
            fc.integer({ min: 1, max: 7 }),
            fc.integer({ min: 2, max: 6 }),
            async (ops, limit, feedCap) => {
              const { social, user, clock, store } = fresh({ fanoutThreshold: 2, feedCap });
              const ids: string[] = [];
              for (let i = 0; i < sizes.feed.users; i++) ids.push((await user(`user${i}`)).id);
              // user0 is followed by 4 > threshold: its posts are pulled at read time.
              for (let i = 1; i <= 4; i++) await social.follows.follow(act(ids[i]!), { userId: ids[0]! });
              const posts = [
                (await social.posts.create(act(ids[0]!), { content: "celebrity" })).id,
                (await social.posts.create(act(ids[1]!), { content: "ordinary" })).id,
              ];
              for (const o of ops) {
                clock.advance(1000);
                await runFeedOp(social, ids, posts, o);
              }
              const rows = await loadRows(store, fixture.pool);
              for (const id of ids) {
                const expected = oracleHome(rows, id);
                const want: string[][] = [];
                for (let i = 0; i < expected.length; i += limit) want.push(expected.slice(i, i + limit));
                if (want.length === 0) want.push([]);
                expect(await allPages(social, id, limit)).toEqual(want);
              }
              expect(new Set([...rows.posts.values()].map((p) => p.delivery))).toEqual(new Set(["push", "pull"]));
            },
          ),
          { numRuns: sizes.feed.runs },
        );
      },
    );

    it("paging while new posts arrive yields exactly the first page's snapshot: no duplicate, no gap", { timeout: 120_000 }, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(fc.nat(3), fc.boolean()), { minLength: 5, maxLength: sizes.paging.initial }),
          fc.array(fc.tuple(fc.nat(3), fc.nat(3)), { minLength: 1, maxLength: sizes.paging.interleaved }),
          fc.integer({ min: 1, max: 4 }),
          fc.integer({ min: 2, max: 8 }),
          async (initial, interleaved, limit, feedCap) => {
            const { social, user, clock, store } = fresh({ fanoutThreshold: 1, feedCap });
            const reader = await user("reader");
            const authors: User[] = [];
            for (let i = 0; i < 4; i++) authors.push(await user(`author${i}`));
            const extra = await user("extra");
            for (const a of authors) await social.follows.follow(act(reader.id), { userId: a.id });
            await social.follows.follow(act(extra.id), { userId: authors[0]!.id }); // author0 above the threshold: pull
            for (const [a, pub] of initial) {
              clock.advance(1000);
              await social.posts.create(act(authors[a]!.id), { content: "old", visibility: pub ? "public" : "followers" });
            }
            const snapshot = oracleHome(await loadRows(store, fixture.pool), reader.id);
            const seen: string[] = [];
            let page = await social.feeds.home(act(reader.id), { limit });
            seen.push(...page.items.map((i) => i.id));
            let step = 0;
            while (page.nextCursor) {
              // Others keep posting, several at once, between pages (and the reader's feed keeps being trimmed).
              await Promise.all(
                interleaved
                  .slice(step, step + 2)
                  .flatMap(([a, count]) =>
                    Array.from({ length: count }, () => social.posts.create(act(authors[a]!.id), { content: "new" })),
                  ),
              );
              step += 2;
              page = await social.feeds.home(act(reader.id), { limit, cursor: page.nextCursor });
              seen.push(...page.items.map((i) => i.id));
            }
            expect(seen).toEqual(snapshot);
          },
        ),
        { numRuns: sizes.paging.runs },
      );
    });

    it(
      "after random follow/block/post/like/comment/repost sequences with concurrent copies of each step, every counter equals a recount",
      { timeout: 120_000 },
      async () => {
        await fc.assert(
          fc.asyncProperty(fc.array(counterOp, { minLength: sizes.counters.minOps, maxLength: sizes.counters.maxOps }), async (ops) => {
            const { social, user } = fresh({ fanoutThreshold: 2 });
            const ids: string[] = [];
            for (let i = 0; i < 4; i++) ids.push((await user(`user${i}`, { isPrivate: i === 3 })).id);
            // A few posts and comments up front, so most steps hit something that exists.
            const posts: string[] = [];
            for (const id of ids) posts.push((await social.posts.create(act(id), { content: "seed #t0" })).id);
            const comments: { id: string; postId: string }[] = [];
            for (const postId of posts.slice(0, 3))
              comments.push({ id: (await social.comments.create(act(ids[0]!), { postId, content: "seed" })).id, postId });
            for (const o of ops) {
              const actor = act(ids[o.a]!);
              const userId = ids[o.b]!;
              const postId = posts[o.n % posts.length]!;
              const comment = comments[o.n % comments.length]!;
              const once = async (): Promise<unknown> => {
                switch (o.t) {
                  case "follow":
                    return social.follows.follow(actor, { userId });
                  case "unfollow":
                    return social.follows.unfollow(actor, { userId });
                  case "approve":
                    return social.follows.approve(actor, { userId });
                  case "block":
                    return social.users.block(actor, { userId });
                  case "unblock":
                    return social.users.unblock(actor, { userId });
                  case "private":
                    return social.users.updateProfile(actor, { isPrivate: o.n % 2 === 0 });
                  case "post":
                    return posts.push(
                      (
                        await social.posts.create(actor, {
                          content: `#t${o.n % 3} hi @user${o.b}`,
                          visibility: o.n % 3 ? "public" : "followers",
                        })
                      ).id,
                    );
                  case "delete":
                    return social.posts.delete(actor, { postId });
                  case "like":
                    return social.likes.likePost(actor, { postId });
                  case "unlike":
                    return social.likes.unlikePost(actor, { postId });
                  case "comment":
                    return comments.push({ id: (await social.comments.create(actor, { postId, content: "c" })).id, postId });
                  case "reply":
                    return comments.push({
                      id: (await social.comments.create(actor, { postId: comment.postId, parentId: comment.id, content: "r" })).id,
                      postId: comment.postId,
                    });
                  case "uncomment":
                    return social.comments.delete(actor, { commentId: comment.id });
                  case "likeComment":
                    return social.likes.likeComment(actor, { commentId: comment.id });
                  case "unlikeComment":
                    return social.likes.unlikeComment(actor, { commentId: comment.id });
                  case "repost":
                    return social.posts.repost(actor, { postId });
                  case "unrepost":
                    return social.posts.unrepost(actor, { postId });
                }
              };
              // Half of the steps run three copies at once (three PostgreSQL transactions): races must not double-count.
              const results = await Promise.allSettled(o.concurrent ? [once(), once(), once()] : [once()]);
              for (const r of results) if (r.status === "rejected" && !expected(r.reason)) throw r.reason;
            }
            // PostgreSQL: every row of the database in one SQL recount; memory: the services' recounts.
            if (fixture.pool) return void expect(await counterDrift(fixture.pool)).toEqual([]);
            for (const userId of ids) {
              const r = await social.users.recount(ADMIN, { userId });
              expect(r.stored).toEqual(r.actual);
            }
            for (const postId of new Set(posts)) {
              const r = await social.posts.recount(ADMIN, { postId });
              expect(r.stored).toEqual(r.actual);
            }
            for (const commentId of new Set(comments.map((c) => c.id))) {
              const r = await social.comments.recount(ADMIN, { commentId });
              expect(r.stored).toEqual(r.actual);
            }
          }),
          { numRuns: sizes.counters.runs },
        );
      },
    );

    it("recount detects and repairs a drifted counter", async () => {
      const { social, user, store } = fresh({ fanoutThreshold: 2 });
      const [a, b] = [await user("alice"), await user("bob")];
      await social.follows.follow(act(a.id), { userId: b.id });
      await store.transaction((tx) => tx.users.incrementCounters(b.id, { followersCount: 5 }));
      expect(await social.users.recount(ADMIN, { userId: b.id })).toMatchObject({
        consistent: false,
        stored: { followersCount: 6 },
        actual: { followersCount: 1 },
        repaired: false,
      });
      expect((await social.users.recount(ADMIN, { userId: b.id, repair: true })).repaired).toBe(true);
      expect((await social.users.recount(ADMIN, { userId: b.id })).consistent).toBe(true);
    });
  });
}
