import type { Queryable } from "@platform/core/postgres";
import type { Repost } from "../../domain/post.js";
import type { RepostRepository } from "../../ports/content-repository.js";
import { lockForActivity } from "./feed-lock.js";
import { toRepost, type RepostRow } from "./rows.js";
import { run } from "./sql-errors.js";

/**
 * {@link RepostRepository} on `social_reposts`, unique per `(user_id, post_id)`. A repost is an
 * activity: its seq is allocated under the locks of `feed-lock.ts`, like a post's.
 * @throws ConflictError `reference_not_found` (unknown user or post).
 */
export class PostgresRepostRepository implements RepostRepository {
  constructor(private readonly db: Queryable) {}

  async insertIfAbsent(repost: Omit<Repost, "seq">): Promise<Repost | null> {
    await lockForActivity(this.db, repost.userId, repost.delivery);
    const { rows } = await run<RepostRow>(
      this.db,
      `INSERT INTO social_reposts (id, user_id, post_id, delivery, created_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (user_id, post_id) DO NOTHING RETURNING *`,
      [repost.id, repost.userId, repost.postId, repost.delivery, repost.createdAt],
    );
    return rows[0] ? toRepost(rows[0]) : null;
  }

  async delete(userId: string, postId: string): Promise<Repost | null> {
    const { rows } = await run<RepostRow>(this.db, "DELETE FROM social_reposts WHERE user_id = $1 AND post_id = $2 RETURNING *", [
      userId,
      postId,
    ]);
    return rows[0] ? toRepost(rows[0]) : null;
  }

  async get(userId: string, postId: string): Promise<Repost | null> {
    const { rows } = await run<RepostRow>(this.db, "SELECT * FROM social_reposts WHERE user_id = $1 AND post_id = $2", [userId, postId]);
    return rows[0] ? toRepost(rows[0]) : null;
  }

  async countByPost(postId: string): Promise<number> {
    const { rows } = await run<{ n: number }>(this.db, "SELECT count(*)::int AS n FROM social_reposts WHERE post_id = $1", [postId]);
    return rows[0]!.n;
  }
}
