import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createId, ManualClock } from "@platform/core";
import { waitForLockWaiter } from "@platform/core/testing";
import type { PoolLike } from "@platform/core/postgres";
import { createSocialMediaPlatform, type SocialMediaPlatform, type SocialStore, type User } from "../src/index.js";
import { act, ANONYMOUS_ACTOR, postgresSocial } from "./helpers.js";

// PostgreSQL hands out sequence values in call order but transactions commit in any order. The
// adapter takes a transaction-level advisory lock before a post/repost seq is allocated and before
// a follow appears or vanishes (shared for home reads), so activities become visible in seq order
// and fan-out, backfill and rebuild never miss each other. These tests hold a transaction open
// at the critical point and watch the other side wait for it.
const fixture = postgresSocial(6);
let pool: PoolLike;
let store: SocialStore;
let social: SocialMediaPlatform;
let alice: User;
let bob: User;

beforeAll(async () => {
  await fixture.setup();
  pool = fixture.pool!;
});
afterAll(() => fixture.teardown());
beforeEach(async () => {
  store = fixture.make();
  social = createSocialMediaPlatform({ store, clock: new ManualClock("2026-01-01T00:00:00Z") });
  alice = await social.users.create(ANONYMOUS_ACTOR, { username: "alice", email: "alice@example.com", name: "Alice" });
  bob = await social.users.create(ANONYMOUS_ACTOR, { username: "bob", email: "bob@example.com", name: "Bob" });
});

// A test that fails mid-way must not leave a transaction (and the feed lock) held for the next one.
const releases: (() => void)[] = [];
afterEach(() => {
  for (const r of releases.splice(0)) r();
});

/**
 * A post by `authorId` inserted in a transaction held open until `release()`. `ready` resolves once
 * the post has its seq, i.e. once the transaction holds the feed lock, so a test never races it.
 */
function heldPost(authorId: string) {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  releases.push(() => release());
  let seq = 0;
  let markReady!: () => void;
  const ready = new Promise<void>((r) => (markReady = r));
  const done = store.transaction(async (tx) => {
    const post = await tx.posts.insert({
      id: createId("post"), authorId, content: "held", images: [], visibility: "public", hashtags: [], mentionIds: [], delivery: "push",
      likesCount: 0, commentsCount: 0, repostsCount: 0, createdAt: new Date(), updatedAt: new Date(), editedAt: null, deletedAt: null,
    });
    await tx.activities.insert({ id: post.id, seq: post.seq, actorId: authorId, verb: "post", postId: post.id, delivery: "push", createdAt: post.createdAt });
    seq = post.seq;
    markReady();
    await gate;
    return post;
  });
  return { done, release, ready, seq: () => seq };
}

describe("feed ordering on PostgreSQL", () => {
  it("a post started later waits for the one in flight, so seqs become visible in order", async () => {
    const first = heldPost(alice.id);
    await first.ready;
    let secondDone = false;
    const second = social.posts.create(act(bob.id), { content: "later" }).finally(() => (secondDone = true));
    const waiter = await waitForLockWaiter(pool, { advisoryOnly: true });
    // No sleep: while the first transaction holds the lock, the second is observably blocked on it
    // (its lock is not granted), has not finished, and has written nothing anyone can see.
    const { rows: blocked } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_locks WHERE pid = $1 AND locktype = 'advisory' AND NOT granted", [waiter]);
    expect(blocked[0]!.n).toBe(1);
    expect(secondDone).toBe(false);
    expect((await pool.query("SELECT id FROM social_posts WHERE author_id = $1", [bob.id])).rows).toEqual([]);
    first.release();
    const [p1, p2] = [await first.done, await second];
    const { rows } = await pool.query<{ seq: string }>("SELECT seq FROM social_posts WHERE id = $1", [p2.id]);
    expect(Number(rows[0]!.seq)).toBeGreaterThan(p1.seq);
  });

  it("a cold home read waits for a followee's post in flight and its rebuilt feed holds it", async () => {
    await social.follows.follow(act(bob.id), { userId: alice.id });
    await social.feeds.evict(act(bob.id));
    const held = heldPost(alice.id);
    await held.ready;
    const read = social.feeds.home(act(bob.id));
    await waitForLockWaiter(pool, { advisoryOnly: true });
    held.release();
    const post = await held.done;
    expect((await read).items.map((i) => i.id)).toEqual([post.id]);
    expect((await pool.query("SELECT activity_id FROM social_feed_entries WHERE user_id = $1", [bob.id])).rows).toEqual([{ activity_id: post.id }]);
  });

  it("a follow waits for the followee's post in flight, so the backfill holds it", async () => {
    await social.feeds.home(act(bob.id)); // bob's feed is materialised (and empty)
    const held = heldPost(alice.id);
    await held.ready;
    const follow = social.follows.follow(act(bob.id), { userId: alice.id });
    await waitForLockWaiter(pool, { advisoryOnly: true });
    held.release();
    const post = await held.done;
    expect(await follow).toEqual({ status: "following" });
    expect((await social.feeds.home(act(bob.id))).items.map((i) => i.id)).toEqual([post.id]);
    expect((await pool.query("SELECT activity_id FROM social_feed_entries WHERE user_id = $1", [bob.id])).rows).toEqual([{ activity_id: post.id }]);
  });

  it("paging while others post: no duplicate, no gap against the first page's snapshot", async () => {
    await social.follows.follow(act(bob.id), { userId: alice.id });
    const before: string[] = [];
    for (let i = 0; i < 9; i++) before.unshift((await social.posts.create(act(alice.id), { content: `p${i}` })).id);
    const seen: string[] = [];
    let page = await social.feeds.home(act(bob.id), { limit: 4 });
    seen.push(...page.items.map((i) => i.id));
    while (page.nextCursor) {
      await Promise.all([0, 1, 2].map((k) => social.posts.create(act(k % 2 ? bob.id : alice.id), { content: "meanwhile" })));
      page = await social.feeds.home(act(bob.id), { limit: 4, cursor: page.nextCursor });
      seen.push(...page.items.map((i) => i.id));
    }
    expect(seen).toEqual(before);
  });
});
