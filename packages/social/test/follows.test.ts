import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitUntil } from "@platform/core/testing";
import { codeOf, world, act, ADMIN, socialStores } from "./helpers.js";

describe.each(socialStores())("follows on $name", (store) => {
  beforeAll(() => store.setup());
  afterAll(() => store.teardown());

  it("is idempotent, moves both counters exactly and lists newest first", async () => {
    const { social, user } = world({ store: store.make() });
    const [a, b, c] = [await user("alice"), await user("bob"), await user("carol")];
    expect(await social.follows.follow(act(a.id), { userId: b.id })).toEqual({ status: "following" });
    expect(await social.follows.follow(act(a.id), { userId: b.id })).toEqual({ status: "following" });
    await social.follows.follow(act(c.id), { userId: b.id });
    const bob = await social.users.get(act(a.id), { userId: b.id });
    expect(bob).toMatchObject({ followersCount: 2, followingCount: 0, relationship: { following: true, followedBy: false } });
    const page1 = await social.follows.followers(act(a.id), { userId: b.id, limit: 1 });
    expect(page1.items.map((u) => u.username)).toEqual(["carol"]);
    const page2 = await social.follows.followers(act(a.id), { userId: b.id, limit: 1, cursor: page1.nextCursor });
    expect(page2.items.map((u) => u.username)).toEqual(["alice"]);
    expect(page2.nextCursor).toBeNull();
    await social.follows.unfollow(act(a.id), { userId: b.id });
    await social.follows.unfollow(act(a.id), { userId: b.id });
    expect((await social.users.me(act(a.id))).followingCount).toBe(0);
    expect((await social.users.recount(ADMIN, { userId: b.id })).consistent).toBe(true);
  });

  it("keeps counts exact under concurrent follow and unfollow storms", async () => {
    const { social, user } = world({ store: store.make() });
    const star = await user("star");
    const fans = await Promise.all(Array.from({ length: 15 }, (_, i) => user(`fan${i}`)));
    await Promise.all(
      fans.flatMap((f) => [social.follows.follow(act(f.id), { userId: star.id }), social.follows.follow(act(f.id), { userId: star.id })]),
    );
    expect((await social.users.me(act(star.id))).followersCount).toBe(15);
    await Promise.all(
      fans
        .slice(0, 5)
        .flatMap((f) => [social.follows.unfollow(act(f.id), { userId: star.id }), social.follows.unfollow(act(f.id), { userId: star.id })]),
    );
    const r = await social.users.recount(ADMIN, { userId: star.id });
    expect(r).toMatchObject({ consistent: true, actual: { followersCount: 10 } });
  });

  it("refuses self-follow and unknown users", async () => {
    const { social, user } = world({ store: store.make() });
    const a = await user("alice");
    expect(await codeOf(social.follows.follow(act(a.id), { userId: a.id }))).toBe("self_follow");
    expect(await codeOf(social.follows.follow(act(a.id), { userId: "usr_000000000000000000000000" }))).toBe("user_not_found");
    expect(await codeOf(social.follows.follow(act("usr_000000000000000000000000"), { userId: a.id }))).toBe("unknown_actor");
    expect(await codeOf(social.follows.follow(act(a.id), { userId: "nope" }))).toBe("invalid_id");
  });

  it("turns a follow of a private account into a request: approve, reject, cancel", async () => {
    const { social, user } = world({ store: store.make() });
    const priv = await user("private_pat", { isPrivate: true });
    const [a, b, c] = [await user("alice"), await user("bob"), await user("carol")];
    const requestEvents: string[] = [];
    social.events.onAny((e) => void (e.type.startsWith("follow_request.") && requestEvents.push(e.type)));
    expect(await social.follows.follow(act(a.id), { userId: priv.id })).toEqual({ status: "requested" });
    expect(await social.follows.follow(act(a.id), { userId: priv.id })).toEqual({ status: "requested" });
    await social.follows.follow(act(b.id), { userId: priv.id });
    await social.follows.follow(act(c.id), { userId: priv.id });
    expect((await social.follows.requests(act(priv.id))).items.map((u) => u.username)).toEqual(["carol", "bob", "alice"]);
    expect((await social.users.me(act(priv.id))).followersCount).toBe(0);
    await social.follows.approve(act(priv.id), { userId: a.id });
    await social.follows.reject(act(priv.id), { userId: b.id });
    await social.follows.cancel(act(c.id), { userId: priv.id });
    expect((await social.follows.requests(act(priv.id))).items).toEqual([]);
    expect((await social.users.me(act(priv.id))).followersCount).toBe(1);
    expect((await social.users.relationship(act(a.id), { userId: priv.id })).following).toBe(true);
    expect(await codeOf(social.follows.approve(act(priv.id), { userId: b.id }))).toBe("follow_request_not_found");
    expect(await codeOf(social.follows.cancel(act(c.id), { userId: priv.id }))).toBe("follow_request_not_found");
    expect(await codeOf(social.follows.reject(act(priv.id), { userId: c.id }))).toBe("follow_request_not_found");
    await waitUntil(() => requestEvents.length === 6, "six follow_request events");
    expect(requestEvents).toEqual([
      "follow_request.created",
      "follow_request.created",
      "follow_request.created",
      "follow_request.approved",
      "follow_request.rejected",
      "follow_request.canceled",
    ]);
  });
});

