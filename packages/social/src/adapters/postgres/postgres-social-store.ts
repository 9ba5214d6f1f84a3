import {
  openPool,
  PostgresStore,
  type PoolClientLike,
  type PoolLike,
  type PostgresOutbox,
  type PostgresStoreOptions,
} from "@platform/core/postgres";
import type { SocialTx } from "../../ports/social-store.js";
import { PostgresActivityRepository } from "./postgres-activity-repository.js";
import { PostgresBlockRepository } from "./postgres-block-repository.js";
import { PostgresCommentRepository } from "./postgres-comment-repository.js";
import { PostgresFeedRepository } from "./postgres-feed-repository.js";
import { PostgresFollowRepository } from "./postgres-follow-repository.js";
import { PostgresFollowRequestRepository } from "./postgres-follow-request-repository.js";
import { PostgresLikeRepository } from "./postgres-like-repository.js";
import { PostgresMuteRepository } from "./postgres-mute-repository.js";
import { PostgresNotificationRepository } from "./postgres-notification-repository.js";
import { PostgresPostRepository } from "./postgres-post-repository.js";
import { PostgresRepostRepository } from "./postgres-repost-repository.js";
import { PostgresUserRepository } from "./postgres-user-repository.js";
import { CachingQueryable, ReadCache } from "./read-cache.js";
import { migrateSocial } from "./social-migrations.js";

/**
 * The social store on PostgreSQL: one database transaction per `transaction(work)` (nested calls
 * join it; serialization failures and deadlocks re-run `work`), counters moved by
 * `SET n = n + $1` in the transaction of the change, events written to `platform_outbox` with the
 * change and published after commit. Lost connections and statement timeouts surface as
 * `StorageError` `storage_unavailable` after the rollback.
 * @throws (from `transaction`) ConflictError `username_taken`, `email_taken`, `reference_not_found`;
 *   ValidationError `nul_character`; DomainRuleError `self_follow`; StorageError `storage_unavailable`.
 * @example
 * ```ts
 * const store = await createPostgresSocialStore({ connectionString: process.env.DATABASE_URL!, migrate: true });
 * const social = createSocialMediaPlatform({ store });
 * ```
 */
export class PostgresSocialStore extends PostgresStore<SocialTx> {
  constructor(
    pool: PoolLike,
    options: PostgresStoreOptions = {},
    private readonly ownsPool = false,
  ) {
    super(pool, options);
  }

  protected createTransaction(connection: PoolClientLike, outbox: PostgresOutbox): SocialTx {
    // Home-feed reads fill a per-transaction cache in bulk; any write drops it.
    const client = new CachingQueryable(connection, new ReadCache());
    return {
      outbox,
      users: new PostgresUserRepository(client),
      follows: new PostgresFollowRepository(client),
      followRequests: new PostgresFollowRequestRepository(client),
      blocks: new PostgresBlockRepository(client),
      mutes: new PostgresMuteRepository(client),
      posts: new PostgresPostRepository(client),
      reposts: new PostgresRepostRepository(client),
      activities: new PostgresActivityRepository(client),
      comments: new PostgresCommentRepository(client),
      likes: new PostgresLikeRepository(client),
      feeds: new PostgresFeedRepository(client),
      notifications: new PostgresNotificationRepository(client),
    };
  }

  /** Closes the pool if this store created it (a pool passed in stays the caller's to close). */
  async close(): Promise<void> {
    if (this.ownsPool) await this.pool.end?.();
  }
}

/** Options of {@link createPostgresSocialStore}: the host app's pool, or a connection string. */
export type PostgresSocialStoreOptions = ({ pool: PoolLike } | { connectionString: string; max?: number; statementTimeoutMs?: number }) & {
  /** Apply the migrations first (default false: run `migrateSocial(pool)` from your deploy step). */
  migrate?: boolean;
  /** Isolation level and retry policy of each transaction, and the retention of dispatched outbox rows. */
  transactions?: PostgresStoreOptions;
};

/**
 * Builds the PostgreSQL social store on the caller's pool or on a new one.
 * @throws ConfigurationError `missing_dependency` when `pg` is not installed; StorageError `storage_unavailable`.
 * @example
 * ```ts
 * import { createSocialMediaPlatform } from "@platform/social";
 * import { createPostgresSocialStore } from "@platform/social/postgres";
 * const store = await createPostgresSocialStore({ connectionString: process.env.DATABASE_URL!, migrate: true });
 * const social = createSocialMediaPlatform({ store });
 * ```
 */
export async function createPostgresSocialStore(options: PostgresSocialStoreOptions): Promise<PostgresSocialStore> {
  const { pool, owned } = await openPool(options, "@platform/social", options.migrate ? migrateSocial : undefined);
  return new PostgresSocialStore(pool, options.transactions ?? {}, owned);
}
