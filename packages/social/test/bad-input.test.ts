import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PlatformError, type DomainEvent } from "@platform/core";
import { world, act, socialStores } from "./helpers.js";

const UNKNOWN_USER = "usr_000000000000000000000000";
const UNKNOWN_POST = "post_000000000000000000000000";
const UNKNOWN_COMMENT = "cmt_000000000000000000000000";

describe.each(socialStores())("bad input: each case has its own code and changes nothing on $name", (store) => {
  beforeAll(() => store.setup());
  afterAll(() => store.teardown());

  it("rejects every case with its code", async () => {
    const { social, user } = world({ store: store.make() });
    const [john, jane, blocker] = [await user("john_doe"), await user("jane_smith"), await user("blocker")];
    const priv = await user("private_pat", { isPrivate: true });
    const post = await social.posts.create(act(john.id), { content: "live" });
    const gone = await social.posts.create(act(john.id), { content: "gone" });
    await social.posts.delete(act(john.id), { postId: gone.id });
    const hidden = await social.posts.create(act(priv.id), { content: "hidden" });
    await social.users.block(act(blocker.id), { userId: jane.id });
    const page = await social.notifications.list(act(john.id), { limit: 1 });
    const feed = await social.feeds.home(act(john.id), { limit: 1 });
    const [body] = (feed.nextCursor ?? "x.y").split(".");

    const events: DomainEvent[] = [];
    social.events.onAny((e) => void events.push(e));
    const snapshot = async () =>
      social.store.transaction(async (tx) => ({
        users: await tx.users.count(),
        posts: await tx.posts.count(),
        comments: await tx.comments.count(),
        likes: await tx.likes.count(),
        follows: await tx.follows.count(),
        notifications: await tx.notifications.count(),
        john: await tx.users.get(john.id),
        post: await tx.posts.get(post.id),
      }));
    const before = await snapshot();

    const cases: [string, () => Promise<unknown>][] = [
      ["content_empty", () => social.posts.create(act(john.id), { content: "" })],
      ["content_empty", () => social.posts.create(act(john.id), { content: "   \n " })],
      ["content_too_long", () => social.posts.create(act(john.id), { content: "a".repeat(501) })],
      ["content_too_long", () => social.comments.create(act(john.id), { postId: post.id, content: "🌅".repeat(501) })],
      ["content_empty", () => social.comments.create(act(john.id), { postId: post.id, content: "" })],
      [
        "too_many_images",
        () =>
          social.posts.create(act(john.id), {
            content: "x",
            images: Array.from({ length: 5 }, (_, i) => `https://cdn.example.com/${i}.jpg`),
          }),
      ],
      ["invalid_image_url", () => social.posts.create(act(john.id), { content: "x", images: ["screenshot1.jpg"] })],
      ["invalid_image_url", () => social.posts.create(act(john.id), { content: "x", images: ["javascript:alert(1)"] })],
      ["invalid_avatar_url", () => social.users.updateProfile(act(john.id), { avatarUrl: "avatar1.jpg" })],
      ["self_follow", () => social.follows.follow(act(john.id), { userId: john.id })],
      ["post_deleted", () => social.likes.likePost(act(jane.id), { postId: gone.id })],
      ["post_deleted", () => social.comments.create(act(jane.id), { postId: gone.id, content: "x" })],
      ["post_not_found", () => social.likes.likePost(act(jane.id), { postId: hidden.id })],
      ["post_not_found", () => social.comments.create(act(jane.id), { postId: hidden.id, content: "x" })],
      ["blocked_by_user", () => social.follows.follow(act(jane.id), { userId: blocker.id })],
      ["user_not_found", () => social.follows.follow(act(john.id), { userId: UNKNOWN_USER })],
      ["user_not_found", () => social.users.get(act(john.id), { userId: UNKNOWN_USER })],
      ["unknown_actor", () => social.posts.create(act(UNKNOWN_USER), { content: "x" })],
      ["post_not_found", () => social.likes.likePost(act(john.id), { postId: UNKNOWN_POST })],
      ["post_not_found", () => social.posts.get(act(john.id), { postId: UNKNOWN_POST })],
      ["comment_not_found", () => social.likes.likeComment(act(john.id), { commentId: UNKNOWN_COMMENT })],
      ["comment_not_found", () => social.comments.create(act(john.id), { postId: post.id, parentId: UNKNOWN_COMMENT, content: "x" })],
      ["invalid_id", () => social.likes.likePost(act(john.id), { postId: "post_1" })],
      ["invalid_id", () => social.likes.likePost(act(john.id), { postId: john.id })],
      ["invalid_cursor", () => social.feeds.home(act(john.id), { cursor: `${body}.AAAAAAAAAAAAAAAAAAAAAA` })],
      ["invalid_cursor", () => social.feeds.home(act(john.id), { cursor: "garbage" })],
      ["invalid_cursor", () => social.feeds.home(act(jane.id), { cursor: feed.nextCursor ?? "x" })],
      ["invalid_cursor", () => social.notifications.list(act(john.id), { cursor: feed.nextCursor ?? "x" })],
      ["invalid_cursor", () => social.feeds.home(act(john.id), { cursor: page.nextCursor ?? "x" })],
      ["validation_failed", () => social.feeds.home(act(john.id), { limit: 0 })],
      ["not_author", () => social.posts.delete(act(jane.id), { postId: post.id })],
    ];
    const got: [string, string][] = [];
    for (const [expected, run] of cases) {
      const code = await run().then(
        () => "resolved",
        (e: unknown) => (PlatformError.is(e) ? e.code : String(e)),
      );
      got.push([expected, code]);
    }
    expect(got.filter(([e, c]) => e !== c)).toEqual([]);
    expect(await snapshot()).toEqual(before);
    expect(events).toEqual([]);
  });

  it("names the offending field", async () => {
    const { social, user } = world({ store: store.make() });
    const john = await user("john_doe");
    const e = await social.posts
      .create(act(john.id), { content: "x", images: ["https://ok.example.com/a.png", "nope"] })
      .catch((x: unknown) => x);
    expect(PlatformError.is(e, "invalid_image_url") && e.details["fields"]).toEqual(["images.1"]);
  });
});
