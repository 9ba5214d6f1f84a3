import type { Queryable } from "@platform/core/postgres";
import type { Follow } from "../../domain/follow.js";
import type { Keyset } from "../../ports/keyset.js";
import type { FollowRepository } from "../../ports/relationship-repository.js";
import { lockedSources, lockUsers } from "./feed-lock.js";
import { cacheOf } from "./read-cache.js";
import { toFollow, type FollowRow } from "./rows.js";
import { beforeBound, run } from "./sql-errors.js";

/**
 * {@link FollowRepository} on `social_follows` (primary key `(follower_id, followee_id)`, CHECK no
 * self-follow). A follow appearing or vanishing locks both user rows first (see `feed-lock.ts`),
 * so the backfill or removal that follows it never races a post's fan-out.
 * @throws DomainRuleError `self_follow`; ConflictError `reference_not_found` (unknown user).
 */
export class PostgresFollowRepository implements FollowRepository {
  constructor(private readonly db: Queryable) {}

  async insertIfAbsent(follow: Omit<Follow, "seq">): Promise<Follow | null> {
    await lockUsers(this.db, [follow.followerId, follow.followeeId]);
    const { rows } = await run<FollowRow>(
      this.db,
      `INSERT INTO social_follows (id, follower_id, followee_id, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (follower_id, followee_id) DO NOTHING RETURNING *`,
      [follow.id, follow.followerId, follow.followeeId, follow.createdAt],
    );
    return rows[0] ? toFollow(rows[0]) : null;
  }

  async delete(followerId: string, followeeId: string): Promise<Follow | null> {
    await lockUsers(this.db, [followerId, followeeId]);
    const { rows } = await run<FollowRow>(this.db, "DELETE FROM social_follows WHERE follower_id = $1 AND followee_id = $2 RETURNING *", [
      followerId,
      followeeId,
    ]);
    return rows[0] ? toFollow(rows[0]) : null;
  }

  async get(followerId: string, followeeId: string): Promise<Follow | null> {
    const cached = cacheOf(this.db)?.follows.get(`${followerId}|${followeeId}`);
    if (cached !== undefined) return cached;
    const { rows } = await run<FollowRow>(this.db, "SELECT * FROM social_follows WHERE follower_id = $1 AND followee_id = $2", [
      followerId,
      followeeId,
    ]);
    return rows[0] ? toFollow(rows[0]) : null;
  }

  async listFollowers(userId: string, page: Keyset): Promise<Follow[]> {
    const { rows } = await run<FollowRow>(
      this.db,
      "SELECT * FROM social_follows WHERE followee_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3",
      [userId, beforeBound(page.before), page.limit],
    );
    return rows.map(toFollow);
  }

  async listFollowing(userId: string, page: Keyset): Promise<Follow[]> {
    const { rows } = await run<FollowRow>(
      this.db,
      "SELECT * FROM social_follows WHERE follower_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3",
      [userId, beforeBound(page.before), page.limit],
    );
    return rows.map(toFollow);
  }

  /** The home-feed sources, read under the locks that keep home pages gap-free (see `feed-lock.ts`). */
  async followingIds(userId: string): Promise<string[]> {
    return lockedSources(this.db, userId);
  }

  async followerIds(userId: string): Promise<string[]> {
    const { rows } = await run<{ follower_id: string }>(
      this.db,
      "SELECT follower_id FROM social_follows WHERE followee_id = $1 ORDER BY seq",
      [userId],
    );
    return rows.map((r) => r.follower_id);
  }

  async countFollowers(userId: string): Promise<number> {
    const { rows } = await run<{ n: number }>(this.db, "SELECT count(*)::int AS n FROM social_follows WHERE followee_id = $1", [userId]);
    return rows[0]!.n;
  }

  async countFollowing(userId: string): Promise<number> {
    const { rows } = await run<{ n: number }>(this.db, "SELECT count(*)::int AS n FROM social_follows WHERE follower_id = $1", [userId]);
    return rows[0]!.n;
  }

  async count(): Promise<number> {
    const { rows } = await run<{ n: number }>(this.db, "SELECT count(*)::int AS n FROM social_follows");
    return rows[0]!.n;
  }
}
