import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { PlatformError } from "@platform/core";
import { createIsolatedDatabase, type IsolatedDatabase } from "@platform/core/testing";
import type { FeedItem, SocialMediaPlatform, User } from "../src/index.js";
import { migrateSocial, PostgresSocialStore } from "../src/adapters/postgres/index.js";
import { world } from "./helpers.js";
import { counterDrift, truncateSocial } from "./postgres-helpers.js";
import { oracleHomeSql } from "./postgres-oracle.js";

// The property tests of the memory store (counters = recount, hybrid feed = oracle, paging
// snapshot), with fewer runs, on PostgreSQL: every run starts from empty tables.
const RUNS = Number(process.env.SOCIAL_PG_PROPERTY_RUNS ?? 6);
let db: IsolatedDatabase;
beforeAll(async () => {
  db = await createIsolatedDatabase(inject("databaseUrl"), { prefix: "social_props", max: 6 });
  await migrateSocial(db.pool);
});
afterAll(async () => {
  await db?.drop();
});

async function fresh(options: { fanoutThreshold: number; feedCap?: number }) {
  await truncateSocial(db.pool);
  return world({ store: new PostgresSocialStore(db.pool), ...options });
}

const USERS = 5;
const feedOp = fc.record({
  t: fc.constantFrom("follow", "follow", "follow", "unfollow", "post", "post", "post", "post", "repost", "unrepost", "delete", "block", "unblock", "mute", "unmute", "evict", "private", "read", "read"),
  a: fc.nat(USERS - 1),
  b: fc.nat(USERS - 1),
  flag: fc.boolean(),
  n: fc.nat(50),
});
type FeedOp = typeof feedOp extends fc.Arbitrary<infer T> ? T : never;

async function runFeedOp(social: SocialMediaPlatform, ids: string[], posts: string[], o: FeedOp): Promise<void> {
  const actorId = ids[o.a]!;
  const userId = ids[o.b]!;
  const postId = posts[o.n % posts.length]!;
  try {
    switch (o.t) {
      case "follow":
        await social.follows.follow({ actorId, userId });
        if (o.flag) await social.follows.approve({ actorId: userId, userId: actorId }).catch(() => undefined);
        return;
      case "unfollow": return void (await social.follows.unfollow({ actorId, userId }));
      case "post": return void posts.push((await social.posts.create({ actorId, content: `p${posts.length}`, visibility: o.flag ? "public" : "followers" })).id);
      case "repost": return void (await social.posts.repost({ actorId, postId }));
      case "unrepost": return void (await social.posts.unrepost({ actorId, postId }));
      case "delete": return void (await social.posts.delete({ actorId, postId }));
      case "block": return void (o.flag && (await social.users.block({ actorId, userId })));
      case "unblock": return void (await social.users.unblock({ actorId, userId }));
      case "mute": return void (o.flag && (await social.users.mute({ actorId, userId })));
      case "unmute": return void (await social.users.unmute({ actorId, userId }));
      case "read": return void (await social.feeds.home({ actorId, limit: 2 }));
      case "evict": return void (await social.feeds.evict({ userId: actorId }));
      case "private": return void (o.n % 4 === 0 && (await social.users.updateProfile({ actorId, isPrivate: o.flag })));
    }
  } catch (e) {
    if (!PlatformError.is(e) || e.kind === "storage") throw e;
  }
}

async function allPages(social: SocialMediaPlatform, actorId: string, limit: number): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: string | null = null;
  do {
    const page: { items: FeedItem[]; nextCursor: string | null } = await social.feeds.home({ actorId, limit, cursor });
    pages.push(page.items.map((i) => i.id));
    cursor = page.nextCursor;
  } while (cursor && pages.length < 100);
  return pages;
}

