import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createIsolatedDatabase, spawnWorkers, type IsolatedDatabase } from "@platform/core/testing";
import { createSocialMediaPlatform, type FeedItem, type SocialMediaPlatform } from "../src/index.js";
import { migrateSocial, PostgresSocialStore } from "../src/adapters/postgres/index.js";
import { counterDrift } from "./postgres-helpers.js";
import { act, ADMIN, ANONYMOUS_ACTOR } from "./helpers.js";

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const PROCESSES = 4;
const USERS = 8;

let db: IsolatedDatabase;
beforeAll(async () => {
  db = await createIsolatedDatabase(inject("databaseUrl"), { prefix: "social_multi", max: 4 });
  await migrateSocial(db.pool);
});
afterAll(async () => {
  await db?.drop();
});

/** Every item of a home feed, page after page. */
async function walkHome(social: SocialMediaPlatform, actorId: string): Promise<string[]> {
  const out: string[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: FeedItem[]; nextCursor: string | null } = await social.feeds.home(act(actorId), {
      limit: 7,
      ...(cursor ? { cursor } : {}),
    });
    out.push(...page.items.map((i) => i.id));
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

describe("several Node processes on one PostgreSQL database", () => {
  it(
    "concurrent likes, follows and posts from 4 processes: every counter equals a recount, every feed equals its rebuild",
    { timeout: 90_000 },
    async () => {
      const store = new PostgresSocialStore(db.pool);
      // Same fan-out settings as the workers: authors above 3 followers are pulled, feeds keep 6 entries.
      const social = createSocialMediaPlatform({ store, fanoutThreshold: 3, feedCap: 6 });
      const ids: string[] = [];
      for (let i = 0; i < USERS; i++)
        ids.push((await social.users.create(ANONYMOUS_ACTOR, { username: `user${i}`, email: `u${i}@example.com`, name: `User ${i}` })).id);
      for (const actorId of ids) await social.posts.create(act(actorId), { content: `hello from ${actorId}` });
      for (const actorId of ids.slice(0, 5)) await social.feeds.home(act(actorId)); // materialised feeds: fan-out and trimming happen

      const results = await spawnWorkers(fixture("social-storm-worker.ts"), PROCESSES, {
        args: () => [db.url, "30", "3"],
        timeoutMs: 80_000,
      });
      for (const r of results) expect(r.code, r.stderr).toBe(0);
      const outputs = results.map((r) => JSON.parse(r.stdout.trim().split("\n").pop()!) as { ops: number; unexpected: string[] });
      expect(outputs.flatMap((o) => o.unexpected)).toEqual([]);
      expect(outputs.reduce((n, o) => n + o.ops, 0)).toBe(PROCESSES * 30 * 3);

      const { rows: volume } = await db.pool.query<{ likes: number; follows: number; posts: number }>(
        "SELECT (SELECT count(*)::int FROM social_likes) AS likes, (SELECT count(*)::int FROM social_follows) AS follows, (SELECT count(*)::int FROM social_posts) AS posts",
      );
      expect(volume[0]!.likes).toBeGreaterThan(10);
      expect(volume[0]!.follows).toBeGreaterThan(5);
      expect(volume[0]!.posts).toBeGreaterThan(USERS + 20);

      // Counters: stored == recounted from the rows, and the service's recount finds nothing to repair.
      expect(await counterDrift(db.pool)).toEqual([]);
      for (const userId of ids) expect((await social.users.recount(ADMIN, { userId })).consistent).toBe(true);
      // Feed bookkeeping: the kept size is the number of entries.
      const { rows: sizes } = await db.pool.query(
        "SELECT s.user_id FROM social_feed_states s WHERE s.size <> (SELECT count(*) FROM social_feed_entries e WHERE e.user_id = s.user_id)",
      );
      expect(sizes).toEqual([]);
      // Every materialised feed, read page by page, equals the same feed rebuilt from storage.
      for (const actorId of ids) {
        const served = await walkHome(social, actorId);
        await social.feeds.evict(act(actorId));
        expect(await walkHome(social, actorId), actorId).toEqual(served);
      }
    },
  );
});
