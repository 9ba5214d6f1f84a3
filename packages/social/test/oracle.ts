import type { PoolLike } from "@platform/core/postgres";
import { canSeePost } from "../src/domain/visibility.js";
import { MemorySocialStore, type Post, type SocialStore, type User } from "../src/index.js";
import { toPost, toUser, type PostRow, type UserRow } from "../src/adapters/postgres/rows.js";

/** The rows the oracle reads, loaded straight from a store's tables: no feeds, no indexes. */
export interface SocialRows {
  readonly follows: ReadonlySet<string>;
  readonly blocks: ReadonlySet<string>;
  readonly mutes: ReadonlySet<string>;
  readonly users: ReadonlyMap<string, User>;
  readonly posts: ReadonlyMap<string, Post>;
  readonly activities: readonly { id: string; seq: number; actorId: string; postId: string }[];
}

/** Every row of a memory store, or (given the pool) of a PostgreSQL store's database. */
export async function loadRows(store: SocialStore, pool: PoolLike | null): Promise<SocialRows> {
  if (store instanceof MemorySocialStore) {
    return {
      follows: new Set([...store.followTable.table.values()].map((f) => `${f.followerId}|${f.followeeId}`)),
      blocks: new Set([...store.blockTable.values()].map((b) => `${b.blockerId}|${b.blockedId}`)),
      mutes: new Set([...store.muteTable.values()].map((m) => `${m.muterId}|${m.mutedId}`)),
      users: new Map([...store.userTable.values()].map((u) => [u.id, u])),
      posts: new Map([...store.postTable.table.values()].map((p) => [p.id, p])),
      activities: [...store.activityTable.table.values()],
    };
  }
  if (!pool) throw new Error("a PostgreSQL store's rows need the fixture's pool");
  const keys = async (sql: string) => new Set((await pool.query<{ k: string }>(sql)).rows.map((r) => r.k));
  return {
    follows: await keys("SELECT follower_id || '|' || followee_id AS k FROM social_follows"),
    blocks: await keys("SELECT blocker_id || '|' || blocked_id AS k FROM social_blocks"),
    mutes: await keys("SELECT muter_id || '|' || muted_id AS k FROM social_mutes"),
    users: new Map((await pool.query<UserRow>("SELECT * FROM social_users")).rows.map((r) => [r.id, toUser(r)])),
    posts: new Map((await pool.query<PostRow>("SELECT * FROM social_posts")).rows.map((r) => [r.id, toPost(r)])),
    activities: (
      await pool.query<{ id: string; seq: string; actor_id: string; post_id: string }>(
        "SELECT id, seq, actor_id, post_id FROM social_activities",
      )
    ).rows.map((a) => ({
      id: a.id,
      seq: Number(a.seq),
      actorId: a.actor_id,
      postId: a.post_id,
    })),
  };
}

/**
 * Brute-force home feed: every live activity (post or repost) of the accounts `viewerId` follows
 * and their own, visible to them, neither author nor reposter blocked or muted, newest first.
 */
export function oracleHome(rows: SocialRows, viewerId: string): string[] {
  const follows = (a: string, b: string) => rows.follows.has(`${a}|${b}`);
  const blocked = (a: string, b: string) => rows.blocks.has(`${a}|${b}`) || rows.blocks.has(`${b}|${a}`);
  const hides = (other: string) => other !== viewerId && (blocked(viewerId, other) || rows.mutes.has(`${viewerId}|${other}`));
  const out: { seq: number; id: string }[] = [];
  for (const a of rows.activities) {
    if (a.actorId !== viewerId && !follows(viewerId, a.actorId)) continue;
    const post = rows.posts.get(a.postId);
    if (!post) continue;
    const author = rows.users.get(post.authorId)!;
    const rel = {
      isSelf: post.authorId === viewerId,
      follows: follows(viewerId, post.authorId),
      blocked: post.authorId !== viewerId && blocked(viewerId, post.authorId),
    };
    if (!canSeePost(post, author, rel)) continue;
    if (hides(post.authorId) || hides(a.actorId)) continue;
    out.push({ seq: a.seq, id: a.id });
  }
  return out.sort((x, y) => y.seq - x.seq).map((x) => x.id);
}