describe.each(socialStores())("private to public on $name", (store) => {
  beforeAll(() => store.setup());
  afterAll(() => store.teardown());

  it("accepts pending requests when the account turns public", async () => {
    const { social, user } = world({ store: store.make() });
    const priv = await user("private_pat", { isPrivate: true });
    const [a, b] = [await user("alice"), await user("bob")];
    await social.follows.follow(act(a.id), { userId: priv.id });
    await social.follows.follow(act(b.id), { userId: priv.id });
    await social.users.updateProfile(act(priv.id), { isPrivate: false });
    expect((await social.users.me(act(priv.id))).followersCount).toBe(2);
    expect((await social.follows.requests(act(priv.id))).items).toEqual([]);
    expect((await social.users.recount(ADMIN, { userId: priv.id })).consistent).toBe(true);
  });
});

describe.each(socialStores())("blocks and mutes on $name", (store) => {
  beforeAll(() => store.setup());
  afterAll(() => store.teardown());

  it("a block removes follows both ways and stops follows, comments, likes and mentions", async () => {
    const { social, user } = world({ store: store.make() });
    const [a, b] = [await user("alice"), await user("bob")];
    await social.follows.follow(act(a.id), { userId: b.id });
    await social.follows.follow(act(b.id), { userId: a.id });
    const post = await social.posts.create(act(a.id), { content: "hi" });
    await social.users.block(act(a.id), { userId: b.id });
    await social.users.block(act(a.id), { userId: b.id });
    for (const id of [a.id, b.id]) expect(await social.users.me(act(id))).toMatchObject({ followersCount: 0, followingCount: 0 });
    expect(await codeOf(social.follows.follow(act(b.id), { userId: a.id }))).toBe("blocked_by_user");
    expect(await codeOf(social.follows.follow(act(a.id), { userId: b.id }))).toBe("user_blocked");
    expect(await codeOf(social.likes.likePost(act(b.id), { postId: post.id }))).toBe("post_not_found");
    expect(await codeOf(social.comments.create(act(b.id), { postId: post.id, content: "x" }))).toBe("post_not_found");
    const mention = await social.posts.create(act(b.id), { content: "hey @alice" });
    expect(mention.mentionIds).toEqual([]);
    expect(await social.notifications.unreadCount(act(a.id))).toBe(0); // bob's follow was dropped by the block
    expect((await social.notifications.list(act(a.id))).items).toEqual([]);
    expect(await codeOf(social.users.get(act(b.id), { userId: a.id }))).toBe("blocked_by_user");
    expect(await codeOf(social.users.block(act(a.id), { userId: a.id }))).toBe("self_block");
    await social.users.unblock(act(a.id), { userId: b.id });
    expect(await social.follows.follow(act(b.id), { userId: a.id })).toEqual({ status: "following" });
  });

  it("a block cancels pending follow requests both ways", async () => {
    const { social, user } = world({ store: store.make() });
    const priv = await user("private_pat", { isPrivate: true });
    const a = await user("alice");
    await social.follows.follow(act(a.id), { userId: priv.id });
    await social.users.block(act(priv.id), { userId: a.id });
    expect((await social.follows.requests(act(priv.id))).items).toEqual([]);
  });

  it("a mute hides posts from the home feed and notifications silently, and is lifted by unmute", async () => {
    const { social, user, clock } = world({ store: store.make() });
    const [a, b] = [await user("alice"), await user("bob")];
    await social.follows.follow(act(a.id), { userId: b.id });
    await social.users.mute(act(a.id), { userId: b.id });
    await social.users.mute(act(a.id), { userId: b.id });
    clock.advance(1000);
    const post = await social.posts.create(act(b.id), { content: "muted #topic" });
    const mine = await social.posts.create(act(a.id), { content: "mine #topic" });
    await social.likes.likePost(act(b.id), { postId: mine.id });
    expect((await social.feeds.home(act(a.id))).items.map((i) => i.post.id)).toEqual([mine.id]);
    expect((await social.posts.listByHashtag(act(a.id), { hashtag: "#topic" })).items.map((p) => p.id)).toEqual([mine.id]);
    expect((await social.notifications.list(act(a.id))).items).toEqual([]);
    expect((await social.users.relationship(act(b.id), { userId: a.id })).followedBy).toBe(true); // bob sees nothing changed
    expect(await codeOf(social.users.mute(act(a.id), { userId: a.id }))).toBe("self_mute");
    await social.users.unmute(act(a.id), { userId: b.id });
    expect((await social.feeds.home(act(a.id))).items.map((i) => i.post.id)).toEqual([mine.id, post.id]);
  });
});
