import type { Queryable, QueryResultLike } from "@platform/core/postgres";
import type { Follow, Mute } from "../../domain/follow.js";
import type { Post } from "../../domain/post.js";
import type { User } from "../../domain/user.js";
import { toFollow, toMute, toPost, toUser, type PostRow, type UserRow } from "./rows.js";
import { settled } from "./settled.js";

const WRITE = /^\s*(INSERT|UPDATE|DELETE|WITH|TRUNCATE|MERGE)\b/i;

/**
 * A per-transaction read cache filled in bulk when a home-feed page is read: the page's posts,
 * their authors and reposters, and the reader's follow, block and mute rows with them, in three
 * queries instead of several per item. Any write in the transaction drops it (see
 * {@link CachingQueryable}), so a transaction never reads its own stale rows; across transactions
 * it is as fresh as the statement that filled it (READ COMMITTED).
 * @internal
 */
export class ReadCache {
  /** The reader whose relations are prefetched (set by a feed page read). */
  viewer: string | null = null;
  readonly posts = new Map<string, Post | null>();
  readonly users = new Map<string, User | null>();
  readonly follows = new Map<string, Follow | null>();
  readonly blocks = new Map<string, boolean>();
  readonly mutes = new Map<string, Mute | null>();

  clear(): void {
    this.posts.clear();
    this.users.clear();
    this.follows.clear();
    this.blocks.clear();
    this.mutes.clear();
  }
}

/**
 * Serves a batch look-up from a cache map: for each `ids[i]` cached under `keys[i]`, a row goes to
 * `out` (a cached miss is left out, as the store would); returns the ids not cached. @internal
 */
export function fromCache<V>(
  cache: ReadonlyMap<string, V | null> | undefined,
  keys: readonly string[],
  ids: readonly string[],
  out: Map<string, V>,
): string[] {
  if (!cache || cache.size === 0) return [...ids];
  const missing: string[] = [];
  for (let i = 0; i < ids.length; i++) {
    const hit = cache.get(keys[i]!);
    if (hit === undefined) missing.push(ids[i]!);
    else if (hit !== null) out.set(ids[i]!, hit);
  }
  return missing;
}

/** Key of an unordered pair (blocks either way). */
export const eitherKey = (a: string, b: string): string => (a < b ? `${a}|${b}` : `${b}|${a}`);

/** The transaction's connection with the cache: writes drop the cache before they run. @internal */
export class CachingQueryable implements Queryable {
  constructor(
    private readonly db: Queryable,
    readonly cache: ReadCache,
  ) {}

  query<R = Record<string, unknown>>(text: string, values?: readonly unknown[]): Promise<QueryResultLike<R>> {
    if (WRITE.test(text)) this.cache.clear();
    return this.db.query<R>(text, values);
  }
}

/** The cache of a connection, if it has one. @internal */
export function cacheOf(db: Queryable): ReadCache | undefined {
  return db instanceof CachingQueryable ? db.cache : undefined;
}

/** One row of the relations prefetch: a follow, block or mute of the viewer. */
interface RelationRow {
  kind: "f" | "b" | "m";
  id: string;
  seq: string | null;
  a: string;
  b: string;
  created_at: Date;
  hide: boolean | null;
}

/**
 * Loads the posts `postIds`, the users who wrote or shared them (`actorIds` plus the authors), and
 * the cache's viewer's follow, block and mute rows with each of those users. @internal
 */
export async function prefetchFeedRows(db: Queryable, postIds: readonly string[], actorIds: readonly string[]): Promise<void> {
  const cache = cacheOf(db);
  if (!cache || postIds.length === 0) return;
  const posts = [...new Set(postIds)].filter((id) => !cache.posts.has(id));
  if (posts.length > 0) {
    const { rows } = await db.query<PostRow>("SELECT * FROM social_posts WHERE id = ANY($1::text[])", [posts]);
    for (const id of posts) cache.posts.set(id, null);
    for (const r of rows) cache.posts.set(r.id, toPost(r));
  }
  const people = new Set(actorIds);
  for (const id of postIds) {
    const p = cache.posts.get(id);
    if (p) people.add(p.authorId);
  }
  const viewer = cache.viewer;
  if (viewer) people.add(viewer);
  const users = [...people].filter((id) => !cache.users.has(id));
  const others = viewer ? [...people].filter((id) => id !== viewer && !cache.follows.has(`${viewer}|${id}`)) : [];
  // The people and the viewer's relations to them do not depend on each other: sent together.
  await settled([
    users.length > 0 ? loadUsers(db, cache, users) : null,
    viewer && others.length > 0 ? loadRelations(db, cache, viewer, others) : null,
  ]);
}

async function loadUsers(db: Queryable, cache: ReadCache, users: readonly string[]): Promise<void> {
  const { rows } = await db.query<UserRow>("SELECT * FROM social_users WHERE id = ANY($1::text[])", [users]);
  for (const id of users) cache.users.set(id, null);
  for (const r of rows) cache.users.set(r.id, toUser(r));
}

/** The viewer's follow, block (either way) and mute rows with `others`, in one statement. */
async function loadRelations(db: Queryable, cache: ReadCache, viewer: string, others: readonly string[]): Promise<void> {
  const { rows } = await db.query<RelationRow>(
    `SELECT 'f' AS kind, id, seq, follower_id AS a, followee_id AS b, created_at, NULL::boolean AS hide FROM social_follows
       WHERE follower_id = $1 AND followee_id = ANY($2::text[])
     UNION ALL
     SELECT 'b', id, NULL, blocker_id, blocked_id, created_at, NULL FROM social_blocks
       WHERE (blocker_id = $1 AND blocked_id = ANY($2::text[])) OR (blocked_id = $1 AND blocker_id = ANY($2::text[]))
     UNION ALL
     SELECT 'm', id, NULL, muter_id, muted_id, created_at, hide_notifications FROM social_mutes
       WHERE muter_id = $1 AND muted_id = ANY($2::text[])`,
    [viewer, others],
  );
  for (const id of others) {
    cache.follows.set(`${viewer}|${id}`, null);
    cache.blocks.set(eitherKey(viewer, id), false);
    cache.mutes.set(`${viewer}|${id}`, null);
  }
  for (const r of rows) {
    if (r.kind === "f")
      cache.follows.set(`${r.a}|${r.b}`, toFollow({ id: r.id, seq: r.seq!, follower_id: r.a, followee_id: r.b, created_at: r.created_at }));
    else if (r.kind === "b") cache.blocks.set(eitherKey(r.a, r.b), true);
    else
      cache.mutes.set(
        `${r.a}|${r.b}`,
        toMute({ id: r.id, muter_id: r.a, muted_id: r.b, hide_notifications: r.hide!, created_at: r.created_at }),
      );
  }
}
