/**
 * A keyset page request handed to repositories: rows strictly older than `before` (a seq), newest
 * first, at most `limit`. PostgreSQL: `WHERE seq < $before ORDER BY seq DESC LIMIT $limit` on an
 * index ending in `seq`.
 */
export interface Keyset {
  readonly before?: number | null;
  readonly limit: number;
}
