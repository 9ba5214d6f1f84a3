/**
 * The PostgreSQL store of \@platform/social (`pg` is an optional peer dependency): every
 * repository of the social ports on `social_*` tables, the migrations, and a factory.
 * @example
 * ```ts
 * import { createSocialMediaPlatform } from "@platform/social";
 * import { createPostgresSocialStore } from "@platform/social/postgres";
 * const social = createSocialMediaPlatform({ store: await createPostgresSocialStore({ connectionString: process.env.DATABASE_URL!, migrate: true }) });
 * ```
 * @packageDocumentation
 */
export { PostgresSocialStore, createPostgresSocialStore, type PostgresSocialStoreOptions } from "./postgres-social-store.js";
export { socialMigrations, migrateSocial } from "./social-migrations.js";
export { PostgresUserRepository } from "./postgres-user-repository.js";
export { PostgresFollowRepository } from "./postgres-follow-repository.js";
export { PostgresFollowRequestRepository } from "./postgres-follow-request-repository.js";
export { PostgresBlockRepository } from "./postgres-block-repository.js";
export { PostgresMuteRepository } from "./postgres-mute-repository.js";
export { PostgresPostRepository } from "./postgres-post-repository.js";
export { PostgresRepostRepository } from "./postgres-repost-repository.js";
export { PostgresActivityRepository } from "./postgres-activity-repository.js";
export { PostgresCommentRepository } from "./postgres-comment-repository.js";
export { PostgresLikeRepository } from "./postgres-like-repository.js";
export { PostgresFeedRepository } from "./postgres-feed-repository.js";
export { PostgresNotificationRepository } from "./postgres-notification-repository.js";
export { SOCIAL_FEED_LOCK_KEY } from "./feed-lock.js";
export { mapSqlError } from "./sql-errors.js";
