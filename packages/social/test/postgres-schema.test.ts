import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createId } from "@platform/core";
import { createIsolatedDatabase, type IsolatedDatabase } from "@platform/core/testing";
import { migrateSocial, mapSqlError } from "../src/adapters/postgres/index.js";

// The schema enforces the domain even against a buggy caller writing raw SQL.
let db: IsolatedDatabase;
beforeAll(async () => {
  db = await createIsolatedDatabase(inject("databaseUrl"), { prefix: "social_schema", max: 4 });
  // Several processes deploying at once: the core lock applies each file once.
  await Promise.all([migrateSocial(db.pool), migrateSocial(db.pool), migrateSocial(db.pool)]);
});
afterAll(async () => {
  await db?.drop();
});

/** The SQLSTATE and constraint a statement fails with, or "ok". */
async function fails(sql: string, values: unknown[] = []): Promise<string> {
  try {
    await db.pool.query(sql, values);
    return "ok";
  } catch (e) {
    const err = e as { code?: string; constraint?: string };
    return `${err.code} ${err.constraint ?? ""}`.trim();
  }
}

const user = (name: string) =>
  db.pool
    .query<{ id: string }>(
      "INSERT INTO social_users (id, username, email, name, created_at, updated_at) VALUES ($1, $2, $3, $2, now(), now()) RETURNING id",
      [createId("usr"), name, `${name.toLowerCase()}@example.com`],
    )
    .then((r) => r.rows[0]!.id);

describe("social schema on PostgreSQL", () => {
  it("creates every social_ table, once, however many times migrate runs", async () => {
    const { rows } = await db.pool.query<{ t: string }>(
      "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'social%' ORDER BY 1",
    );
    expect(rows.map((r) => r.t)).toEqual([
      "social_activities",
      "social_blocks",
      "social_comments",
      "social_feed_entries",
      "social_feed_states",
      "social_follow_requests",
      "social_follows",
      "social_likes",
      "social_mutes",
      "social_notifications",
      "social_post_hashtags",
      "social_posts",
      "social_reposts",
      "social_users",
    ]);
    expect((await migrateSocial(db.pool)).applied).toEqual([]);
  });

  it("refuses self-follows, double likes, case-insensitive duplicate usernames and negative counters", async () => {
    const a = await user("Schema_Ann");
    const b = await user("schema_bob");
    expect(
      await fails(
        "INSERT INTO social_users (id, username, email, name, created_at, updated_at) VALUES ($1, 'SCHEMA_ANN', 'other@example.com', 'x', now(), now())",
        [createId("usr")],
      ),
    ).toBe("23505 social_users_username_key");
    expect(await fails("INSERT INTO social_follows (id, follower_id, followee_id, created_at) VALUES ('f1', $1, $1, now())", [a])).toBe(
      "23514 social_follows_no_self",
    );
    expect(
      await fails("INSERT INTO social_follows (id, follower_id, followee_id, created_at) VALUES ('f2', $1, 'usr_nobody', now())", [a]),
    ).toMatch(/^23503/);
    expect(
      await fails("INSERT INTO social_likes (id, user_id, target_type, target_id, created_at) VALUES ('l1', $1, 'post', 'post_x', now())", [
        b,
      ]),
    ).toBe("ok");
    expect(
      await fails("INSERT INTO social_likes (id, user_id, target_type, target_id, created_at) VALUES ('l2', $1, 'post', 'post_x', now())", [
        b,
      ]),
    ).toBe("23505 social_likes_pkey");
    expect(await fails("UPDATE social_users SET followers_count = followers_count - 1 WHERE id = $1", [a])).toBe(
      "23514 social_users_followers_count_check",
    );
    expect(await fails("INSERT INTO social_blocks (id, blocker_id, blocked_id, created_at) VALUES ('b1', $1, $1, now())", [a])).toBe(
      "23514 social_blocks_no_self",
    );
    expect(
      await fails(
        "INSERT INTO social_posts (id, author_id, content, visibility, delivery, created_at, updated_at) VALUES ($1, $2, $3, 'public', 'push', now(), now())",
        [createId("post"), a, "x".repeat(501)],
      ),
    ).toBe("23514 social_posts_content_check");
  });

  it("maps constraint errors to the platform's codes", () => {
    expect((mapSqlError({ code: "23505", constraint: "social_users_username_key" }) as { code: string }).code).toBe("username_taken");
    expect((mapSqlError({ code: "23505", constraint: "social_users_email_key" }) as { code: string }).code).toBe("email_taken");
    expect((mapSqlError({ code: "23514", constraint: "social_follows_no_self" }) as { code: string }).code).toBe("self_follow");
    expect((mapSqlError({ code: "22021" }) as { code: string }).code).toBe("nul_character");
  });
});
