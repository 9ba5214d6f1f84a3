import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createId, ManualClock } from "@platform/core";
import { waitForLockWaiter } from "@platform/core/testing";
import type { PoolLike } from "@platform/core/postgres";
import { createSocialMediaPlatform, type SocialMediaPlatform, type SocialStore, type User } from "../src/index.js";
import { act, ANONYMOUS_ACTOR, postgresSocial } from "./helpers.js";

// PostgreSQL hands out sequence values in call order but transactions commit in any order. The
// adapter locks, before a post/repost seq is allocated, its author's row and the materialised feeds
// it reaches; a follow locks both users' rows; a cold home read locks its sources' rows shared (see
// feed-lock.ts). So fan-out, backfill and rebuild never miss each other, while posts of different
// authors never wait for each other. These tests hold a transaction open at the critical point and
// watch the other side wait for it (or not).
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

// A test that fails mid-way must not leave a transaction (and its locks) held for the next one.
const releases: (() => void)[] = [];
afterEach(() => {
  for (const r of releases.splice(0)) r();
});

/**
 * A post by `authorId` inserted in a transaction held open until `release()`. `ready` resolves once
 * the post has its seq, i.e. once the transaction holds its locks, so a test never races it.
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
      id: createId("post"),
      authorId,
      content: "held",
      images: [],
      visibility: "public",
      hashtags: [],
      mentionIds: [],
      delivery: "push",
      likesCount: 0,
      commentsCount: 0,
      repostsCount: 0,
      createdAt: new Date(),
      updatedAt: new Date(),
      editedAt: null,
      deletedAt: null,
    });
    await tx.activities.insert({
      id: post.id,
      seq: post.seq,
      actorId: authorId,
      verb: "post",
      postId: post.id,
      delivery: "push",
      createdAt: post.createdAt,
    });
    seq = post.seq;
    markReady();
    await gate;
    return post;
  });
  return { done, release, ready, seq: () => seq };
}

describe("feed ordering on PostgreSQL", () => {
  it("a post by another author does not wait for the one in flight (no global lock)", async () => {
    const first = heldPost(alice.id);
    await first.ready;
    const second = await social.posts.create(act(bob.id), { content: "later" });
    const { rows } = await pool.query<{ seq: string }>("SELECT seq FROM social_posts WHERE id = $1", [second.id]);
    expect(Number(rows[0]!.seq)).toBeGreaterThan(first.seq());
    first.release();
    await first.done;
  });

  it("a cold home read waits for a followee's post in flight and its rebuilt feed holds it", async () => {
    await social.follows.follow(act(bob.id), { userId: alice.id });
    await social.feeds.evict(act(bob.id));
    const held = heldPost(alice.id);
    await held.ready;
    const read = social.feeds.home(act(bob.id));
    await waitForLockWaiter(pool);
    held.release();
    const post = await held.done;
    expect((await read).items.map((i) => i.id)).toEqual([post.id]);
    expect((await pool.query("SELECT activity_id FROM social_feed_entries WHERE user_id = $1", [bob.id])).rows).toEqual([
      { activity_id: post.id },
    ]);
  });

  it("a follow waits for the followee's post in flight, so the backfill holds it", async () => {
    await social.feeds.home(act(bob.id)); // bob's feed is materialised (and empty)
    const held = heldPost(alice.id);
    await held.ready;
    const follow = social.follows.follow(act(bob.id), { userId: alice.id });
    await waitForLockWaiter(pool);
    held.release();
    const post = await held.done;
    expect(await follow).toEqual({ status: "following" });
    expect((await social.feeds.home(act(bob.id))).items.map((i) => i.id)).toEqual([post.id]);
    expect((await pool.query("SELECT activity_id FROM social_feed_entries WHERE user_id = $1", [bob.id])).rows).toEqual([
      { activity_id: post.id },
    ]);
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
