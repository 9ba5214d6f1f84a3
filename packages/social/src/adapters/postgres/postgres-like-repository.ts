import type { Queryable } from "@platform/core/postgres";
import type { Like, LikeTarget } from "../../domain/like.js";
import type { LikeRepository } from "../../ports/content-repository.js";
import type { Keyset } from "../../ports/keyset.js";
import { toLike, type LikeRow } from "./rows.js";
import { beforeBound, run } from "./sql-errors.js";

/**
 * {@link LikeRepository} on `social_likes`, primary key `(user_id, target_type, target_id)`: a
 * double like is `ON CONFLICT DO NOTHING` (null), so the counter moves once.
 * @throws ConflictError `reference_not_found` (unknown user).
 */
export class PostgresLikeRepository implements LikeRepository {
  constructor(private readonly db: Queryable) {}

  async insertIfAbsent(like: Omit<Like, "seq">): Promise<Like | null> {
    const { rows } = await run<LikeRow>(
      this.db,
      `INSERT INTO social_likes (id, user_id, target_type, target_id, created_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (user_id, target_type, target_id) DO NOTHING RETURNING *`,
      [like.id, like.userId, like.targetType, like.targetId, like.createdAt],
    );
    return rows[0] ? toLike(rows[0]) : null;
  }

  async delete(userId: string, targetType: LikeTarget, targetId: string): Promise<Like | null> {
    const { rows } = await run<LikeRow>(
      this.db,
      "DELETE FROM social_likes WHERE user_id = $1 AND target_type = $2 AND target_id = $3 RETURNING *",
      [userId, targetType, targetId],
    );
    return rows[0] ? toLike(rows[0]) : null;
  }

  async get(userId: string, targetType: LikeTarget, targetId: string): Promise<Like | null> {
    const { rows } = await run<LikeRow>(this.db, "SELECT * FROM social_likes WHERE user_id = $1 AND target_type = $2 AND target_id = $3", [
      userId,
      targetType,
      targetId,
    ]);
    return rows[0] ? toLike(rows[0]) : null;
  }

  async listByTarget(targetType: LikeTarget, targetId: string, page: Keyset): Promise<Like[]> {
    const { rows } = await run<LikeRow>(
      this.db,
      "SELECT * FROM social_likes WHERE target_type = $1 AND target_id = $2 AND seq < $3 ORDER BY seq DESC LIMIT $4",
      [targetType, targetId, beforeBound(page.before), page.limit],
    );
    return rows.map(toLike);
  }

  async countByTarget(targetType: LikeTarget, targetId: string): Promise<number> {
    const { rows } = await run<{ n: number }>(
      this.db,
      "SELECT count(*)::int AS n FROM social_likes WHERE target_type = $1 AND target_id = $2",
      [targetType, targetId],
    );
    return rows[0]!.n;
  }

  async count(): Promise<number> {
    const { rows } = await run<{ n: number }>(this.db, "SELECT count(*)::int AS n FROM social_likes");
    return rows[0]!.n;
  }
}
