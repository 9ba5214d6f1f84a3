import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countingPool } from "@platform/core/testing";
import { PostgresSocialStore } from "../src/adapters/postgres/index.js";
import type { SocialStore, SocialTx } from "../src/index.js";
import { act, postgresSocial, socialStores, world } from "./helpers.js";

/** Wraps a store so every repository call made through its transactions is counted by `repo.method`. */
function countingStore(store: SocialStore): { store: SocialStore; calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const count = (tx: SocialTx): SocialTx =>
    new Proxy(tx, {
      get(target, repo) {
        const repository: unknown = Reflect.get(target, repo);
        if (repo === "outbox" || typeof repository !== "object" || repository === null) return repository;
        return new Proxy(repository, {
          get(r, method) {
            const fn: unknown = Reflect.get(r, method);
            if (typeof fn !== "function" || typeof method !== "string") return fn;
            return (...args: unknown[]) => {
              const key = `${String(repo)}.${method}`;
              calls.set(key, (calls.get(key) ?? 0) + 1);
              return (fn as (...a: unknown[]) => unknown).apply(r, args);
            };
          },
        });
      },
    });
  return {
    calls,
    store: {
      transaction: (work) => store.transaction((tx) => work(count(tx))),
      setEventPublisher: (publisher) => store.setEventPublisher(publisher),
      setLogger: (logger) => store.setLogger?.(logger),
    },
  };
}

describe.each(socialStores())("feed hydration on $name", (fixture) => {
  beforeAll(() => fixture.setup());
  afterAll(() => fixture.teardown());

  it("hydrates a page with one store call per kind of data, not one per item", async () => {
    const { store, calls } = countingStore(fixture.make());
    const { social, user, clock } = world({ store });
    const reader = await user("reader");
    const authors = [await user("alice"), await user("bob"), await user("carol")];
    for (const a of authors) await social.follows.follow(act(reader.id), { userId: a.id });
    const stranger = await user("stranger");
    const shared = await social.posts.create(act(stranger.id), { content: "worth sharing" });
    for (let i = 0; i < 12; i++) {
      clock.advance(1000);
      await social.posts.create(act(authors[i % 3]!.id), { content: `post ${i}` });
    }
    await social.posts.repost(act(authors[0]!.id), { postId: shared.id });
    // Materialise the feed (a cold read stores the window its page reads: 31 rows for a page of 20).
    await social.feeds.home(act(reader.id), { limit: 20 });

    calls.clear();
    const home = await social.feeds.home(act(reader.id), { limit: 10 });
    expect(home.items).toHaveLength(10);
    expect(home.items[0]).toMatchObject({ kind: "repost", post: { id: shared.id, author: { id: stranger.id } } });
    // Per item, the old read path made a post, user, follow, block and mute look-up.
    for (const perItem of ["posts.get", "follows.get", "blocks.eitherBlocks", "blocks.get", "mutes.get"])
      expect(calls.get(perItem)).toBeUndefined();
    expect(calls.get("posts.getMany")).toBe(1);
    expect(calls.get("reposts.get")).toBe(1); // one per repost on the page
    expect(calls.get("users.get")).toBe(1); // the actor
    const total = [...calls.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeLessThanOrEqual(14);

    calls.clear();
    const profile = await social.feeds.profile(act(reader.id), { userId: authors[0]!.id, limit: 5 });
    expect(profile.items).toHaveLength(5);
    expect(calls.get("posts.get")).toBeUndefined();
    expect(calls.get("posts.getMany")).toBe(1);
    // The viewer's follow of each author on the page (alice and, through her repost, the stranger).
    expect(calls.get("follows.get") ?? 0).toBeLessThanOrEqual(2);
  });
});

describe("feed hydration on postgres, in statements", () => {
  const fixture = postgresSocial();
  beforeAll(() => fixture.setup());
  afterAll(() => fixture.teardown());

  it("serves a page's batch look-ups from the rows prefetched with it", async () => {
    fixture.make(); // empties the tables
    const pool = countingPool(fixture.pool!);
    const { social, user, clock } = world({ store: new PostgresSocialStore(pool) });
    const reader = await user("reader");
    const authors = [await user("alice"), await user("bob"), await user("carol")];
    for (const a of authors) await social.follows.follow(act(reader.id), { userId: a.id });
    await social.users.mute(act(reader.id), { userId: authors[2]!.id });
    const stranger = await user("stranger");
    const shared = await social.posts.create(act(stranger.id), { content: "worth sharing" });
    for (let i = 0; i < 30; i++) {
      clock.advance(1000);
      await social.posts.create(act(authors[i % 3]!.id), { content: `post ${i}` });
    }
    await social.posts.repost(act(authors[0]!.id), { postId: shared.id });
    // Materialise the feed (a cold read stores the window its page reads: 31 rows for a page of 20).
    await social.feeds.home(act(reader.id), { limit: 20 });

    // A warm home page: its posts, people and the reader's relations come with the page (10
    // statements, as with per-item look-ups served from the same prefetch).
    expect((await pool.measure(() => social.feeds.home(act(reader.id), { limit: 20 }))).statements).toBeLessThanOrEqual(10);
    // A profile page: one statement per kind of data, not per item (24 with per-item look-ups).
    expect(
      (await pool.measure(() => social.feeds.profile(act(reader.id), { userId: authors[0]!.id, limit: 10 }))).statements,
    ).toBeLessThanOrEqual(12);
  });
});
