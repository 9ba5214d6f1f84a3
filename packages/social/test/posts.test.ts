import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DomainEvent } from "@platform/core";
import { codeOf, world, act, ADMIN, socialStores } from "./helpers.js";

describe.each(socialStores())("posts on $name", (store) => {
  beforeAll(() => store.setup());
  afterAll(() => store.teardown());

  it("creates posts with hashtags and mentions, counts them, and lists by user and hashtag", async () => {
    const { social, user, clock } = world({ store: store.make() });
    const [john, jane] = [await user("john_doe"), await user("jane_smith")];
    const p1 = await social.posts.create(act(john.id), {
      content: "Built it! #Coding #golang cc @Jane_Smith",
      images: ["https://cdn.example.com/s1.jpg"],
    });
    clock.advance(1000);
    const p2 = await social.posts.create(act(john.id), { content: "Café au lait #café #coding" });
    expect(p1.hashtags).toEqual(["coding", "golang"]);
    expect(p1.mentionIds).toEqual([jane.id]);
    expect(p2.hashtags).toEqual(["café", "coding"]);
    expect((await social.users.me(act(john.id))).postsCount).toBe(2);
    expect((await social.posts.listByUser(act(jane.id), { userId: john.id })).items.map((p) => p.id)).toEqual([p2.id, p1.id]);
    expect((await social.posts.listByHashtag(act(jane.id), { hashtag: "#CODING" })).items.map((p) => p.id)).toEqual([p2.id, p1.id]);
    expect((await social.posts.listByHashtag(act(jane.id), { hashtag: "CAFÉ" })).items.map((p) => p.id)).toEqual([p2.id]);
  });

  it("lets only the author edit (marked edited) or delete; deletion moves the count and hides the post", async () => {
    const { social, user, clock } = world({ store: store.make() });
    const [john, jane] = [await user("john_doe"), await user("jane_smith")];
    const post = await social.posts.create(act(john.id), { content: "first #old" });
    expect(await codeOf(social.posts.edit(act(jane.id), { postId: post.id, content: "hacked" }))).toBe("not_author");
    expect(await codeOf(social.posts.delete(act(jane.id), { postId: post.id }))).toBe("not_author");
    clock.advance(5000);
    const edited = await social.posts.edit(act(john.id), { postId: post.id, content: "second #new" });
    expect(edited.editedAt).toEqual(clock.now());
    expect(edited.hashtags).toEqual(["new"]);
    expect((await social.posts.listByHashtag(act(jane.id), { hashtag: "old" })).items).toEqual([]);
    await social.posts.delete(act(john.id), { postId: post.id });
    expect((await social.users.me(act(john.id))).postsCount).toBe(0);
    expect(await codeOf(social.posts.get(act(jane.id), { postId: post.id }))).toBe("post_deleted");
    expect(await codeOf(social.posts.delete(act(john.id), { postId: post.id }))).toBe("post_deleted");
    expect(await codeOf(social.likes.likePost(act(jane.id), { postId: post.id }))).toBe("post_deleted");
    expect(await codeOf(social.comments.create(act(jane.id), { postId: post.id, content: "x" }))).toBe("post_deleted");
    expect((await social.posts.listByHashtag(act(jane.id), { hashtag: "new" })).items).toEqual([]);
  });

  it("reposts once per user per post, counted, and only public posts", async () => {
    const { social, user } = world({ store: store.make() });
    const [john, jane, bob] = [await user("john_doe"), await user("jane_smith"), await user("bob")];
    const post = await social.posts.create(act(john.id), { content: "share me" });
    await Promise.all([1, 2, 3].map(() => social.posts.repost(act(jane.id), { postId: post.id })));
    expect((await social.posts.repost(act(bob.id), { postId: post.id })).repostsCount).toBe(2);
    expect((await social.posts.unrepost(act(bob.id), { postId: post.id })).repostsCount).toBe(1);
    expect((await social.posts.unrepost(act(bob.id), { postId: post.id })).repostsCount).toBe(1);
    expect((await social.posts.recount(ADMIN, { postId: post.id })).consistent).toBe(true);
    const secret = await social.posts.create(act(john.id), { content: "followers only", visibility: "followers" });
    await social.follows.follow(act(jane.id), { userId: john.id });
    expect(await codeOf(social.posts.repost(act(jane.id), { postId: secret.id }))).toBe("post_not_repostable");
    const profile = await social.feeds.profile(act(bob.id), { userId: jane.id });
    expect(profile.items.map((i) => [i.kind, i.post.id, i.repostedBy?.username])).toEqual([["repost", post.id, "jane_smith"]]);
  });

  it("publishes events only after commit", async () => {
    const { social, user } = world({ store: store.make() });
    const seen: DomainEvent[] = [];
    social.events.onAny((e) => void seen.push(e));
    const john = await user("john_doe");
    await social.posts.create(act(john.id), { content: "hello" });
    expect(seen.map((e) => e.type)).toEqual(["user.created", "post.created"]);
    await codeOf(social.posts.create(act(john.id), { content: "" }));
    await expect(
      social.store.transaction(async (tx) => {
        await social.posts.create(act(john.id), { content: "rolled back" });
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    expect(seen.map((e) => e.type)).toEqual(["user.created", "post.created"]);
    expect((await social.users.me(act(john.id))).postsCount).toBe(1);
  });
});
