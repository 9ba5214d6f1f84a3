import { createId, PlatformError } from "@platform/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { world, act, socialStores } from "./helpers.js";

/** Everything a caller can observe of a rejection, with the id it names replaced. */
async function answer(promise: Promise<unknown>, id: string): Promise<unknown> {
  try {
    await promise;
    return "resolved";
  } catch (e) {
    if (!PlatformError.is(e)) throw e;
    return JSON.parse(JSON.stringify({ ...e.toJSON(), status: e.status }).replaceAll(id, "<id>"));
  }
}

/**
 * A post or comment the actor may not see must answer exactly like a missing one on every path,
 * or its id reveals that it exists (and, through `not_author`, `post_deleted` or a silent no-op,
 * that it is someone else's, was deleted, or was never liked).
 */
describe.each(socialStores())("hidden posts and comments answer like missing ones on $name", (store) => {
  beforeAll(() => store.setup());
  afterAll(() => store.teardown());

  async function setup() {
    const w = world({ store: store.make() });
    const { social, user } = w;
    const pat = await user("private_pat", { isPrivate: true });
    const [fay, sam, bo, ann] = [
      await user("follower_fay"),
      await user("stranger_sam"),
      await user("blocked_bo"),
      await user("public_ann"),
    ];
    for (const u of [fay, bo]) {
      await social.follows.follow(act(u.id), { userId: pat.id });
      await social.follows.approve(act(pat.id), { userId: u.id });
    }
    const secret = await social.posts.create(act(pat.id), { content: "secret" });
    const comment = await social.comments.create(act(fay.id), { postId: secret.id, content: "nice" });
    const gone = await social.posts.create(act(pat.id), { content: "deleted later" });
    await social.posts.delete(act(pat.id), { postId: gone.id });
    const fansOnly = await social.posts.create(act(ann.id), { content: "for fans", visibility: "followers" });
    const open = await social.posts.create(act(ann.id), { content: "public" });
    // A comment by someone who blocks the viewer, on a post everyone may see.
    const blockerComment = await social.comments.create(act(pat.id), { postId: open.id, content: "from pat" });
    await social.users.block(act(pat.id), { userId: bo.id });
    return { ...w, pat, fay, sam, bo, ann, secret, comment, gone, fansOnly, open, blockerComment };
  }

  const postPaths = (social: ReturnType<typeof world>["social"], actorId: string, postId: string) => ({
    get: social.posts.get(act(actorId), { postId }),
    edit: social.posts.edit(act(actorId), { postId, content: "x" }),
    delete: social.posts.delete(act(actorId), { postId }),
    repost: social.posts.repost(act(actorId), { postId }),
    unrepost: social.posts.unrepost(act(actorId), { postId }),
    like: social.likes.likePost(act(actorId), { postId }),
    unlike: social.likes.unlikePost(act(actorId), { postId }),
    hasLiked: social.likes.hasLikedPost(act(actorId), { postId }),
    likers: social.likes.postLikers(act(actorId), { postId }),
    comment: social.comments.create(act(actorId), { postId, content: "x" }),
    comments: social.comments.list(act(actorId), { postId }),
  });

  const commentPaths = (social: ReturnType<typeof world>["social"], actorId: string, commentId: string, openPostId: string) => ({
    get: social.comments.get(act(actorId), { commentId }),
    edit: social.comments.edit(act(actorId), { commentId, content: "x" }),
    delete: social.comments.delete(act(actorId), { commentId }),
    like: social.likes.likeComment(act(actorId), { commentId }),
    unlike: social.likes.unlikeComment(act(actorId), { commentId }),
    likers: social.likes.commentLikers(act(actorId), { commentId }),
    reply: social.comments.create(act(actorId), { postId: openPostId, parentId: commentId, content: "x" }),
  });

  async function answers(paths: Record<string, Promise<unknown>>, id: string): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    // Handlers attached at once: on a concurrent store a call may reject before its turn comes.
    const settled = Object.entries(paths).map(([k, p]) => [k, answer(p, id)] as const);
    for (const [k, p] of settled) out[k] = await p;
    return out;
  }

  it("every post path: private account, followers-only, blocked, and a deleted hidden post", async () => {
    const { social, pat, sam, bo, secret, gone, fansOnly } = await setup();
    const missing = createId("post");
    const expected = await answers(postPaths(social, sam.id, missing), missing);
    for (const [k, v] of Object.entries(expected)) expect(v, k).toMatchObject({ code: "post_not_found", kind: "not_found" });
    for (const [actor, post] of [
      [sam, secret],
      [sam, fansOnly],
      [bo, secret],
      [sam, gone],
      [bo, gone],
    ] as const) {
      expect(await answers(postPaths(social, actor.id, post.id), post.id), `${actor.username} on ${post.content}`).toEqual(expected);
    }
    // Nothing changed on the hidden post.
    const seen = await social.posts.get(act(pat.id), { postId: secret.id });
    expect([seen.likesCount, seen.commentsCount, seen.repostsCount, seen.content]).toEqual([0, 1, 0, "secret"]);
  });

  it("every comment path: a comment on a hidden post, and one by a user who blocks the viewer", async () => {
    const { social, sam, bo, fay, comment, blockerComment, open } = await setup();
    const missing = createId("cmt");
    const expected = await answers(commentPaths(social, sam.id, missing, open.id), missing);
    for (const v of Object.values(expected)) expect(v).toMatchObject({ code: "comment_not_found", kind: "not_found" });
    expect(await answers(commentPaths(social, sam.id, comment.id, open.id), comment.id)).toEqual(expected);
    const fromBo = await answers(commentPaths(social, bo.id, blockerComment.id, open.id), blockerComment.id);
    expect(fromBo).toEqual(expected);
    expect((await social.comments.get(act(fay.id), { commentId: comment.id })).likesCount).toBe(0);
  });

  it("those who may see the content keep the precise answers, and undo their own like after losing sight", async () => {
    const { social, pat, fay, sam, secret, gone, open } = await setup();
    expect(await answer(social.posts.get(act(fay.id), { postId: gone.id }), gone.id)).toMatchObject({ code: "post_deleted" });
    expect(await answer(social.posts.edit(act(fay.id), { postId: secret.id, content: "x" }), secret.id)).toMatchObject({
      code: "not_author",
    });
    expect(await answer(social.posts.edit(act(sam.id), { postId: open.id, content: "x" }), open.id)).toMatchObject({ code: "not_author" });
    await social.likes.likePost(act(fay.id), { postId: secret.id });
    await social.follows.unfollow(act(fay.id), { userId: pat.id });
    expect(await answer(social.posts.get(act(fay.id), { postId: secret.id }), secret.id)).toMatchObject({ code: "post_not_found" });
    expect(await social.likes.unlikePost(act(fay.id), { postId: secret.id })).toEqual({ liked: false, likesCount: 0 });
    expect(await answer(social.likes.unlikePost(act(fay.id), { postId: secret.id }), secret.id)).toMatchObject({ code: "post_not_found" });
  });
});
