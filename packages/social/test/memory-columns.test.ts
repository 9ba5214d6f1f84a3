import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MemorySocialStore, type Post } from "../src/index.js";
import { mergeNewest } from "../src/adapters/memory/merge-newest.js";
import type { SocialTx } from "../src/ports/social-store.js";

// The memory store keeps posts, activities and feed entries in columns (row numbers, typed arrays,
// interned ids). These properties pin what the row-object tables guaranteed: a failed transaction
// leaves nothing, and a row number freed by a rollback never makes an older reference read
// someone else's data.

const AUTHORS = ["usr_a", "usr_b", "usr_c"];
const TAGS = ["x", "y", "z"];
const FEEDS = ["usr_a", "usr_f"];
const T0 = Date.parse("2026-01-01T00:00:00Z");

const op = fc.oneof(
  fc.record({ t: fc.constant("post" as const), a: fc.nat(2), tags: fc.subarray(TAGS), pull: fc.boolean(), deliver: fc.boolean() }),
  fc.record({ t: fc.constant("delete" as const), n: fc.nat() }),
  fc.record({ t: fc.constant("retag" as const), n: fc.nat(), tags: fc.subarray(TAGS) }),
  fc.record({ t: fc.constant("like" as const), n: fc.nat(), d: fc.integer({ min: -1, max: 2 }) }),
  fc.record({ t: fc.constant("unlist" as const), n: fc.nat() }),
  fc.record({ t: fc.constant("unfollow" as const), f: fc.nat(1), a: fc.nat(2) }),
  fc.record({ t: fc.constant("rebuild" as const), f: fc.nat(1) }),
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

/** Applies `ops`; `made` collects the ids of posts created (a rolled-back batch's ids are dropped by the caller). */
async function apply(tx: SocialTx, ops: readonly Op[], made: string[], tag: string): Promise<void> {
  for (const [i, o] of ops.entries()) {
    const pick = (n: number) => made[n % made.length]!;
    switch (o.t) {
      case "post": {
        const at = new Date(T0 + made.length * 1000);
        const p = await tx.posts.insert({
          id: `post_${tag}${i}`,
          authorId: AUTHORS[o.a]!,
          content: `c${tag}${i}`,
          images: [],
          visibility: "public",
          hashtags: o.tags,
          mentionIds: [],
          delivery: o.pull ? "pull" : "push",
          likesCount: 0,
          commentsCount: 0,
          repostsCount: 0,
          createdAt: at,
          updatedAt: at,
          editedAt: null,
          deletedAt: null,
        });
        await tx.activities.insert({
          id: p.id,
          seq: p.seq,
          actorId: p.authorId,
          verb: "post",
          postId: p.id,
          delivery: p.delivery,
          createdAt: at,
        });
        if (o.deliver) await tx.feeds.deliver(FEEDS, { seq: p.seq, activityId: p.id, actorId: p.authorId, postId: p.id }, 4);
        made.push(p.id);
        break;
      }
      case "delete":
        if (made.length) await tx.posts.update(pick(o.n), { deletedAt: new Date(T0) });
        break;
      case "retag":
        if (made.length) await tx.posts.update(pick(o.n), { hashtags: o.tags, content: `edited${tag}${i}` });
        break;
      case "like":
        if (made.length) await tx.posts.incrementCounters(pick(o.n), { likesCount: o.d, repostsCount: 1 });
        break;
      case "unlist":
        if (made.length) await tx.activities.delete(pick(o.n));
        break;
      case "unfollow":
        await tx.feeds.removeActor(FEEDS[o.f]!, AUTHORS[o.a]!);
        break;
      case "rebuild": {
        const acts = await tx.activities.listByActors(AUTHORS, { limit: 3, delivery: "push" });
        await tx.feeds.replace(
          FEEDS[o.f]!,
          acts.map((a) => ({ userId: FEEDS[o.f]!, seq: a.seq, activityId: a.id, actorId: a.actorId, postId: a.postId })),
          acts.length === 3 ? acts[2]!.seq : 0,
        );
        break;
      }
    }
  }
}

/** Everything the repositories can tell about the posts, timelines and feeds. */
async function snapshot(tx: SocialTx, ids: readonly string[]) {
  const posts = await tx.posts.getMany([...ids, "post_missing"]);
  return {
    posts: ids.map((id) => posts.get(id) ?? null),
    byAuthor: await Promise.all(
      AUTHORS.map(async (a) => [(await tx.posts.listByAuthor(a, { limit: 1000 })).map((p) => p.id), await tx.posts.countByAuthor(a)]),
    ),
    byTag: await Promise.all(TAGS.map(async (t) => (await tx.posts.listByHashtag(t, { limit: 1000 })).map((p) => p.id))),
    live: await tx.posts.count(),
    timeline: await tx.activities.listByActors(AUTHORS, { limit: 1000 }),
    pulled: (await tx.activities.listByActors(AUTHORS, { limit: 1000, delivery: "pull" })).map((a) => a.id),
    feeds: await Promise.all(
      FEEDS.map(async (f) => [await tx.feeds.getState(f), await tx.feeds.page(f, { limit: 1000 }), await tx.feeds.size(f)]),
    ),
  };
}

describe("memory store columns", () => {
  it("a failed transaction leaves posts, timelines, indexes and feeds exactly as they were, and later writes read back right", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { maxLength: 25 }),
        fc.array(op, { minLength: 1, maxLength: 25 }),
        fc.array(op, { maxLength: 15 }),
        async (before, failed, after) => {
          const store = new MemorySocialStore();
          const made: string[] = [];
          await store.transaction(async (tx) => {
            await tx.feeds.replace("usr_f", [], 0);
            await tx.feeds.replace("usr_a", [], 0);
            await apply(tx, before, made, "b");
          });
          const seen = await store.transaction((tx) => snapshot(tx, made));
          const attempt = [...made];
          await expect(
            store.transaction(async (tx) => {
              await apply(tx, failed, attempt, "f");
              throw new Error("abort");
            }),
          ).rejects.toThrow("abort");
          expect(await store.transaction((tx) => snapshot(tx, attempt))).toEqual({
            ...seen,
            posts: [...seen.posts, ...attempt.slice(made.length).map(() => null)],
          });
          // Rows freed by the rollback are reused: every post and feed entry must still read as written.
          await store.transaction((tx) => apply(tx, after, made, "a"));
          await store.transaction(async (tx) => {
            for (const id of made) {
              const p = (await tx.posts.get(id))!;
              expect(p.id).toBe(id);
              expect(p.content.startsWith(`c${id.slice(5, 6)}`) || p.content.startsWith("edited")).toBe(true);
            }
            for (const f of FEEDS) {
              for (const e of await tx.feeds.page(f, { limit: 1000 })) {
                const p = (await tx.posts.get(e.postId))!;
                expect([e.activityId, e.actorId, e.seq]).toEqual([p.id, p.authorId, p.seq]);
              }
            }
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  it("returns copies: changing a returned post or its lists never changes the store", async () => {
    const store = new MemorySocialStore();
    const at = new Date(T0);
    const p: Post = await store.transaction((tx) =>
      tx.posts.insert({
        id: "post_1",
        authorId: "usr_a",
        content: "hi",
        images: ["https://cdn.example.com/a.jpg"],
        visibility: "followers",
        hashtags: ["x"],
        mentionIds: ["usr_b"],
        delivery: "pull",
        likesCount: 1,
        commentsCount: 2,
        repostsCount: 3,
        createdAt: at,
        updatedAt: at,
        editedAt: null,
        deletedAt: null,
      }),
    );
    try {
      (p as { content: string }).content = "changed";
    } catch {
      // A frozen row refuses the write: just as good.
    }
    p.createdAt.setTime(0);
    expect(() => (p.hashtags as string[]).push("y")).toThrow(TypeError);
    expect(await store.transaction((tx) => tx.posts.get("post_1"))).toEqual({ ...p, content: "hi", createdAt: at });
  });

  it("merges ascending lists into the newest entries, as a full sort would", () => {
    fc.assert(
      fc.property(fc.array(fc.uniqueArray(fc.nat(10_000)), { maxLength: 12 }), fc.nat(60), (lists, limit) => {
        // Seqs are unique store-wide: make the lists disjoint.
        const owner = new Map<number, number>();
        lists.forEach((l, i) => l.forEach((s) => owner.has(s) || owner.set(s, i)));
        const ranges = lists.map((_, i) => {
          const seqs = [...owner]
            .filter(([, o]) => o === i)
            .map(([s]) => s)
            .sort((a, b) => a - b);
          return { seqs, values: seqs.map((s) => s * 2), start: 0, end: seqs.length };
        });
        const expected = [...owner.keys()]
          .sort((a, b) => b - a)
          .slice(0, limit)
          .map((s) => s * 2);
        expect(
          mergeNewest(
            ranges.filter((r) => r.end > 0),
            limit,
          ),
        ).toEqual(expected);
      }),
    );
  });
});
