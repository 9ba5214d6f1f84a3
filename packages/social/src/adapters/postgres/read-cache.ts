import { together } from "@platform/core";
import type { Queryable, QueryResultLike } from "@platform/core/postgres";
import type { Follow, Mute } from "../../domain/follow.js";
import type { Post } from "../../domain/post.js";
import type { User } from "../../domain/user.js";
import { toFollow, toMute, toPost, toUser, type PostRow, type UserRow } from "./rows.js";

const WRITE = /^\s*(INSERT|UPDATE|DELETE|WITH|TRUNCATE|MERGE)\b/i;

/**
 * A per-transaction read cache filled in bulk when a home-feed page is hydrated: the page's posts,
 * their authors and reposters, and the reader's follow, block and mute rows with them, in three
 * statements sent together instead of several per item. Any write in the transaction drops it (see
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
  /**
   * A home read's candidates (see {@link noteFeedCandidates}): post id to seq, the reposters by post
   * id, and the rows read per batch. Hints of what to prefetch, not data: a write does not drop them.
   */
  readonly candidates = new Map<string, number>();
  readonly reposters = new Map<string, string[]>();
  window = 0;

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

/** A user row of the prefetch with the viewer's follow (`f_`), block (either way) and mute (`m_`) with them. */
type PersonRow = UserRow & {
  f_id: string | null;
  f_seq: string | null;
  f_created_at: Date | null;
  blocked: boolean;
  m_id: string | null;
  m_hide: boolean | null;
  m_created_at: Date | null;
};

/**
 * Notes a home read's candidate activities (`rows`, read `limit` at a time; `activityId(r)` is not
 * `r.postId` for a repost), so that hydrating a page prefetches the posts its later slices read and
 * the reposters with the authors. Outside a home read (no viewer) it does nothing. @internal
 */
export function noteFeedCandidates<T extends { seq: number; actorId: string; postId: string }>(
  db: Queryable,
  limit: number,
  rows: readonly T[],
  activityId: (r: T) => string,
): void {
  const cache = cacheOf(db);
  if (!cache?.viewer) return;
  cache.window = Math.max(cache.window, limit);
  for (const r of rows) {
    if ((cache.candidates.get(r.postId) ?? -1) < r.seq) cache.candidates.set(r.postId, r.seq);
    if (activityId(r) === r.postId) continue;
    const actors = cache.reposters.get(r.postId);
    if (actors === undefined) cache.reposters.set(r.postId, [r.actorId]);
    else if (!actors.includes(r.actorId)) actors.push(r.actorId);
  }
}

/**
 * Within a home read (the cache names the viewer), loads the posts `postIds`, and the candidates
 * just below them up to a read's `limit` (the slices a page with hidden items hydrates next), with
 * the users who wrote or shared them and the viewer's follow, block and mute rows with each of those
 * users: two statements sent together (one round trip), the authors found in SQL. So a page reads
 * the posts it hydrates, not every candidate the merges looked at. Returns false (nothing loaded)
 * outside a home read. @internal
 */
export async function prefetchFeedRows(db: Queryable, postIds: readonly string[]): Promise<boolean> {
  const cache = cacheOf(db);
  const viewer = cache?.viewer;
  if (!cache || !viewer) return false;
  const wanted = new Set<string>();
  let low = Infinity;
  for (const id of postIds) {
    if (cache.posts.has(id)) continue;
    wanted.add(id);
    low = Math.min(low, cache.candidates.get(id) ?? Infinity);
  }
  if (wanted.size === 0) return true;
  if (low < Infinity && wanted.size < cache.window) {
    const below = [...cache.candidates].filter(([id, seq]) => seq < low && !wanted.has(id) && !cache.posts.has(id));
    below.sort((x, y) => y[1] - x[1]);
    for (const [id] of below) {
      if (wanted.size >= cache.window) break;
      wanted.add(id);
    }
  }
  const posts = [...wanted];
  const sharers = new Set<string>([viewer]);
  for (const id of posts) for (const a of cache.reposters.get(id) ?? []) sharers.add(a);
  const known = [...sharers];
  // The authors come from the posts in SQL, so the two statements do not wait for each other.
  const postsRead = db.query<PostRow>("SELECT * FROM social_posts WHERE id = ANY($1::text[])", [posts]);
  const peopleRead = db.query<PersonRow>(
    `SELECT u.*, f.id AS f_id, f.seq AS f_seq, f.created_at AS f_created_at,
            EXISTS (SELECT 1 FROM social_blocks b WHERE (b.blocker_id = $3 AND b.blocked_id = u.id) OR (b.blocker_id = u.id AND b.blocked_id = $3)) AS blocked,
            m.id AS m_id, m.hide_notifications AS m_hide, m.created_at AS m_created_at
     FROM social_users u
     LEFT JOIN social_follows f ON f.follower_id = $3 AND f.followee_id = u.id
     LEFT JOIN social_mutes m ON m.muter_id = $3 AND m.muted_id = u.id
     WHERE u.id IN (SELECT unnest($1::text[]) UNION SELECT author_id FROM social_posts WHERE id = ANY($2::text[]))`,
    [known, posts, viewer],
  );
  await together([postsRead, peopleRead]);
  for (const id of posts) cache.posts.set(id, null);
  for (const r of (await postsRead).rows) cache.posts.set(r.id, toPost(r));
  const people = new Set(known);
  for (const id of posts) {
    const p = cache.posts.get(id);
    if (p) people.add(p.authorId);
  }
  for (const id of people) {
    cache.users.set(id, null);
    if (id === viewer) continue;
    // A user not found has no relations either.
    cache.follows.set(`${viewer}|${id}`, null);
    cache.blocks.set(eitherKey(viewer, id), false);
    cache.mutes.set(`${viewer}|${id}`, null);
  }
  for (const r of (await peopleRead).rows) {
    cache.users.set(r.id, toUser(r));
    if (r.id === viewer) continue;
    if (r.f_id !== null)
      cache.follows.set(
        `${viewer}|${r.id}`,
        toFollow({ id: r.f_id, seq: r.f_seq!, follower_id: viewer, followee_id: r.id, created_at: r.f_created_at! }),
      );
    if (r.blocked) cache.blocks.set(eitherKey(viewer, r.id), true);
    if (r.m_id !== null)
      cache.mutes.set(
        `${viewer}|${r.id}`,
        toMute({ id: r.m_id, muter_id: viewer, muted_id: r.id, hide_notifications: r.m_hide!, created_at: r.m_created_at! }),
      );
  }
  return true;
}
