import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PlatformError } from "@platform/core";
import { MemorySocialStore } from "../src/index.js";
import { world } from "./helpers.js";

const USERS = 4;
const op = fc.record({
  // Weighted towards the pairs that move counters, so likes meet their unlikes and follows their unfollows.
  t: fc.constantFrom(
    ...["follow", "follow", "follow", "unfollow", "unfollow", "block", "unblock", "post", "post", "delete"],
    ...["like", "like", "like", "like", "unlike", "unlike", "unlike", "comment", "comment", "reply", "uncomment", "uncomment"],
    ...["likeComment", "likeComment", "unlikeComment", "unlikeComment", "repost", "unrepost", "approve", "approve", "private"],
  ),
  a: fc.nat(USERS - 1),
  b: fc.nat(USERS - 1),
  n: fc.nat(3),
  concurrent: fc.boolean(),
});

describe("counters (property)", () => {
  it("after random follow/unfollow/block/post/delete/like/unlike/comment sequences, every counter equals a recount", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 20, maxLength: 100 }), async (ops) => {
        const store = new MemorySocialStore();
        const { social, user } = world({ store, fanoutThreshold: 2 });
        const ids: string[] = [];
        for (let i = 0; i < USERS; i++) ids.push((await user(`user${i}`, { isPrivate: i === 3 })).id);
        // A few posts and comments up front, so most steps hit something that exists.
        const posts: string[] = [];
        for (const actorId of ids) posts.push((await social.posts.create({ actorId, content: "seed #t0" })).id);
        const comments: string[] = [];
        for (const postId of posts.slice(0, 3)) comments.push((await social.comments.create({ actorId: ids[0]!, postId, content: "seed" })).id);
        const pick = (list: string[], n: number, fallback: string) => (list.length ? list[n % list.length]! : fallback);
        for (const o of ops) {
          const actorId = ids[o.a]!;
          const userId = ids[o.b]!;
          const postId = pick(posts, o.n, "post_000000000000000000000000");
          const commentId = pick(comments, o.n, "cmt_000000000000000000000000");
          const once = async (): Promise<unknown> => {
            switch (o.t) {
              case "follow": return social.follows.follow({ actorId, userId });
              case "unfollow": return social.follows.unfollow({ actorId, userId });
              case "approve": return social.follows.approve({ actorId, userId });
              case "block": return social.users.block({ actorId, userId });
              case "unblock": return social.users.unblock({ actorId, userId });
              case "private": return social.users.updateProfile({ actorId, isPrivate: o.n % 2 === 0 });
              case "post": return posts.push((await social.posts.create({ actorId, content: `#t${o.n % 3} hi @user${o.b}`, visibility: o.n % 3 ? "public" : "followers" })).id);
              case "delete": return social.posts.delete({ actorId, postId });
              case "like": return social.likes.likePost({ actorId, postId });
              case "unlike": return social.likes.unlikePost({ actorId, postId });
              case "comment": return comments.push((await social.comments.create({ actorId, postId, content: "c" })).id);
              case "reply": {
                const parent = store.commentTable.get(commentId);
                return comments.push((await social.comments.create({ actorId, postId: parent?.postId ?? postId, parentId: commentId, content: "r" })).id);
              }
              case "uncomment": return social.comments.delete({ actorId, commentId });
              case "likeComment": return social.likes.likeComment({ actorId, commentId });
              case "unlikeComment": return social.likes.unlikeComment({ actorId, commentId });
              case "repost": return social.posts.repost({ actorId, postId });
              case "unrepost": return social.posts.unrepost({ actorId, postId });
            }
          };
          // Half of the steps run three copies at once: races must not double-count.
          const results = await Promise.allSettled(o.concurrent ? [once(), once(), once()] : [once()]);
          for (const r of results) if (r.status === "rejected" && !PlatformError.is(r.reason)) throw r.reason;
        }
        for (const userId of ids) {
          const r = await social.users.recount({ userId });
          expect(r.stored).toEqual(r.actual);
        }
        for (const postId of new Set(posts)) {
          const r = await social.posts.recount({ postId });
          expect(r.stored).toEqual(r.actual);
        }
        for (const commentId of new Set(comments)) {
          const r = await social.comments.recount({ commentId });
          expect(r.stored).toEqual(r.actual);
        }
      }),
      { numRuns: 100 },
    );
  });

  it("recount detects and repairs a drifted counter", async () => {
    const store = new MemorySocialStore();
    const { social, user } = world({ store });
    const [a, b] = [await user("alice"), await user("bob")];
    await social.follows.follow({ actorId: a.id, userId: b.id });
    await store.transaction((tx) => tx.users.incrementCounters(b.id, { followersCount: 5 }));
    expect(await social.users.recount({ userId: b.id })).toMatchObject({ consistent: false, stored: { followersCount: 6 }, actual: { followersCount: 1 }, repaired: false });
    expect((await social.users.recount({ userId: b.id, repair: true })).repaired).toBe(true);
    expect((await social.users.recount({ userId: b.id })).consistent).toBe(true);
  });
});
