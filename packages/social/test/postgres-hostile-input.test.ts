import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ManualClock } from "@platform/core";
import { createIsolatedDatabase, type IsolatedDatabase } from "@platform/core/testing";
import { createSocialMediaPlatform } from "../src/index.js";
import { migrateSocial, PostgresSocialStore } from "../src/adapters/postgres/index.js";
import { codeOf, act, ANONYMOUS_ACTOR } from "./helpers.js";

// Hostile strings through every text path of the PostgreSQL store: stored and read back exactly,
// or (NUL, which PostgreSQL text cannot hold; text over the limits) refused with a ValidationError
// that writes nothing.
let db: IsolatedDatabase;
beforeAll(async () => {
  db = await createIsolatedDatabase(inject("databaseUrl"), { prefix: "social_hostile" });
  await migrateSocial(db.pool);
});
afterAll(async () => {
  await db?.drop();
});

const HOSTILE = [
  'O\'Reilly "quoted" `back` \\ backslash',
  "'; DROP TABLE social_posts; --",
  '"); DELETE FROM social_users; -- #tag',
  "emoji 🎉🇯🇵👩‍👩‍👧 ñ 日本語 עברית #日本",
  "$1 $2 %s %n {{x}} ${process.env}",
  "line\nbreak\ttab\r\u2028\u202e",
];
const LONG = "🎉'".repeat(250); // 500 code points (750 UTF-16 units), the longest post allowed

function makeSocial() {
  return createSocialMediaPlatform({ store: new PostgresSocialStore(db.pool), clock: new ManualClock("2026-01-01T00:00:00Z") });
}

async function counts() {
  const { rows } = await db.pool.query<Record<string, number>>(
    `SELECT (SELECT count(*)::int FROM social_users) AS users, (SELECT count(*)::int FROM social_posts) AS posts,
            (SELECT count(*)::int FROM social_comments) AS comments, (SELECT count(*)::int FROM platform_outbox) AS events,
            (SELECT sum(posts_count)::int FROM social_users) AS posts_counted`,
  );
  return rows[0]!;
}

describe("hostile strings on PostgreSQL", () => {
  it("round-trip exactly through profiles, posts, hashtags, comments and look-ups", async () => {
    const social = makeSocial();
    const ann = await social.users.create(ANONYMOUS_ACTOR, {
      username: "hostile_ann",
      email: "ann@example.com",
      name: "Ann 'O\"Neil 🎉",
      bio: HOSTILE[1]!,
    });
    const bob = await social.users.create(ANONYMOUS_ACTOR, { username: "bob", email: "bob@example.com", name: "Bob" });
    await social.follows.follow(act(bob.id), { userId: ann.id });
    for (const text of [...HOSTILE, LONG]) {
      const post = await social.posts.create(act(ann.id), { content: text });
      expect((await social.posts.get(act(bob.id), { postId: post.id })).content).toBe(text);
      const comment = await social.comments.create(act(bob.id), { postId: post.id, content: text });
      expect((await social.comments.get(act(ann.id), { commentId: comment.id })).content).toBe(text);
    }
    for (const bio of HOSTILE.map((t) => t.slice(0, 160))) {
      await social.users.updateProfile(act(ann.id), { bio });
      expect((await social.users.get(act(bob.id), { userId: ann.id })).bio).toBe(bio.trim());
    }
    expect((await social.users.get(act(bob.id), { userId: ann.id })).name).toBe("Ann 'O\"Neil 🎉");
    const home = await social.feeds.home(act(bob.id), { limit: 20 });
    expect(home.items.map((i) => i.post.content)).toEqual([LONG, ...[...HOSTILE].reverse()]);
    expect((await social.posts.listByHashtag(act(bob.id), { hashtag: "#日本" })).items.map((p) => p.content)).toEqual([HOSTILE[3]]);
    expect((await social.posts.listByHashtag(act(bob.id), { hashtag: "'; DROP TABLE social_posts; --" })).items).toEqual([]);
    expect(await codeOf(social.users.getByUsername(act(bob.id), { username: "x'; DROP TABLE social_users; --" }))).toBe("user_not_found");
    expect(await codeOf(social.posts.get(act(bob.id), { postId: "post_'; DROP TABLE social_posts; --" }))).toMatch(
      /invalid_id|validation_failed|post_not_found/,
    );
    expect((await counts()).posts).toBe(HOSTILE.length + 1); // still there
  });

  it("refuses NUL characters and over-long text with a ValidationError and writes nothing", async () => {
    const social = makeSocial();
    const cat = await social.users.create(ANONYMOUS_ACTOR, { username: "cat", email: "cat@example.com", name: "Cat" });
    const post = await social.posts.create(act(cat.id), { content: "fine" });
    const before = await counts();
    const nul = "before\u0000after";
    expect(await codeOf(social.posts.create(act(cat.id), { content: nul }))).toBe("nul_character");
    expect(await codeOf(social.comments.create(act(cat.id), { postId: post.id, content: nul }))).toBe("nul_character");
    expect(await codeOf(social.users.updateProfile(act(cat.id), { bio: nul }))).toBe("nul_character");
    expect(await codeOf(social.users.create(ANONYMOUS_ACTOR, { username: "dan", email: "dan@example.com", name: nul }))).toBe(
      "nul_character",
    );
    expect(await codeOf(social.posts.create(act(cat.id), { content: `${LONG}x` }))).toBe("content_too_long");
    expect(await codeOf(social.posts.edit(act(cat.id), { postId: post.id, content: nul }))).toBe("nul_character");
    expect(await counts()).toEqual(before);
    expect((await social.posts.get(act(cat.id), { postId: post.id })).content).toBe("fine");
    expect((await social.users.me(act(cat.id))).bio).toBe("");
  });
});
