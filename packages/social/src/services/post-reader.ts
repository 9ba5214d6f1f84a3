import type { Page } from "@platform/core";
import { postView, type PostView } from "../domain/post.js";
import { summarize } from "../domain/user.js";
import type { ServiceContext } from "./context.js";
import { collectPage, decodeSeq } from "./paging.js";
import { requireActor, requireUser, Viewer } from "./viewer.js";

/** The read side of {@link PostService}: a post by id, and the keyset lists by author and by hashtag, as the actor may see them. */
export class PostReader {
  constructor(private readonly ctx: ServiceContext) {}

  /** See `PostService.get`. */
  async get(actorId: string, postId: string): Promise<PostView> {
    return this.ctx.store.transaction(async (tx) => {
      await requireActor(tx, actorId);
      const { post, author } = await new Viewer(tx, actorId).visiblePost(postId);
      return postView(post, summarize(author));
    });
  }

  /** See `PostService.listByUser`. */
  async listByUser(actorId: string, input: { userId: string; limit: number; cursor?: string | null }): Promise<Page<PostView>> {
    const { userId, limit, cursor } = input;
    return this.ctx.store.transaction(async (tx) => {
      await requireActor(tx, actorId);
      const viewer = new Viewer(tx, actorId);
      const user = await requireUser(tx, userId);
      await viewer.assertCanSeeContentOf(user);
      const kind = `social.posts_by_user:${userId}`;
      return collectPage({
        limit,
        start: decodeSeq(this.ctx.codec, kind, cursor),
        fetch: (before, n) => tx.posts.listByAuthor(userId, { before, limit: n }),
        seqOf: (p) => p.seq,
        accept: async (p) => ((await viewer.canSeePost(p)) ? postView(p, summarize(user)) : null),
        codec: this.ctx.codec,
        kind,
      });
    });
  }

  /** See `PostService.listByHashtag`. */
  async listByHashtag(actorId: string, input: { hashtag: string; limit: number; cursor?: string | null }): Promise<Page<PostView>> {
    const { hashtag, limit, cursor } = input;
    return this.ctx.store.transaction(async (tx) => {
      await requireActor(tx, actorId);
      const viewer = new Viewer(tx, actorId);
      const kind = `social.posts_by_hashtag:${hashtag}`;
      return collectPage({
        limit,
        start: decodeSeq(this.ctx.codec, kind, cursor),
        fetch: (before, n) => tx.posts.listByHashtag(hashtag, { before, limit: n }),
        seqOf: (p) => p.seq,
        accept: async (p) => {
          if (!(await viewer.canSeePost(p)) || (await viewer.hides(p.authorId))) return null;
          return postView(p, summarize((await viewer.user(p.authorId))!));
        },
        codec: this.ctx.codec,
        kind,
      });
    });
  }
}
