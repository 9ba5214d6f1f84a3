import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeOf, world, act, ADMIN, socialStores } from "./helpers.js";

describe.each(socialStores())("comments on $name", (store) => {
  beforeAll(() => store.setup());
  afterAll(() => store.teardown());

  it("threads replies by parent, counts them, and lets the author or the post owner delete", async () => {
    const { social, user, clock } = world({ store: store.make() });
    const [john, jane, bob] = [await user("john_doe"), await user("jane_smith"), await user("bob")];
    const post = await social.posts.create(act(john.id), { content: "thoughts?" });
    const c1 = await social.comments.create(act(jane.id), { postId: post.id, content: "Great work!" });
    clock.advance(1000);
    const c2 = await social.comments.create(act(bob.id), { postId: post.id, content: "meh" });
    const r1 = await social.comments.create(act(john.id), { postId: post.id, parentId: c1.id, content: "thanks @jane_smith" });
    expect((await social.posts.get(act(bob.id), { postId: post.id })).commentsCount).toBe(3);
    expect((await social.comments.list(act(bob.id), { postId: post.id })).items.map((c) => c.id)).toEqual([c1.id, c2.id]);
    const replies = await social.comments.list(act(bob.id), { postId: post.id, parentId: c1.id });
    expect(replies.items.map((c) => [c.id, c.parentId])).toEqual([[r1.id, c1.id]]);
    expect((await social.comments.get(act(bob.id), { commentId: c1.id })).repliesCount).toBe(1);

    expect(await codeOf(social.comments.edit(act(bob.id), { commentId: c1.id, content: "x" }))).toBe("not_author");
    expect((await social.comments.edit(act(jane.id), { commentId: c1.id, content: "Great work!!" })).editedAt).not.toBeNull();
    expect(await codeOf(social.comments.delete(act(jane.id), { commentId: c2.id }))).toBe("not_author");
    await social.comments.delete(act(john.id), { commentId: c2.id }); // the post's owner
    await social.comments.delete(act(john.id), { commentId: r1.id }); // the author
    expect(await codeOf(social.comments.delete(act(john.id), { commentId: r1.id }))).toBe("comment_deleted");
    expect((await social.posts.get(act(bob.id), { postId: post.id })).commentsCount).toBe(1);
    expect((await social.comments.recount(ADMIN, { commentId: c1.id })).actual.repliesCount).toBe(0);
    expect((await social.posts.recount(ADMIN, { postId: post.id })).consistent).toBe(true);

    const other = await social.posts.create(act(bob.id), { content: "other" });
    expect(await codeOf(social.comments.create(act(jane.id), { postId: other.id, parentId: c1.id, content: "x" }))).toBe("parent_mismatch");
    expect(await codeOf(social.comments.create(act(jane.id), { postId: post.id, parentId: c2.id, content: "x" }))).toBe("comment_deleted");
  });

  it("pages comments with keyset cursors", async () => {
    const { social, user } = world({ store: store.make() });
    const john = await user("john_doe");
    const post = await social.posts.create(act(john.id), { content: "count" });
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await social.comments.create(act(john.id), { postId: post.id, content: `c${i}` })).id);
    const got: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof social.comments.list>> = await social.comments.list(act(john.id), {
        postId: post.id,
        limit: 3,
        cursor,
      });
      got.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(got).toEqual(ids);
  });
});

describe.each(socialStores())("likes on $name", (store) => {
  beforeAll(() => store.setup());
  afterAll(() => store.teardown());

  it("one like per user per post even under concurrency; unlike idempotent; likers listed", async () => {
    const { social, user } = world({ store: store.make() });
    const [john, jane, bob] = [await user("john_doe"), await user("jane_smith"), await user("bob")];
    const post = await social.posts.create(act(john.id), { content: "like me" });
    await Promise.all(Array.from({ length: 10 }, () => social.likes.likePost(act(jane.id), { postId: post.id })));
    await social.likes.likePost(act(bob.id), { postId: post.id });
    expect((await social.posts.get(act(john.id), { postId: post.id })).likesCount).toBe(2);
    expect((await social.likes.postLikers(act(john.id), { postId: post.id })).items.map((u) => u.username)).toEqual(["bob", "jane_smith"]);
    await Promise.all(Array.from({ length: 5 }, () => social.likes.unlikePost(act(jane.id), { postId: post.id })));
    expect((await social.likes.unlikePost(act(jane.id), { postId: post.id })).likesCount).toBe(1);
    expect(await social.likes.hasLikedPost(act(bob.id), { postId: post.id })).toBe(true);
    expect((await social.posts.recount(ADMIN, { postId: post.id })).consistent).toBe(true);
  });

  it("likes comments with exact counts", async () => {
    const { social, user } = world({ store: store.make() });
    const [john, jane] = [await user("john_doe"), await user("jane_smith")];
    const post = await social.posts.create(act(john.id), { content: "p" });
    const c = await social.comments.create(act(jane.id), { postId: post.id, content: "c" });
    await Promise.all([
      social.likes.likeComment(act(john.id), { commentId: c.id }),
      social.likes.likeComment(act(john.id), { commentId: c.id }),
    ]);
    expect((await social.likes.commentLikers(act(jane.id), { commentId: c.id })).items.map((u) => u.username)).toEqual(["john_doe"]);
    expect((await social.likes.unlikeComment(act(john.id), { commentId: c.id })).likesCount).toBe(0);
    await social.comments.delete(act(jane.id), { commentId: c.id });
    expect(await codeOf(social.likes.likeComment(act(john.id), { commentId: c.id }))).toBe("comment_deleted");
  });
});