describe("properties on PostgreSQL", () => {
  it("hybrid home feed equals the brute-force oracle page by page", { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(feedOp, { minLength: 10, maxLength: 40 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 2, max: 6 }), async (ops, limit, feedCap) => {
        const { social, user, clock } = await fresh({ fanoutThreshold: 2, feedCap });
        const ids: string[] = [];
        for (let i = 0; i < USERS; i++) ids.push((await user(`user${i}`)).id);
        // user0 is followed by 4 > threshold: its posts are pulled at read time.
        for (let i = 1; i <= 4; i++) await social.follows.follow({ actorId: ids[i]!, userId: ids[0]! });
        const posts = [(await social.posts.create({ actorId: ids[0]!, content: "celebrity" })).id, (await social.posts.create({ actorId: ids[1]!, content: "ordinary" })).id];
        for (const o of ops) {
          clock.advance(1000);
          await runFeedOp(social, ids, posts, o);
        }
        for (const id of ids) {
          const expected = await oracleHomeSql(db.pool, id);
          const want: string[][] = [];
          for (let i = 0; i < expected.length; i += limit) want.push(expected.slice(i, i + limit));
          if (want.length === 0) want.push([]);
          expect(await allPages(social, id, limit)).toEqual(want);
        }
        const { rows } = await db.pool.query<{ d: string }>("SELECT DISTINCT delivery AS d FROM social_posts ORDER BY 1");
        expect(rows.map((r) => r.d)).toEqual(["pull", "push"]);
      }),
      { numRuns: RUNS },
    );
  });

  it("paging while new posts arrive yields exactly the first page's snapshot", { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(3), fc.boolean()), { minLength: 5, maxLength: 20 }),
        fc.array(fc.tuple(fc.nat(3), fc.nat(3)), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 2, max: 8 }),
        async (initial, interleaved, limit, feedCap) => {
          const { social, user, clock } = await fresh({ fanoutThreshold: 1, feedCap });
          const reader = await user("reader");
          const authors: User[] = [];
          for (let i = 0; i < 4; i++) authors.push(await user(`author${i}`));
          const extra = await user("extra");
          for (const a of authors) await social.follows.follow({ actorId: reader.id, userId: a.id });
          await social.follows.follow({ actorId: extra.id, userId: authors[0]!.id }); // author0 above the threshold: pull
          for (const [a, pub] of initial) {
            clock.advance(1000);
            await social.posts.create({ actorId: authors[a]!.id, content: "old", visibility: pub ? "public" : "followers" });
          }
          const snapshot = await oracleHomeSql(db.pool, reader.id);
          const seen: string[] = [];
          let page = await social.feeds.home({ actorId: reader.id, limit });
          seen.push(...page.items.map((i) => i.id));
          let step = 0;
          while (page.nextCursor) {
            // Others keep posting, several at once (concurrent transactions), between pages.
            await Promise.all(interleaved.slice(step, step + 2).flatMap(([a, count]) => Array.from({ length: count }, () => social.posts.create({ actorId: authors[a]!.id, content: "new" }))));
            step += 2;
            page = await social.feeds.home({ actorId: reader.id, limit, cursor: page.nextCursor });
            seen.push(...page.items.map((i) => i.id));
          }
          expect(seen).toEqual(snapshot);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("after random sequences with concurrent copies of each step, every counter equals a recount", { timeout: 120_000 }, async () => {
    const counterOp = fc.record({
      t: fc.constantFrom("follow", "follow", "unfollow", "block", "unblock", "post", "delete", "like", "like", "unlike", "comment", "reply", "uncomment", "likeComment", "unlikeComment", "repost", "unrepost", "approve", "private"),
      a: fc.nat(3),
      b: fc.nat(3),
      n: fc.nat(3),
      concurrent: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(counterOp, { minLength: 15, maxLength: 50 }), async (ops) => {
        const { social, user } = await fresh({ fanoutThreshold: 2 });
        const ids: string[] = [];
        for (let i = 0; i < 4; i++) ids.push((await user(`user${i}`, { isPrivate: i === 3 })).id);
        const posts: string[] = [];
        for (const actorId of ids) posts.push((await social.posts.create({ actorId, content: "seed #t0" })).id);
        const comments: { id: string; postId: string }[] = [];
        for (const postId of posts.slice(0, 3)) comments.push({ id: (await social.comments.create({ actorId: ids[0]!, postId, content: "seed" })).id, postId });
        for (const o of ops) {
          const actorId = ids[o.a]!;
          const userId = ids[o.b]!;
          const postId = posts[o.n % posts.length]!;
          const comment = comments[o.n % comments.length]!;
          const once = async (): Promise<unknown> => {
            switch (o.t) {
              case "follow": return social.follows.follow({ actorId, userId });
              case "unfollow": return social.follows.unfollow({ actorId, userId });
              case "approve": return social.follows.approve({ actorId, userId });
              case "block": return social.users.block({ actorId, userId });
              case "unblock": return social.users.unblock({ actorId, userId });
              case "private": return social.users.updateProfile({ actorId, isPrivate: o.n % 2 === 0 });
              case "post": return posts.push((await social.posts.create({ actorId, content: `#t${o.n % 3} hi @user${o.b}` })).id);
              case "delete": return social.posts.delete({ actorId, postId });
              case "like": return social.likes.likePost({ actorId, postId });
              case "unlike": return social.likes.unlikePost({ actorId, postId });
              case "comment": return comments.push({ id: (await social.comments.create({ actorId, postId, content: "c" })).id, postId });
              case "reply": return comments.push({ id: (await social.comments.create({ actorId, postId: comment.postId, parentId: comment.id, content: "r" })).id, postId: comment.postId });
              case "uncomment": return social.comments.delete({ actorId, commentId: comment.id });
              case "likeComment": return social.likes.likeComment({ actorId, commentId: comment.id });
              case "unlikeComment": return social.likes.unlikeComment({ actorId, commentId: comment.id });
              case "repost": return social.posts.repost({ actorId, postId });
              case "unrepost": return social.posts.unrepost({ actorId, postId });
            }
          };
          // Half of the steps run three copies at once, in three PostgreSQL transactions.
          const results = await Promise.allSettled(o.concurrent ? [once(), once(), once()] : [once()]);
          for (const r of results) if (r.status === "rejected" && (!PlatformError.is(r.reason) || r.reason.kind === "storage")) throw r.reason;
        }
        expect(await counterDrift(db.pool)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });
});
