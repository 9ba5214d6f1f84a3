import type { Queryable } from "@platform/core/postgres";
import { canSeePost } from "../src/domain/visibility.js";
import { toPost, toUser, type PostRow, type UserRow } from "../src/adapters/postgres/rows.js";

/**
 * Brute-force home feed read straight from the PostgreSQL tables (the same rules as `oracle.ts`
 * for the memory store): every activity of the accounts `viewerId` follows and their own, visible
 * to them, neither author nor reposter blocked or muted, newest first. No feeds, no fan-out.
 */
export async function oracleHomeSql(db: Queryable, viewerId: string): Promise<string[]> {
  const follows = new Set((await db.query<{ k: string }>("SELECT follower_id || '|' || followee_id AS k FROM social_follows")).rows.map((r) => r.k));
  const blocks = new Set((await db.query<{ k: string }>("SELECT blocker_id || '|' || blocked_id AS k FROM social_blocks")).rows.map((r) => r.k));
  const mutes = new Set((await db.query<{ k: string }>("SELECT muter_id || '|' || muted_id AS k FROM social_mutes")).rows.map((r) => r.k));
  const users = new Map((await db.query<UserRow>("SELECT * FROM social_users")).rows.map((r) => [r.id, toUser(r)]));
  const posts = new Map((await db.query<PostRow>("SELECT * FROM social_posts")).rows.map((r) => [r.id, toPost(r)]));
  const acts = (await db.query<{ id: string; seq: string; actor_id: string; post_id: string }>("SELECT id, seq, actor_id, post_id FROM social_activities")).rows;
  const follows_ = (a: string, b: string) => follows.has(`${a}|${b}`);
  const blocked = (a: string, b: string) => blocks.has(`${a}|${b}`) || blocks.has(`${b}|${a}`);
  const hides = (other: string) => other !== viewerId && (blocked(viewerId, other) || mutes.has(`${viewerId}|${other}`));
  const out: { seq: number; id: string }[] = [];
  for (const a of acts) {
    if (a.actor_id !== viewerId && !follows_(viewerId, a.actor_id)) continue;
    const post = posts.get(a.post_id);
    if (!post) continue;
    const author = users.get(post.authorId)!;
    const rel = { isSelf: post.authorId === viewerId, follows: follows_(viewerId, post.authorId), blocked: post.authorId !== viewerId && blocked(viewerId, post.authorId) };
    if (!canSeePost(post, author, rel)) continue;
    if (hides(post.authorId) || hides(a.actor_id)) continue;
    out.push({ seq: Number(a.seq), id: a.id });
  }
  return out.sort((x, y) => y.seq - x.seq).map((x) => x.id);
}
