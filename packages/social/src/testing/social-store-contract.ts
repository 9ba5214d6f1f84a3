import { codeOf } from "@platform/core/testing";
import { createId } from "@platform/core";
import { describe, expect, it } from "vitest";
import type { Post } from "../domain/post.js";
import type { SocialStore, SocialTx } from "../ports/social-store.js";

const T0 = new Date("2026-01-01T00:00:00Z");

function newUser(username: string) {
  return {
    id: createId("usr"),
    username,
    email: `${username.toLowerCase()}@example.com`,
    name: username,
    bio: "",
    avatarUrl: null,
    isPrivate: false,
    isVerified: false,
    role: "user" as const,
    externalId: null,
    createdAt: T0,
    updatedAt: T0,
  };
}

function newPost(authorId: string, extra: Partial<Post> = {}): Omit<Post, "seq"> {
  return {
    id: createId("post"),
    authorId,
    content: "x",
    images: [],
    visibility: "public",
    hashtags: [],
    mentionIds: [],
    delivery: "push",
    likesCount: 0,
    commentsCount: 0,
    repostsCount: 0,
    createdAt: T0,
    updatedAt: T0,
    editedAt: null,
    deletedAt: null,
    ...extra,
  };
}

/**
 * The behaviour every social store must have (memory today, PostgreSQL later): unique pairs that
 * report whether a row appeared, atomic counters, keyset order, rollback, feed capping and floors.
 * @example
 * ```ts
 * describeSocialStoreContract("memory", () => new MemorySocialStore());
 * ```
 */
