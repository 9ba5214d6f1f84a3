import type { Queryable } from "@platform/core/postgres";
import type { Activity, Delivery } from "../../domain/post.js";
import type { ActivityRepository } from "../../ports/content-repository.js";
import type { Keyset } from "../../ports/keyset.js";
import { noteFeedCandidates } from "./read-cache.js";
import { toActivity, type ActivityRow } from "./rows.js";
import { beforeBound, run } from "./sql-errors.js";

/**
 * {@link ActivityRepository} on `social_activities` (covering index `(actor_id, delivery, seq DESC)`,
 * and a covering one of pull activities only).
 * `listByActors` is one index-only range scan per (actor, delivery), merged by PostgreSQL
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
    if (page.delivery === "pull") return this.listPulled(actorIds, page);
    const deliveries: Delivery[] = page.delivery ? [page.delivery] : ["push", "pull"];
    // Index-only scans of the covering `(actor_id, delivery, seq DESC)` index (migration 004).
    const { rows } = await run<ActivityRow>(
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
    const activities = rows.map(toActivity);
    noteFeedCandidates(this.db, page.limit, activities, (a) => a.id);
    return activities;
  }

  /**
   * Pull activities only: index-only scans of `social_activities_pull` (the literal predicate
   * selects it). Within a home read the reposters are noted for the page's prefetch.
   */
  private async listPulled(actorIds: readonly string[], page: Keyset & { atLeast?: number | null }): Promise<Activity[]> {
    const { rows } = await run<Omit<ActivityRow, "actor_id" | "delivery"> & { actor_id: string }>(
      this.db,
      `SELECT x.id, x.seq, s.actor_id, x.verb, x.post_id, x.created_at FROM unnest($1::text[]) AS s(actor_id)
       CROSS JOIN LATERAL (
         SELECT y.id, y.seq, y.verb, y.post_id, y.created_at FROM social_activities y
         WHERE y.actor_id = s.actor_id AND y.delivery = 'pull' AND y.seq < $2 AND y.seq >= $3
         ORDER BY y.seq DESC LIMIT $4
       ) x
       ORDER BY x.seq DESC LIMIT $4`,
      [[...new Set(actorIds)], beforeBound(page.before), page.atLeast ?? 0, page.limit],
    );
    const activities = rows.map((r) => toActivity({ ...r, delivery: "pull" }));
    noteFeedCandidates(this.db, page.limit, activities, (a) => a.id);
    return activities;
  }
}
