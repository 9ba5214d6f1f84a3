import { NotFoundError } from "@platform/core";
import type { Queryable } from "@platform/core/postgres";
import type { User, UserCounters } from "../../domain/user.js";
import type { UserCounterDelta, UserRepository } from "../../ports/user-repository.js";
import { cacheOf, fromCache } from "./read-cache.js";
import { toUser, type UserRow } from "./rows.js";
import { run } from "./sql-errors.js";
import { socialCodes } from "../../domain/error-codes.js";

/**
 * {@link UserRepository} on `social_users`: unique indexes on `lower(username)`, `email` and `external_id`,
 * counters moved by `SET n = n + $1` in the caller's transaction.
 * @throws ConflictError `username_taken`, `email_taken`, `external_id_taken`; NotFoundError `user_not_found`;
 *   ValidationError `nul_character`.
 */
export class PostgresUserRepository implements UserRepository {
  constructor(private readonly db: Queryable) {}

  async insert(user: Omit<User, "followersCount" | "followingCount" | "postsCount">): Promise<User> {
    const { rows } = await run<UserRow>(
      this.db,
      `INSERT INTO social_users (id, username, email, name, bio, avatar_url, is_private, is_verified, role, external_id, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING *`,
      [
        user.id,
        user.username,
        user.email,
        user.name,
        user.bio,
        user.avatarUrl,
        user.isPrivate,
        user.isVerified,
        user.role,
        user.externalId,
        user.createdAt,
        user.updatedAt,
      ],
    );
    return toUser(rows[0]!);
  }

  async get(id: string): Promise<User | null> {
    const cached = cacheOf(this.db)?.users.get(id);
    if (cached !== undefined) return cached;
    const { rows } = await run<UserRow>(this.db, "SELECT * FROM social_users WHERE id = $1", [id]);
    return rows[0] ? toUser(rows[0]) : null;
  }

  async getMany(ids: readonly string[]): Promise<Map<string, User>> {
    const out = new Map<string, User>();
    // A feed page's authors and reposters were prefetched with the page: only the others cost a statement.
    const missing = fromCache(cacheOf(this.db)?.users, ids, ids, out);
    if (missing.length === 0) return out;
    const { rows } = await run<UserRow>(this.db, "SELECT * FROM social_users WHERE id = ANY($1::text[])", [missing]);
    for (const r of rows) out.set(r.id, toUser(r));
    return out;
  }

  async getByUsername(username: string): Promise<User | null> {
    const { rows } = await run<UserRow>(this.db, "SELECT * FROM social_users WHERE lower(username) = lower($1)", [username]);
    return rows[0] ? toUser(rows[0]) : null;
  }

  async getByExternalId(externalId: string): Promise<User | null> {
    const { rows } = await run<UserRow>(this.db, "SELECT * FROM social_users WHERE external_id = $1", [externalId]);
    return rows[0] ? toUser(rows[0]) : null;
  }

  async setExternalId(id: string, externalId: string | null, at: Date): Promise<User> {
    const { rows } = await run<UserRow>(this.db, "UPDATE social_users SET external_id = $2, updated_at = $3 WHERE id = $1 RETURNING *", [
      id,
      externalId,
      at,
    ]);
    if (!rows[0]) throw NotFoundError.of(socialCodes.user_not_found, "user", id);
    return toUser(rows[0]);
  }

  async updateProfile(
    id: string,
    patch: Partial<Pick<User, "name" | "bio" | "avatarUrl" | "isPrivate" | "isVerified">>,
    at: Date,
  ): Promise<User> {
    const { rows } = await run<UserRow>(
      this.db,
      `UPDATE social_users SET
         name = CASE WHEN $2 THEN $3 ELSE name END,
         bio = CASE WHEN $4 THEN $5 ELSE bio END,
         avatar_url = CASE WHEN $6 THEN $7 ELSE avatar_url END,
         is_private = COALESCE($8, is_private),
         is_verified = COALESCE($9, is_verified),
         updated_at = $10
       WHERE id = $1 RETURNING *`,
      [
        id,
        patch.name !== undefined,
        patch.name ?? null,
        patch.bio !== undefined,
        patch.bio ?? null,
        patch.avatarUrl !== undefined,
        patch.avatarUrl ?? null,
        patch.isPrivate ?? null,
        patch.isVerified ?? null,
        at,
      ],
    );
    if (!rows[0]) throw NotFoundError.of(socialCodes.user_not_found, "user", id);
    return toUser(rows[0]);
  }

  async incrementCounters(id: string, delta: UserCounterDelta): Promise<User> {
    const { rows } = await run<UserRow>(
      this.db,
      `UPDATE social_users SET followers_count = followers_count + $2, following_count = following_count + $3, posts_count = posts_count + $4
       WHERE id = $1 RETURNING *`,
      [id, delta.followersCount ?? 0, delta.followingCount ?? 0, delta.postsCount ?? 0],
    );
    if (!rows[0]) throw NotFoundError.of(socialCodes.user_not_found, "user", id);
    return toUser(rows[0]);
  }

  async setCounters(id: string, counters: UserCounters): Promise<void> {
    const { rowCount } = await run(
      this.db,
      "UPDATE social_users SET followers_count = $2, following_count = $3, posts_count = $4 WHERE id = $1",
      [id, counters.followersCount, counters.followingCount, counters.postsCount],
    );
    if (!rowCount) throw NotFoundError.of(socialCodes.user_not_found, "user", id);
  }

  async count(): Promise<number> {
    const { rows } = await run<{ n: number }>(this.db, "SELECT count(*)::int AS n FROM social_users");
    return rows[0]!.n;
  }
}