export function describeSocialStoreContract(name: string, makeStore: () => SocialStore | Promise<SocialStore>): void {
  describe(`social store contract: ${name}`, () => {
    const run = async <T>(store: SocialStore, work: (tx: SocialTx) => Promise<T>): Promise<T> => store.transaction(work);

    it("keeps usernames unique case-insensitively and e-mails unique", async () => {
      const store = await makeStore();
      const u = await run(store, (tx) => tx.users.insert(newUser("John_Doe")));
      expect((await run(store, (tx) => tx.users.getByUsername("JOHN_DOE")))?.id).toBe(u.id);
      expect(await codeOf(run(store, (tx) => tx.users.insert(newUser("john_doe"))))).toBe("username_taken");
      expect(await codeOf(run(store, (tx) => tx.users.insert({ ...newUser("other"), email: u.email })))).toBe("email_taken");
      expect((await run(store, (tx) => tx.users.getMany([u.id, createId("usr")]))).size).toBe(1);
    });

    it("links one host id to one user, looks it up exactly, and unlinks it", async () => {
      const store = await makeStore();
      const a = await run(store, (tx) => tx.users.insert({ ...newUser("ext_a"), externalId: "cus_123" }));
      const b = await run(store, (tx) => tx.users.insert(newUser("ext_b")));
      expect((await run(store, (tx) => tx.users.getByExternalId("cus_123")))?.id).toBe(a.id);
      expect(await run(store, (tx) => tx.users.getByExternalId("CUS_123"))).toBeNull();
      expect(await codeOf(run(store, (tx) => tx.users.insert({ ...newUser("ext_c"), externalId: "cus_123" })))).toBe("external_id_taken");
      expect(await codeOf(run(store, (tx) => tx.users.setExternalId(b.id, "cus_123", T0)))).toBe("external_id_taken");
      expect((await run(store, (tx) => tx.users.get(b.id)))?.externalId).toBeNull();
      await run(store, (tx) => tx.users.setExternalId(a.id, null, T0));
      expect((await run(store, (tx) => tx.users.setExternalId(b.id, "cus_123", T0))).externalId).toBe("cus_123");
      expect((await run(store, (tx) => tx.users.getByExternalId("cus_123")))?.id).toBe(b.id);
      expect(await codeOf(run(store, (tx) => tx.users.setExternalId(createId("usr"), "cus_9", T0)))).toBe("user_not_found");
    });

    it("applies counter deltas atomically and rolls back with the transaction", async () => {
      const store = await makeStore();
      const u = await run(store, (tx) => tx.users.insert(newUser("alice")));
      await Promise.all(
        Array.from({ length: 10 }, () => run(store, (tx) => tx.users.incrementCounters(u.id, { followersCount: 1, postsCount: 2 }))),
      );
      await expect(
        run(store, async (tx) => {
          await tx.users.incrementCounters(u.id, { followersCount: 100 });
          throw new Error("abort the transaction");
        }),
      ).rejects.toThrow("abort the transaction");
      expect(await run(store, (tx) => tx.users.get(u.id))).toMatchObject({ followersCount: 10, postsCount: 20, followingCount: 0 });
    });

    it("inserts unique pairs once and reports whether a row appeared or vanished", async () => {
      const store = await makeStore();
      const [a, b] = await run(store, async (tx) => [await tx.users.insert(newUser("alice")), await tx.users.insert(newUser("bob"))]);
      const follow = { id: createId("flw"), followerId: a.id, followeeId: b.id, createdAt: T0 };
      const results = await Promise.all(
        Array.from({ length: 5 }, () => run(store, (tx) => tx.follows.insertIfAbsent({ ...follow, id: createId("flw") }))),
      );
      expect(results.filter((r) => r !== null)).toHaveLength(1);
      expect(await run(store, (tx) => tx.follows.countFollowers(b.id))).toBe(1);
      expect(await run(store, (tx) => tx.follows.followingIds(a.id))).toEqual([b.id]);
      expect(await run(store, (tx) => tx.follows.delete(a.id, b.id))).not.toBeNull();
      expect(await run(store, (tx) => tx.follows.delete(a.id, b.id))).toBeNull();
      const like = { id: createId("like"), userId: a.id, targetType: "post" as const, targetId: "post_x", createdAt: T0 };
      expect(await run(store, (tx) => tx.likes.insertIfAbsent(like))).not.toBeNull();
      expect(await run(store, (tx) => tx.likes.insertIfAbsent({ ...like, id: createId("like") }))).toBeNull();
      expect(await run(store, (tx) => tx.likes.countByTarget("post", "post_x"))).toBe(1);
      const block = { id: createId("blk"), blockerId: a.id, blockedId: b.id, createdAt: T0 };
      expect(await run(store, (tx) => tx.blocks.insertIfAbsent(block))).not.toBeNull();
      expect(await run(store, (tx) => tx.blocks.eitherBlocks(b.id, a.id))).toBe(true);
      expect([...(await run(store, (tx) => tx.blocks.blockedAmong(b.id, [a.id, b.id])))]).toEqual([a.id]);
    });

    it("lists keyset pages newest first without gaps or repeats, and leaves deleted posts out", async () => {
      const store = await makeStore();
      const a = await run(store, (tx) => tx.users.insert(newUser("alice")));
      const posts: Post[] = [];
      for (let i = 0; i < 7; i++) posts.push(await run(store, (tx) => tx.posts.insert(newPost(a.id, { hashtags: ["tag"] }))));
      await run(store, (tx) => tx.posts.update(posts[3]!.id, { deletedAt: T0 }));
      const seen: string[] = [];
      let before: number | null = null;
      for (;;) {
        const page: Post[] = await run(store, (tx) => tx.posts.listByAuthor(a.id, { before, limit: 2 }));
        if (page.length === 0) break;
        seen.push(...page.map((p) => p.id));
        before = page[page.length - 1]!.seq;
      }
      const live = posts
        .filter((_, i) => i !== 3)
        .reverse()
        .map((p) => p.id);
      expect(seen).toEqual(live);
      expect((await run(store, (tx) => tx.posts.listByHashtag("tag", { limit: 100 }))).map((p) => p.id)).toEqual(live);
      expect(await run(store, (tx) => tx.posts.countByAuthor(a.id))).toBe(6);
    });

    it("merges activities of several actors by seq, by delivery and bounds", async () => {
      const store = await makeStore();
      // Real authors: a SQL store may enforce the posts -> users foreign key.
      const [ua, ub] = await run(store, async (tx) => [
        await tx.users.insert(newUser("author_a")),
        await tx.users.insert(newUser("author_b")),
      ]);
      const acts = await run(store, async (tx) => {
        const out = [];
        for (let i = 0; i < 6; i++) {
          const post = await tx.posts.insert(newPost(i % 2 ? ub.id : ua.id, { delivery: i % 3 ? "push" : "pull" }));
          const a = {
            id: post.id,
            seq: post.seq,
            actorId: post.authorId,
            verb: "post" as const,
            postId: post.id,
            delivery: post.delivery,
            createdAt: T0,
          };
          await tx.activities.insert(a);
          out.push(a);
        }
        return out;
      });
      const all = await run(store, (tx) => tx.activities.listByActors([ua.id, ub.id], { limit: 10 }));
      expect(all.map((a) => a.id)).toEqual([...acts].reverse().map((a) => a.id));
      const pulled = await run(store, (tx) => tx.activities.listByActors([ua.id, ub.id], { limit: 10, delivery: "pull" }));
      expect(pulled.map((a) => a.id)).toEqual([acts[3]!.id, acts[0]!.id]);
      const window = await run(store, (tx) =>
        tx.activities.listByActors([ua.id, ub.id], { limit: 2, before: acts[4]!.seq, atLeast: acts[1]!.seq }),
      );
      expect(window.map((a) => a.id)).toEqual([acts[3]!.id, acts[2]!.id]);
    });

    it("delivers only to materialised feeds, caps them and raises the floor", async () => {
      const store = await makeStore();
      await run(store, (tx) => tx.feeds.replace("usr_r", [], 0));
      for (let seq = 1; seq <= 5; seq++) {
        const n = await run(store, (tx) =>
          tx.feeds.deliver(
            ["usr_r", "usr_cold"],
            { seq: seq * 10, activityId: `a${seq}`, actorId: seq % 2 ? "usr_x" : "usr_y", postId: `p${seq}` },
            3,
          ),
        );
        expect(n).toBe(1);
      }
      expect(await run(store, (tx) => tx.feeds.getState("usr_cold"))).toBeNull();
      expect((await run(store, (tx) => tx.feeds.page("usr_r", { limit: 10 }))).map((e) => e.seq)).toEqual([50, 40, 30]);
      expect(await run(store, (tx) => tx.feeds.getState("usr_r"))).toEqual({ userId: "usr_r", floorSeq: 30 });
      expect(await run(store, (tx) => tx.feeds.removeActor("usr_r", "usr_x"))).toBe(2);
      expect((await run(store, (tx) => tx.feeds.page("usr_r", { limit: 10, before: 100 }))).map((e) => e.activityId)).toEqual(["a4"]);
      await run(store, (tx) => tx.feeds.drop("usr_r"));
      expect(await run(store, (tx) => tx.feeds.size("usr_r"))).toBe(0);
    });

    it("de-duplicates notifications per recipient and marks them read", async () => {
      const store = await makeStore();
      const base = {
        recipientId: "usr_r",
        type: "like" as const,
        actorId: "usr_a",
        postId: "post_p",
        commentId: null,
        dedupeKey: "like:a:p",
        groupKey: "like:p",
        readAt: null,
        createdAt: T0,
      };
      expect(await run(store, (tx) => tx.notifications.insertIfAbsent({ ...base, id: createId("ntf") }))).not.toBeNull();
      expect(await run(store, (tx) => tx.notifications.insertIfAbsent({ ...base, id: createId("ntf") }))).toBeNull();
      await run(store, (tx) =>
        tx.notifications.insertIfAbsent({ ...base, id: createId("ntf"), dedupeKey: "follow:a", type: "follow", groupKey: "follow" }),
      );
      expect(await run(store, (tx) => tx.notifications.countUnread("usr_r"))).toBe(2);
      expect(await run(store, (tx) => tx.notifications.markAllRead("usr_r", T0))).toBe(2);
      expect(await run(store, (tx) => tx.notifications.countUnread("usr_r"))).toBe(0);
      expect(await run(store, (tx) => tx.notifications.deleteFromActor("usr_r", "usr_a"))).toBe(2);
    });
  });
}
