import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeOf, world, act, socialStores } from "./helpers.js";

/**
 * Every read path, against a private account, as a stranger, an accepted follower and a blocked
 * user (a former follower the account then blocked).
 */
describe.each(socialStores())("read paths against a private account on $name", (store) => {
  beforeAll(() => store.setup());
  afterAll(() => store.teardown());

  async function setup() {
    const w = world({ store: store.make() });
    const { social, user } = w;
    const pat = await user("private_pat", { isPrivate: true });
    const [fay, sam, bo] = [await user("follower_fay"), await user("stranger_sam"), await user("blocked_bo")];
    for (const u of [fay, bo]) {
      await social.follows.follow(act(u.id), { userId: pat.id });
      await social.follows.approve(act(pat.id), { userId: u.id });
    }
    await social.follows.follow(act(pat.id), { userId: fay.id });
    const post = await social.posts.create(act(pat.id), { content: "secret #hidden" });
    const comment = await social.comments.create(act(fay.id), { postId: post.id, content: "nice" });
    await social.likes.likePost(act(fay.id), { postId: post.id });
    await social.likes.likeComment(act(pat.id), { commentId: comment.id });
    await social.users.block(act(pat.id), { userId: bo.id });
    return { ...w, pat, fay, sam, bo, post, comment };
  }

  it("each read path for stranger, follower and blocked user", async () => {
    const { social, pat, fay, sam, bo, post, comment } = await setup();
    const reads = (actorId: string) => ({
      profile: social.users.get(act(actorId), { userId: pat.id }).then((p) => p.username),
      postById: social.posts.get(act(actorId), { postId: post.id }).then((p) => p.id),
      postsByUser: social.posts.listByUser(act(actorId), { userId: pat.id }).then((p) => p.items.length),
      hashtag: social.posts.listByHashtag(act(actorId), { hashtag: "hidden" }).then((p) => p.items.length),
      profileTimeline: social.feeds.profile(act(actorId), { userId: pat.id }).then((p) => p.items.length),
      homeFeed: social.feeds.home(act(actorId)).then((p) => p.items.filter((i) => i.post.id === post.id).length),
      comments: social.comments.list(act(actorId), { postId: post.id }).then((p) => p.items.length),
      commentById: social.comments.get(act(actorId), { commentId: comment.id }).then((c) => c.id),
      postLikers: social.likes.postLikers(act(actorId), { postId: post.id }).then((p) => p.items.length),
      commentLikers: social.likes.commentLikers(act(actorId), { commentId: comment.id }).then((p) => p.items.length),
      followers: social.follows.followers(act(actorId), { userId: pat.id }).then((p) => p.items.length),
      following: social.follows.following(act(actorId), { userId: pat.id }).then((p) => p.items.length),
      like: social.likes.likePost(act(actorId), { postId: post.id }).then(() => "liked"),
      comment: social.comments.create(act(actorId), { postId: post.id, content: "x" }).then(() => "commented"),
    });
    const settle = async (actorId: string) => {
      const out: Record<string, unknown> = {};
      // Handlers attached at once: on a concurrent store a read may reject before its turn comes.
      const settled = Object.entries(reads(actorId)).map(([k, p]) => [k, p.catch((e: { code: string }) => e.code)] as const);
      for (const [k, p] of settled) out[k] = await p;
      return out;
    };
    expect(await settle(sam.id)).toEqual({
      profile: "private_pat",
      postById: "post_not_found",
      postsByUser: "account_private",
      hashtag: 0,
      profileTimeline: "account_private",
      homeFeed: 0,
      comments: "post_not_found",
      commentById: "comment_not_found",
      postLikers: "post_not_found",
      commentLikers: "comment_not_found",
      followers: "account_private",
      following: "account_private",
      like: "post_not_found",
      comment: "post_not_found",
    });
    expect(await settle(bo.id)).toEqual({
      profile: "blocked_by_user",
      postById: "post_not_found",
      postsByUser: "blocked_by_user",
      hashtag: 0,
      profileTimeline: "blocked_by_user",
      homeFeed: 0,
      comments: "post_not_found",
      commentById: "comment_not_found",
      postLikers: "post_not_found",
      commentLikers: "comment_not_found",
      followers: "blocked_by_user",
      following: "blocked_by_user",
      like: "post_not_found",
      comment: "post_not_found",
    });
    expect(await settle(fay.id)).toEqual({
      profile: "private_pat",
      postById: post.id,
      postsByUser: 1,
      hashtag: 1,
      profileTimeline: 1,
      homeFeed: 1,
      comments: 1,
      commentById: comment.id,
      postLikers: 1,
      commentLikers: 1,
      followers: 1,
      following: 1,
      like: "liked",
      comment: "commented",
    });
  });

  it("a former follower who blocked the private account cannot read its content either", async () => {
    const { social, pat, sam } = await setup();
    await social.follows.follow(act(sam.id), { userId: pat.id });
    await social.follows.approve(act(pat.id), { userId: sam.id });
    expect((await social.posts.listByUser(act(sam.id), { userId: pat.id })).items).toHaveLength(1);
    await social.users.block(act(sam.id), { userId: pat.id }); // removes the follow both ways
    expect(await codeOf(social.posts.listByUser(act(sam.id), { userId: pat.id }))).toBe("account_private");
    expect(await codeOf(social.feeds.profile(act(sam.id), { userId: pat.id }))).toBe("account_private");
  });

  it("followers-only posts of a public account are hidden from strangers on every path", async () => {
    const { social, user } = world({ store: store.make() });
    const [author, fan, sam] = [await user("author"), await user("fan"), await user("stranger_sam")];
    await social.follows.follow(act(fan.id), { userId: author.id });
    const post = await social.posts.create(act(author.id), { content: "for fans #fans", visibility: "followers" });
    expect(await codeOf(social.posts.get(act(sam.id), { postId: post.id }))).toBe("post_not_found");
    expect((await social.posts.listByUser(act(sam.id), { userId: author.id })).items).toEqual([]);
    expect((await social.posts.listByHashtag(act(sam.id), { hashtag: "fans" })).items).toEqual([]);
    expect((await social.feeds.profile(act(sam.id), { userId: author.id })).items).toEqual([]);
    expect(await codeOf(social.likes.postLikers(act(sam.id), { postId: post.id }))).toBe("post_not_found");
    expect((await social.posts.listByHashtag(act(fan.id), { hashtag: "fans" })).items.map((p) => p.id)).toEqual([post.id]);
    expect((await social.feeds.home(act(fan.id))).items.map((i) => i.post.id)).toEqual([post.id]);
    await social.follows.unfollow(act(fan.id), { userId: author.id });
    expect(await codeOf(social.posts.get(act(fan.id), { postId: post.id }))).toBe("post_not_found");
  });
});
