import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemorySocialStore, type FeedItem } from "../src/index.js";
import { act, socialStores, world } from "./helpers.js";
import { loadRows, oracleHome } from "./oracle.js";

async function feedIds(social: ReturnType<typeof world>["social"], actorId: string, limit = 3): Promise<string[]> {
  const out: string[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: FeedItem[]; nextCursor: string | null } = await social.feeds.home(act(actorId), { limit, cursor });
    out.push(...page.items.map((i) => i.id));
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

// These read the memory tables (delivery, the oracle); the PostgreSQL side is covered by
// postgres-feed-ordering.test.ts and the looped properties.
describe("home feed delivery on memory", () => {
  it("fans out on write to materialised feeds, capped, and reads older items from storage", async () => {
    const store = new MemorySocialStore();
    const { social, user, clock } = world({ store, feedCap: 3 });
    const [reader, author] = [await user("reader"), await user("author")];
    await social.follows.follow(act(reader.id), { userId: author.id });
    await social.feeds.home(act(reader.id)); // materialise
    const posts: string[] = [];
    for (let i = 0; i < 8; i++) {
      clock.advance(1000);
      posts.push((await social.posts.create(act(author.id), { content: `post ${i}` })).id);
    }
    const size = await store.transaction((tx) => tx.feeds.size(reader.id));
    expect(size).toBe(3);
    expect(await feedIds(social, reader.id)).toEqual([...posts].reverse());
  });

  it("rebuilds a missing feed from storage and backfills on follow", async () => {
    const store = new MemorySocialStore();
    const { social, user, clock } = world({ store, feedCap: 50 });
    const [reader, a, b] = [await user("reader"), await user("alice"), await user("bob")];
    await social.follows.follow(act(reader.id), { userId: a.id });
    const ids: string[] = [];
    for (const u of [a, b, a, b]) {
      clock.advance(1000);
      ids.push((await social.posts.create(act(u.id), { content: "x" })).id);
    }
    expect(await feedIds(social, reader.id)).toEqual([ids[2], ids[0]]);
    await social.follows.follow(act(reader.id), { userId: b.id }); // backfill into the materialised feed
    expect(await store.transaction((tx) => tx.feeds.size(reader.id))).toBe(4);
    expect(await feedIds(social, reader.id)).toEqual([...ids].reverse());
    await social.feeds.evict(act(reader.id));
    expect(await store.transaction((tx) => tx.feeds.getState(reader.id))).toBeNull();
    expect(await feedIds(social, reader.id)).toEqual([...ids].reverse());
    expect(await store.transaction((tx) => tx.feeds.size(reader.id))).toBe(4);
  });

  it("removes entries on unfollow and on block, both ways", async () => {
    const store = new MemorySocialStore();
    const { social, user } = world({ store });
    const [a, b, c] = [await user("alice"), await user("bob"), await user("carol")];
    await social.follows.follow(act(a.id), { userId: b.id });
    await social.follows.follow(act(b.id), { userId: a.id });
    await social.follows.follow(act(a.id), { userId: c.id });
    for (const u of [a, b]) await social.feeds.home(act(u.id));
    await social.posts.create(act(b.id), { content: "b" });
    await social.posts.create(act(a.id), { content: "a" });
    await social.posts.create(act(c.id), { content: "c" });
    expect(await store.transaction((tx) => tx.feeds.size(a.id))).toBe(3);
    await social.follows.unfollow(act(a.id), { userId: c.id });
    expect(await store.transaction((tx) => tx.feeds.size(a.id))).toBe(2);
    await social.users.block(act(a.id), { userId: b.id });
    expect(await store.transaction((tx) => tx.feeds.size(a.id))).toBe(1);
    expect(await store.transaction((tx) => tx.feeds.size(b.id))).toBe(1);
    expect(await feedIds(social, b.id)).toHaveLength(1);
  });

  it("merges authors above the threshold at read time (pull) with pushed ones", async () => {
    const store = new MemorySocialStore();
    const { social, user, clock } = world({ store, fanoutThreshold: 2 });
    const star = await user("star");
    const fans = [await user("fan1"), await user("fan2"), await user("fan3")];
    const friend = await user("friend");
    for (const f of fans) await social.follows.follow(act(f.id), { userId: star.id });
    await social.follows.follow(act(fans[0]!.id), { userId: friend.id });
    await social.feeds.home(act(fans[0]!.id));
    clock.advance(1000);
    const pulled = await social.posts.create(act(star.id), { content: "to millions" });
    clock.advance(1000);
    const pushed = await social.posts.create(act(friend.id), { content: "to one" });
    expect(store.postTable.get(pulled.id)!.delivery).toBe("pull");
    expect(store.postTable.get(pushed.id)!.delivery).toBe("push");
    expect(await store.transaction((tx) => tx.feeds.size(fans[0]!.id))).toBe(1); // only the pushed post is stored
    expect(await feedIds(social, fans[0]!.id)).toEqual([pushed.id, pulled.id]);
    expect(await feedIds(social, fans[0]!.id)).toEqual(oracleHome(await loadRows(store, null), fans[0]!.id));
  });
});

describe.each(socialStores())("home feed reads on $name", (store) => {
  beforeAll(() => store.setup());
  afterAll(() => store.teardown());

  it("shows reposts, once per repost, with the reposter", async () => {
    const { social, user } = world({ store: store.make() });
    const [a, b, c] = [await user("alice"), await user("bob"), await user("carol")];
    await social.follows.follow(act(a.id), { userId: b.id });
    const post = await social.posts.create(act(c.id), { content: "original" });
    await social.posts.repost(act(b.id), { postId: post.id });
    const items = (await social.feeds.home(act(a.id))).items;
    expect(items.map((i) => [i.kind, i.post.id, i.repostedBy?.username])).toEqual([["repost", post.id, "bob"]]);
    await social.posts.unrepost(act(b.id), { postId: post.id });
    expect((await social.feeds.home(act(a.id))).items).toEqual([]);
  });

  it("a cold read materialises only the window its page reads; older pages come from storage below its floor", async () => {
    const made = store.make();
    const { social, user, clock } = world({ store: made, feedCap: 50 });
    const [reader, a, b] = [await user("reader"), await user("alice"), await user("bob")];
    for (const u of [a, b]) await social.follows.follow(act(reader.id), { userId: u.id });
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      clock.advance(1000);
      ids.push((await social.posts.create(act((i % 2 ? a : b).id), { content: `post ${i}` })).id);
    }
    const first = await social.feeds.home(act(reader.id), { limit: 3 });
    expect(first.items.map((i) => i.id)).toEqual(ids.slice(-3).reverse());
    // A page of 3 reads batches of 5 rows: the feed holds those 5 (not all 12, under a cap of 50).
    expect(await made.transaction((tx) => tx.feeds.size(reader.id))).toBe(5);
    const state = await made.transaction((tx) => tx.feeds.getState(reader.id));
    expect(state!.floorSeq).toBeGreaterThan(0);
    clock.advance(1000);
    ids.push((await social.posts.create(act(a.id), { content: "after the cold read" })).id); // fanned out to the new feed
    expect(await made.transaction((tx) => tx.feeds.size(reader.id))).toBe(6);
    expect(await feedIds(social, reader.id)).toEqual([...ids].reverse());
  });

  it("ranks by engagement times time decay", async () => {
    const { social, user, clock } = world({ store: store.make() });
    const [a, b, c] = [await user("alice"), await user("bob"), await user("carol")];
    await social.follows.follow(act(a.id), { userId: b.id });
    const old = await social.posts.create(act(b.id), { content: "old but loved" });
    for (const u of [a, c]) await social.likes.likePost(act(u.id), { postId: old.id });
    await social.comments.create(act(c.id), { postId: old.id, content: "wow" });
    clock.advance({ hours: 1 });
    const fresh = await social.posts.create(act(b.id), { content: "fresh" });
    const ranked = await social.feeds.ranked(act(a.id));
    expect(ranked.items.map((i) => i.post.id)).toEqual([old.id, fresh.id]);
    clock.advance({ hours: 24 });
    const newest = await social.posts.create(act(b.id), { content: "newest" });
    expect((await social.feeds.ranked(act(a.id))).items[0]!.post.id).toBe(newest.id);
  });
});
