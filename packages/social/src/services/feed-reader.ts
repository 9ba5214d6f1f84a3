import type { FeedItem } from "../domain/feed.js";
import { postView } from "../domain/post.js";
import { summarize } from "../domain/user.js";
import type { SocialTx } from "../ports/social-store.js";
import { together } from "./together.js";
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
  const materialised = entries.filter((e) => e.seq >= floorSeq);
  const below: ActivityRef[] = [];
  // Storage below the floor is needed only once the materialised part runs out: if it returned a
  // full batch, every item below the floor is older than all of them.
  if (floorSeq > 0 && materialised.length < n) {
    const bound = before === null ? floorSeq : Math.min(before, floorSeq);
    for (const a of await tx.activities.listByActors(sources, { before: bound, limit: n, delivery: "push" }))
      below.push({ seq: a.seq, activityId: a.id, actorId: a.actorId, postId: a.postId, at: a.createdAt });
  }
  const seen = new Set<string>();
  const all: ActivityRef[] = [];
  for (const list of [
    materialised,
    pulled.map((a) => ({ seq: a.seq, activityId: a.id, actorId: a.actorId, postId: a.postId, at: a.createdAt })),
    below,
  ]) {
    for (const r of list) {
      if (seen.has(r.activityId)) continue;
      seen.add(r.activityId);
      all.push(r);
    }
  }
  all.sort((a, b) => b.seq - a.seq);
  return all.length > n ? all.slice(0, n) : all;
}

/**
 * Turns an activity into a feed item if the viewer may see it: the post is live and visible, the
 * repost still exists, and neither the reposter nor the author is blocked or muted by the viewer
 * (`respectMutes` is off on a profile the viewer opened on purpose).
 */
export async function hydrate(tx: SocialTx, viewer: Viewer, ref: ActivityRef, respectMutes: boolean): Promise<FeedItem | null> {
  const post = await tx.posts.get(ref.postId);
  if (!post || !(await viewer.canSeePost(post))) return null;
  const isRepost = ref.activityId !== ref.postId;
  let at = post.createdAt;
  if (isRepost) {
    const repost = await tx.reposts.get(ref.actorId, ref.postId);
    if (!repost || repost.id !== ref.activityId) return null;
    at = repost.createdAt;
    if ((await viewer.relation(ref.actorId)).blocked) return null;
  }
  if (respectMutes && ((await viewer.hides(post.authorId)) || (isRepost && (await viewer.hides(ref.actorId))))) return null;
  const author = (await viewer.user(post.authorId))!;
  const reposter = isRepost ? await viewer.user(ref.actorId) : null;
  return {
    id: ref.activityId,
    kind: isRepost ? "repost" : "post",
    post: postView(post, summarize(author)),
    repostedBy: reposter ? summarize(reposter) : null,
    at,
  };
}
