import { canSeePost } from "../src/domain/visibility.js";
import type { MemorySocialStore } from "../src/index.js";

/**
 * Brute-force home feed: every live activity (post or repost) of the accounts `viewerId` follows
 * and their own, visible to them, neither author nor reposter blocked or muted, newest first.
 * Reads the tables directly with full scans: no feeds, no fan-out, no indexes beyond primary keys.
 */
export function oracleHome(store: MemorySocialStore, viewerId: string): string[] {
  const follows = (a: string, b: string) => [...store.followTable.table.values()].some((f) => f.followerId === a && f.followeeId === b);
  const blocked = (a: string, b: string) => [...store.blockTable.values()].some((x) => (x.blockerId === a && x.blockedId === b) || (x.blockerId === b && x.blockedId === a));
  const muted = (a: string, b: string) => [...store.muteTable.values()].some((m) => m.muterId === a && m.mutedId === b);
  const hides = (other: string) => other !== viewerId && (blocked(viewerId, other) || muted(viewerId, other));
  const out: { seq: number; id: string }[] = [];
  for (const a of store.activityTable.table.values()) {
    if (a.actorId !== viewerId && !follows(viewerId, a.actorId)) continue;
    const post = store.postTable.get(a.postId);
    if (!post) continue;
    const author = store.userTable.get(post.authorId)!;
    const rel = { isSelf: post.authorId === viewerId, follows: follows(viewerId, post.authorId), blocked: post.authorId !== viewerId && blocked(viewerId, post.authorId) };
    if (!canSeePost(post, author, rel)) continue;
    if (hides(post.authorId) || hides(a.actorId)) continue;
    out.push({ seq: a.seq, id: a.id });
  }
  return out.sort((x, y) => y.seq - x.seq).map((x) => x.id);
}
