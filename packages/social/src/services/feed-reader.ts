import { together } from "@platform/core";
import type { FeedItem } from "../domain/feed.js";
import { postView, type Post } from "../domain/post.js";
import type { SocialTx } from "../ports/social-store.js";
import type { Viewer } from "./viewer.js";

/** The shape every feed source is read into: a reference to an activity. */
export interface ActivityRef {
  readonly seq: number;
  readonly activityId: string;
  readonly actorId: string;
  readonly postId: string;
  readonly at?: Date;
}

/**
 * The read side of the hybrid home feed: merges the materialised feed (push activities at or above
 * its floor), the pull activities of the sources (authors above the fan-out threshold, merged at
 * read time) and, below the floor of a trimmed feed, the push activities read from storage.
 * The three are disjoint, so the newest `n` of their union is the newest `n` of the feed.
 */
export async function homeCandidates(
  tx: SocialTx,
  userId: string,
  sources: readonly string[],
  floorSeq: number,
  before: number | null,
  n: number,
): Promise<ActivityRef[]> {
  // Independent reads, sent together (one round trip on PostgreSQL).
  const [entries, pulled] = await together([
    tx.feeds.page(userId, { before, limit: n }),
    tx.activities.listByActors(sources, { before, limit: n, delivery: "pull" }),
  ]);
  const all: ActivityRef[] = [];
  for (const e of entries) if (e.seq >= floorSeq) all.push(e);
  const materialised = all.length;
  for (const a of pulled) all.push({ seq: a.seq, activityId: a.id, actorId: a.actorId, postId: a.postId, at: a.createdAt });
  // Storage below the floor is needed only once the materialised part runs out: if it returned a
  // full batch, every item below the floor is older than all of them.
  if (floorSeq > 0 && materialised < n) {
    const bound = before === null ? floorSeq : Math.min(before, floorSeq);
    for (const a of await tx.activities.listByActors(sources, { before: bound, limit: n, delivery: "push" }))
      all.push({ seq: a.seq, activityId: a.id, actorId: a.actorId, postId: a.postId, at: a.createdAt });
  }
  all.sort((x, y) => y.seq - x.seq);
  // An activity read twice (a seq is one activity's) sits next to itself once sorted: keep one.
  let kept = 0;
  for (const r of all) if (kept === 0 || all[kept - 1]!.activityId !== r.activityId) all[kept++] = r;
  all.length = Math.min(kept, n);
  return all;
}

/** How {@link hydrateFeed} filters a page. */
export interface HydrateOptions {
  /** Hide the content of muted users (off on a profile the viewer opened on purpose). */
  readonly respectMutes: boolean;
  /** Keep only activities of these actors, which the viewer follows (or is): a home feed's sources. */
  readonly sources?: ReadonlySet<string>;
}

/**
 * Turns the activities `refs[from, to)` into feed items, null for each the viewer may not see: the
 * post is live and visible, the repost still exists, and neither the reposter nor the author is
 * blocked or (with `respectMutes`) muted by the viewer. One store call per kind of data for the
 * whole slice (posts, users, blocks, mutes; follows come from `sources` when given), plus one per
 * repost; authors' summaries are built once per page.
 */
export async function hydrateFeed(
  tx: SocialTx,
  viewer: Viewer,
  refs: readonly ActivityRef[],
  from: number,
  to: number,
  options: HydrateOptions,
): Promise<(FeedItem | null)[]> {
  const { respectMutes, sources } = options;
  const postIds: string[] = [];
  for (let i = from; i < to; i++) if (!sources || sources.has(refs[i]!.actorId)) postIds.push(refs[i]!.postId);
  const posts = postIds.length > 0 ? await tx.posts.getMany(postIds) : EMPTY_POSTS;
  const people: string[] = [];
  for (let i = from; i < to; i++) {
    const ref = refs[i]!;
    const post = posts.get(ref.postId);
    if (post === undefined || (sources && !sources.has(ref.actorId))) continue;
    people.push(post.authorId);
    if (ref.activityId !== ref.postId) people.push(ref.actorId);
  }
  await viewer.preload(people, respectMutes, sources);
  const out: (FeedItem | null)[] = [];
  for (let i = from; i < to; i++) {
    const ref = refs[i]!;
    const post = sources && !sources.has(ref.actorId) ? undefined : posts.get(ref.postId);
    if (post === undefined || !viewer.seesPost(post)) {
      out.push(null);
      continue;
    }
    const isRepost = ref.activityId !== ref.postId;
    let at = post.createdAt;
    if (isRepost) {
      const repost = await tx.reposts.get(ref.actorId, ref.postId);
      if (!repost || repost.id !== ref.activityId || viewer.hidesLoaded(ref.actorId, respectMutes)) {
        out.push(null);
        continue;
      }
      at = repost.createdAt;
    }
    if (respectMutes && viewer.hidesLoaded(post.authorId, true)) {
      out.push(null);
      continue;
    }
    out.push({
      id: ref.activityId,
      kind: isRepost ? "repost" : "post",
      post: postView(post, viewer.summary(post.authorId)!),
      repostedBy: isRepost ? viewer.summary(ref.actorId) : null,
      at,
    });
  }
  return out;
}

const EMPTY_POSTS: ReadonlyMap<string, Post> = new Map();
