import type { Queryable } from "@platform/core/postgres";
import type { FollowRequest } from "../../domain/follow.js";
import type { Keyset } from "../../ports/keyset.js";
import type { FollowRequestRepository } from "../../ports/relationship-repository.js";
import { toFollowRequest, type FollowRequestRow } from "./rows.js";
import { beforeBound, run } from "./sql-errors.js";

/**
 * {@link FollowRequestRepository} on `social_follow_requests` (primary key `(requester_id, target_id)`).
 * @throws DomainRuleError `self_follow`; ConflictError `reference_not_found`.
 */
export class PostgresFollowRequestRepository implements FollowRequestRepository {
  constructor(private readonly db: Queryable) {}

  async insertIfAbsent(request: Omit<FollowRequest, "seq">): Promise<FollowRequest | null> {
    const { rows } = await run<FollowRequestRow>(
      this.db,
      `INSERT INTO social_follow_requests (id, requester_id, target_id, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (requester_id, target_id) DO NOTHING RETURNING *`,
      [request.id, request.requesterId, request.targetId, request.createdAt],
    );
    return rows[0] ? toFollowRequest(rows[0]) : null;
  }

  async delete(requesterId: string, targetId: string): Promise<FollowRequest | null> {
    const { rows } = await run<FollowRequestRow>(
      this.db,
      "DELETE FROM social_follow_requests WHERE requester_id = $1 AND target_id = $2 RETURNING *",
      [requesterId, targetId],
    );
    return rows[0] ? toFollowRequest(rows[0]) : null;
  }

  async get(requesterId: string, targetId: string): Promise<FollowRequest | null> {
    const { rows } = await run<FollowRequestRow>(
      this.db,
      "SELECT * FROM social_follow_requests WHERE requester_id = $1 AND target_id = $2",
      [requesterId, targetId],
    );
    return rows[0] ? toFollowRequest(rows[0]) : null;
  }

  async listIncoming(targetId: string, page: Keyset): Promise<FollowRequest[]> {
    const { rows } = await run<FollowRequestRow>(
      this.db,
      "SELECT * FROM social_follow_requests WHERE target_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3",
      [targetId, beforeBound(page.before), page.limit],
    );
    return rows.map(toFollowRequest);
  }
}
