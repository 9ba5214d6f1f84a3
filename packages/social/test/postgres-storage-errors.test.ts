import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ManualClock } from "@platform/core";
import { checkout, createPool, type PoolLike } from "@platform/core/postgres";
import { createIsolatedDatabase, type IsolatedDatabase, waitForLockWaiter } from "@platform/core/testing";
import { createSocialMediaPlatform, type SocialMediaPlatform, type User } from "../src/index.js";
import { createPostgresSocialStore, migrateSocial, PostgresSocialStore } from "../src/adapters/postgres/index.js";
import { codeOf, act, ANONYMOUS_ACTOR } from "./helpers.js";

// A statement timeout or a lost connection in the middle of an operation (after it already wrote
// in its transaction) rolls everything back and surfaces as storage_unavailable.
let db: IsolatedDatabase;
let shortPool: PoolLike;
beforeAll(async () => {
  db = await createIsolatedDatabase(inject("databaseUrl"), { prefix: "social_storage" });
  await migrateSocial(db.pool);
  shortPool = await createPool({ connectionString: db.url, max: 3, statementTimeoutMs: 400 });
});
afterAll(async () => {
  await shortPool?.end?.();
  await db?.drop();
});

function makeSocial(pool: PoolLike): SocialMediaPlatform {
  return createSocialMediaPlatform({ store: new PostgresSocialStore(pool), clock: new ManualClock("2026-01-01T00:00:00Z") });
}

async function snapshot() {
  const { rows } = await db.pool.query<Record<string, unknown>>(
    `SELECT (SELECT count(*)::int FROM social_posts) AS posts, (SELECT count(*)::int FROM social_activities) AS activities,
            (SELECT count(*)::int FROM social_likes) AS likes, (SELECT count(*)::int FROM social_notifications) AS notifications,
            (SELECT count(*)::int FROM platform_outbox) AS events, (SELECT count(*)::int FROM social_feed_entries) AS entries,
            (SELECT json_agg(json_build_array(id, posts_count, followers_count) ORDER BY id) FROM social_users) AS users,
            (SELECT json_agg(json_build_array(id, likes_count) ORDER BY id) FROM social_posts) AS post_counters`,
  );
  return rows[0]!;
}

/** Another session holding `lock` on `table` until `release()`. */
async function lockTable(table: string) {
  const { client, done } = await checkout(db.pool);
  await client.query("BEGIN");
  await client.query(`LOCK TABLE ${table} IN EXCLUSIVE MODE`);
  return async () => {
    await client.query("ROLLBACK");
    done();
  };
}

describe("storage failures on PostgreSQL", () => {
  let ann: User;
  let bob: User;
  beforeAll(async () => {
    const social = makeSocial(db.pool);
    ann = await social.users.create(ANONYMOUS_ACTOR, { username: "ann", email: "ann@example.com", name: "Ann" });
    bob = await social.users.create(ANONYMOUS_ACTOR, { username: "bob", email: "bob@example.com", name: "Bob" });
    await social.follows.follow(act(bob.id), { userId: ann.id });
    await social.feeds.home(act(bob.id)); // bob's feed is materialised: ann's posts fan out to it
  });

  it("a statement timeout mid-post (post, activity and counter written, fan-out blocked) rolls back and is storage_unavailable", async () => {
    const social = makeSocial(shortPool);
    const before = await snapshot();
    const release = await lockTable("social_feed_entries");
    try {
      expect(await codeOf(social.posts.create(act(ann.id), { content: "never half-written" }))).toBe("storage_unavailable");
    } finally {
      await release();
    }
    expect(await snapshot()).toEqual(before);
    // Nothing half-written: the same post now goes through, counted once, delivered once.
    const post = await social.posts.create(act(ann.id), { content: "written whole" });
    expect((await social.feeds.home(act(bob.id))).items.map((i) => i.id)).toEqual([post.id]);
    expect((await social.users.me(act(ann.id))).postsCount).toBe(1);
  });

  it("a connection killed mid-like (like and counter written, notification blocked) leaves nothing behind", async () => {
    const social = makeSocial(db.pool);
    const post = (await social.posts.listByUser(act(bob.id), { userId: ann.id })).items[0]!;
    const before = await snapshot();
    const release = await lockTable("social_notifications");
    try {
      const pending = codeOf(social.likes.likePost(act(bob.id), { postId: post.id }));
      const pid = await waitForLockWaiter(db.pool);
      await db.pool.query("SELECT pg_terminate_backend($1)", [pid]);
      expect(await pending).toBe("storage_unavailable");
    } finally {
      await release();
    }
    expect(await snapshot()).toEqual(before);
    await social.likes.likePost(act(bob.id), { postId: post.id });
    expect((await social.posts.get(act(bob.id), { postId: post.id })).likesCount).toBe(1);
  });

  it("an unreachable server is storage_unavailable", async () => {
    const store = await createPostgresSocialStore({ connectionString: "postgres://postgres@127.0.0.1:1/none", max: 1 });
    try {
      const social = createSocialMediaPlatform({ store });
      expect(await codeOf(social.users.me(act(ann.id)))).toBe("storage_unavailable");
    } finally {
      await store.close();
    }
  });
});
