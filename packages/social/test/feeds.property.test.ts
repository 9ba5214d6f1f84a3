import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PlatformError } from "@platform/core";
import { MemorySocialStore, type FeedItem, type SocialMediaPlatform } from "../src/index.js";
import { world } from "./helpers.js";
import { oracleHome } from "./oracle.js";

const USERS = 6;
const op = fc.record({
  t: fc.constantFrom("follow", "follow", "follow", "unfollow", "post", "post", "post", "post", "repost", "unrepost", "delete", "block", "unblock", "mute", "unmute", "evict", "private", "read", "read"),
  a: fc.nat(USERS - 1),
  b: fc.nat(USERS - 1),
  flag: fc.boolean(),
  n: fc.nat(50),
});
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

async function run(social: SocialMediaPlatform, ids: string[], posts: string[], o: Op): Promise<void> {
  const actorId = ids[o.a]!;
  const userId = ids[o.b]!;
  const postId = posts.length ? posts[o.n % posts.length]! : "post_000000000000000000000000";
  try {
    switch (o.t) {
      case "follow": {
        await social.follows.follow({ actorId, userId });
        // Private accounts approve at once, half of the time.
        if (o.flag) await social.follows.approve({ actorId: userId, userId: actorId }).catch(() => undefined);
        break;
      }
      case "unfollow": return void (await social.follows.unfollow({ actorId, userId }));
      case "post": return void posts.push((await social.posts.create({ actorId, content: `p${posts.length}`, visibility: o.flag ? "public" : "followers" })).id);
      case "repost": return void (await social.posts.repost({ actorId, postId }));
      case "unrepost": return void (await social.posts.unrepost({ actorId, postId }));
      case "delete": return void (await social.posts.delete({ actorId, postId }));
      case "block": return void (o.flag && (await social.users.block({ actorId, userId })));
      case "unblock": return void (await social.users.unblock({ actorId, userId }));
      case "mute": return void (o.flag && (await social.users.mute({ actorId, userId })));
      case "unmute": return void (await social.users.unmute({ actorId, userId }));
      case "read": return void (await social.feeds.home({ actorId, limit: 2 })); // materialises the feed
      case "evict": return void (await social.feeds.evict({ userId: actorId }));
      case "private": return void (o.n % 4 === 0 && (await social.users.updateProfile({ actorId, isPrivate: o.flag })));
    }
  } catch (e) {
    if (!PlatformError.is(e)) throw e;
  }
}

async function allPages(social: SocialMediaPlatform, actorId: string, limit: number): Promise<FeedItem[][]> {
  const pages: FeedItem[][] = [];
  let cursor: string | null = null;
  do {
    const page: Awaited<ReturnType<typeof social.feeds.home>> = await social.feeds.home({ actorId, limit, cursor });
    pages.push(page.items);
    cursor = page.nextCursor;
  } while (cursor && pages.length < 100);
  return pages;
}

describe("hybrid home feed (property)", () => {
  it("equals the brute-force oracle page by page, for authors on both sides of the fan-out threshold", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 10, maxLength: 60 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 2, max: 6 }), async (ops, limit, feedCap) => {
        const store = new MemorySocialStore();
        const { social, user, clock } = world({ store, fanoutThreshold: 2, feedCap });
        const ids: string[] = [];
        for (let i = 0; i < USERS; i++) ids.push((await user(`user${i}`)).id);
        // user0 is a celebrity (followed by 4 > threshold): its posts are pulled at read time.
        for (let i = 1; i <= 4; i++) await social.follows.follow({ actorId: ids[i]!, userId: ids[0]! });
        const posts: string[] = [];
        posts.push((await social.posts.create({ actorId: ids[0]!, content: "celebrity" })).id);
        posts.push((await social.posts.create({ actorId: ids[1]!, content: "ordinary" })).id);
        for (const o of ops) {
          clock.advance(1000);
          await run(social, ids, posts, o);
        }
        const deliveries = new Set([...store.postTable.table.values()].map((p) => p.delivery));
        for (const id of ids) {
          const pages = await allPages(social, id, limit);
          const expected = oracleHome(store, id);
          const got = pages.map((p) => p.map((i) => i.id));
          const want: string[][] = [];
          for (let i = 0; i < expected.length; i += limit) want.push(expected.slice(i, i + limit));
          if (want.length === 0) want.push([]);
          expect(got).toEqual(want);
        }
        expect(deliveries).toEqual(new Set(["push", "pull"]));
      }),
      { numRuns: 60 },
    );
  });

  it("paging while new posts arrive yields exactly the first page's snapshot: no duplicate, no gap", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(3), fc.boolean()), { minLength: 5, maxLength: 25 }),
        fc.array(fc.tuple(fc.nat(3), fc.nat(3)), { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 2, max: 8 }),
        async (initial, interleaved, limit, feedCap) => {
          const store = new MemorySocialStore();
          const { social, user, clock } = world({ store, fanoutThreshold: 1, feedCap });
          const reader = await user("reader");
          const authors = [];
          for (let i = 0; i < 4; i++) authors.push(await user(`author${i}`));
          const extra = await user("extra");
          for (const a of authors) await social.follows.follow({ actorId: reader.id, userId: a.id });
          await social.follows.follow({ actorId: extra.id, userId: authors[0]!.id }); // author0 above the threshold: pull
          for (const [a, pub] of initial) {
            clock.advance(1000);
            await social.posts.create({ actorId: authors[a]!.id, content: "old", visibility: pub ? "public" : "followers" });
          }
          const snapshot = oracleHome(store, reader.id);
          const seen: string[] = [];
          let page = await social.feeds.home({ actorId: reader.id, limit });
          seen.push(...page.items.map((i) => i.id));
          let step = 0;
          while (page.nextCursor) {
            // Others keep posting (and the reader's feed keeps being trimmed) between pages.
            for (const [a, count] of interleaved.slice(step, step + 2)) {
              for (let k = 0; k < count; k++) {
                clock.advance(10);
                await social.posts.create({ actorId: authors[a]!.id, content: "new" });
              }
            }
            step += 2;
            page = await social.feeds.home({ actorId: reader.id, limit, cursor: page.nextCursor });
            seen.push(...page.items.map((i) => i.id));
          }
          expect(seen).toEqual(snapshot);
        },
      ),
      { numRuns: 60 },
    );
  });
});
