import { afterAll, inject } from "vitest";
import { ANONYMOUS_ACTOR, ManualClock, type Actor } from "@platform/core";
import { memoryStoreFixture, postgresStoreFixture, type StoreFixture } from "@platform/core/testing";
import {
  createSocialMediaPlatform,
  MemorySocialStore,
  type SocialMediaPlatform,
  type SocialPlatformOptions,
  type SocialStore,
  type User,
} from "../src/index.js";
import { migrateSocial, PostgresSocialStore } from "../src/adapters/postgres/index.js";

/** Every social table plus the outbox: what a PostgreSQL fixture empties for a new store. */
const SOCIAL_TABLES = [
  "social_users",
  "social_follows",
  "social_follow_requests",
  "social_blocks",
  "social_mutes",
  "social_posts",
  "social_post_hashtags",
  "social_reposts",
  "social_activities",
  "social_comments",
  "social_likes",
  "social_notifications",
  "social_feed_states",
  "social_feed_entries",
  "platform_outbox",
] as const;

/** The memory store fixture. */
export const memorySocial = (): StoreFixture<SocialStore> => memoryStoreFixture<SocialStore>(() => new MemorySocialStore());

/** A PostgreSQL fixture: one migrated throwaway database per suite, emptied for each new store. */
export const postgresSocial = (max?: number): StoreFixture<SocialStore> =>
  postgresStoreFixture<SocialStore>({
    adminUrl: () => inject("databaseUrl"),
    prefix: "social_suite",
    migrate: async (pool) => void (await migrateSocial(pool)),
    tables: SOCIAL_TABLES,
    create: (pool) => new PostgresSocialStore(pool),
    ...(max !== undefined ? { max } : {}),
  });

// One PostgreSQL database per test file for the looped suites, shared by its describe blocks.
const sharedPostgres = postgresStoreFixture<SocialStore>({
  adminUrl: () => inject("databaseUrl"),
  prefix: "social_suite",
  migrate: async (pool) => void (await migrateSocial(pool)),
  tables: SOCIAL_TABLES,
  create: (pool) => new PostgresSocialStore(pool),
  shared: true,
});
afterAll(() => sharedPostgres.dispose());

/** The stores every service suite runs on: `describe.each(socialStores())("... on $name", ...)`. */
export function socialStores(): StoreFixture<SocialStore>[] {
  return [memorySocial(), sharedPostgres];
}

/** The actor of a signed-in social user. */
export function act(userId: string): Actor {
  return { id: userId, roles: [] };
}

/** An operator with the admin role who is no social user (recounts, feed maintenance, verification). */
export const ADMIN: Actor = { id: null, roles: ["admin"] };

export { ANONYMOUS_ACTOR };

export interface World {
  social: SocialMediaPlatform;
  clock: ManualClock;
  user(name: string, extra?: { isPrivate?: boolean; role?: "user" | "admin" }): Promise<User>;
}

/** A platform on a manual clock (memory store unless one is given). */
export function world(options: SocialPlatformOptions = {}): World {
  const clock = new ManualClock("2026-01-01T00:00:00Z");
  const social = createSocialMediaPlatform({ clock, ...options });
  return {
    social,
    clock,
    user: (name, extra = {}) =>
      social.users.create(extra.role === "admin" ? ADMIN : ANONYMOUS_ACTOR, {
        username: name,
        email: `${name}@example.com`,
        name,
        ...extra,
      }),
  };
}

/** One `codeOf` for every suite: core's testing helper. */
export { codeOf } from "@platform/core/testing";
