import type { Queryable } from "@platform/core/postgres";
import type { Activity, Delivery } from "../../domain/post.js";
import type { ActivityRepository } from "../../ports/content-repository.js";
import type { Keyset } from "../../ports/keyset.js";
import { cacheOf, prefetchFeedRows } from "./read-cache.js";
import { toActivity, type ActivityRow } from "./rows.js";
import { beforeBound, run } from "./sql-errors.js";

/**
 * {@link ActivityRepository} on `social_activities` (index `(actor_id, delivery, seq DESC)`, and a
 * covering one of pull activities only).
 * `listByActors` is one index range scan per (actor, delivery), merged by PostgreSQL
 * (`LATERAL ... LIMIT n` per actor, then the newest n of the union).
 * @throws ConflictError `reference_not_found` (unknown actor or post).
 */
export class PostgresActivityRepository implements ActivityRepository {
  constructor(private readonly db: Queryable) {}

  async insert(activity: Activity): Promise<void> {
    await run(
      this.db,
      "INSERT INTO social_activities (id, seq, actor_id, verb, post_id, delivery, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
      [activity.id, activity.seq, activity.actorId, activity.verb, activity.postId, activity.delivery, activity.createdAt],
    );
  }

  async delete(id: string): Promise<boolean> {
    const { rowCount } = await run(this.db, "DELETE FROM social_activities WHERE id = $1", [id]);
    return (rowCount ?? 0) > 0;
  }

  async listByActors(actorIds: readonly string[], page: Keyset & { atLeast?: number | null; delivery?: Delivery }): Promise<Activity[]> {
    if (actorIds.length === 0 || page.limit <= 0) return [];
    const deliveries: Delivery[] = page.delivery ? [page.delivery] : ["push", "pull"];
    const { rows } =
      page.delivery === "pull"
        ? await this.listPulled(actorIds, page)
        : await run<ActivityRow>(
            this.db,
            `SELECT a.* FROM unnest($1::text[]) AS s(actor_id)
       CROSS JOIN unnest($2::text[]) AS d(delivery)
       CROSS JOIN LATERAL (
         SELECT * FROM social_activities x
         WHERE x.actor_id = s.actor_id AND x.delivery = d.delivery AND x.seq < $3 AND x.seq >= $4
         ORDER BY x.seq DESC LIMIT $5
       ) a
       ORDER BY a.seq DESC LIMIT $5`,
            [[...new Set(actorIds)], deliveries, beforeBound(page.before), page.atLeast ?? 0, page.limit],
          );
    // Within a home read (a feed page named the reader), the pulled items are loaded in bulk too.
    if (cacheOf(this.db)?.viewer)
      await prefetchFeedRows(
        this.db,
        rows.map((r) => r.post_id),
        rows.map((r) => r.actor_id),
      );
    return rows.map(toActivity);
  }

  /** Pull activities only: index-only scans of `social_activities_pull` (the literal predicate selects it). */
  private listPulled(actorIds: readonly string[], page: Keyset & { atLeast?: number | null }) {
    return run<ActivityRow>(
      this.db,
      `SELECT a.id, a.seq, s.actor_id, a.verb, a.post_id, 'pull' AS delivery, a.created_at FROM unnest($1::text[]) AS s(actor_id)
       CROSS JOIN LATERAL (
         SELECT x.id, x.seq, x.verb, x.post_id, x.created_at FROM social_activities x
         WHERE x.actor_id = s.actor_id AND x.delivery = 'pull' AND x.seq < $2 AND x.seq >= $3
         ORDER BY x.seq DESC LIMIT $4
       ) a
       ORDER BY a.seq DESC LIMIT $4`,
      [[...new Set(actorIds)], beforeBound(page.before), page.atLeast ?? 0, page.limit],
    );
  }
}
