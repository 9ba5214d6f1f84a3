import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ANONYMOUS_ACTOR, ManualClock, PlatformError, type Actor } from "@platform/core";
import { createIsolatedDatabase, type IsolatedDatabase } from "@platform/core/testing";
import { createSocialMediaPlatform, type FeedItem, type SocialMediaPlatform } from "../src/index.js";
import { createPostgresSocialStore, migrateSocial, PostgresSocialStore } from "../src/adapters/postgres/index.js";
import { truncateSocial } from "./postgres-helpers.js";
import { loadRows, oracleHome } from "./oracle.js";

// Paging a home feed while 8 writers post and repost at once, each on a connection of its own, as
// 8 app servers would (no global lock orders them): the pages hold no duplicate and no gap, i.e.
// they equal the brute-force oracle's feed, read after the writers stopped, down from the first
// page's top item. Push and pull authors, trimmed feeds (reads below the floor) and cold starts.
const WRITERS = 8;
const RUNS = Number(process.env.SOCIAL_PG_PROPERTY_RUNS ?? 4);

let db: IsolatedDatabase;
let writerStores: PostgresSocialStore[] = [];
beforeAll(async () => {
  db = await createIsolatedDatabase(inject("databaseUrl"), { prefix: "social_cpage", max: 4 });
  await migrateSocial(db.pool);
  for (let i = 0; i < WRITERS; i++) writerStores.push(await createPostgresSocialStore({ connectionString: db.url, max: 1 }));
});
afterAll(async () => {
  for (const s of writerStores) await s.close();
  writerStores = [];
  await db?.drop();
});

// The service calls of this file (converted with the rest when the call shape changes).
const platform = (store: PostgresSocialStore, fanoutThreshold: number, feedCap: number) =>
  createSocialMediaPlatform({ store, fanoutThreshold, feedCap, clock: new ManualClock("2026-01-01T00:00:00Z") });
const act = (id: string): Actor => ({ id, roles: [] });
const newUser = (social: SocialMediaPlatform, name: string) =>
  social.users.create(ANONYMOUS_ACTOR, { username: name, email: `${name}@example.com`, name });
const follow = (social: SocialMediaPlatform, actorId: string, userId: string) => social.follows.follow(act(actorId), { userId });
const post = async (social: SocialMediaPlatform, actorId: string, content: string) =>
  (await social.posts.create(act(actorId), { content })).id;
const repost = (social: SocialMediaPlatform, actorId: string, postId: string) => social.posts.repost(act(actorId), { postId });
const homePage = (
  social: SocialMediaPlatform,
  actorId: string,
  limit: number,
  cursor: string | null,
): Promise<{ items: FeedItem[]; nextCursor: string | null }> => social.feeds.home(act(actorId), { limit, ...(cursor ? { cursor } : {}) });
const evict = (social: SocialMediaPlatform, userId: string) => social.feeds.evict(act(userId));

describe("home feed paging on PostgreSQL under 8 concurrent writers", () => {
  it("no gap, no duplicate: the pages equal the oracle below the first page's top", { timeout: 180_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5 }), // page size
        fc.integer({ min: 3, max: 12 }), // feed cap: small caps trim, so pages also read below the floor
        fc.integer({ min: 0, max: 3 }), // writers whose author is pulled (above the fan-out threshold)
        fc.array(fc.nat(99), { minLength: WRITERS * 6, maxLength: WRITERS * 10 }), // writers' operations
        fc.boolean(), // the reader's feed is cold (rebuilt by the first page)
        async (limit, feedCap, pulled, ops, cold) => {
          await truncateSocial(db.pool);
          const readerSocialStore = new PostgresSocialStore(db.pool);
          const readerSocial = platform(readerSocialStore, 2, feedCap);
          const reader = (await newUser(readerSocial, "reader")).id;
          const authors: string[] = [];
          for (let i = 0; i < WRITERS; i++) authors.push((await newUser(readerSocial, `author${i}`)).id);
          const fans = [(await newUser(readerSocial, "fan0")).id, (await newUser(readerSocial, "fan1")).id];
          for (const a of authors) await follow(readerSocial, reader, a);
          for (let i = 0; i < pulled; i++) for (const f of fans) await follow(readerSocial, f, authors[i]!); // 3 followers > 2: pull
          const known: string[] = [];
          for (let k = 0; k < 3; k++) for (const a of authors) known.push(await post(readerSocial, a, "before"));
          const started = known.length;
          if (cold) await evict(readerSocial, reader);
          else await homePage(readerSocial, reader, 1, null);

          // 8 writers on 8 connections, each as its own author; the reader pages meanwhile.
          const lanes = authors.map((authorId, w) => {
            const social = platform(writerStores[w]!, 2, feedCap);
            const mine = ops.filter((_, k) => k % WRITERS === w);
            return (async () => {
              for (const r of mine) {
                if (r < 80) known.push(await post(social, authorId, `p${r}`));
                else
                  await repost(social, authorId, known[r % known.length]!).catch((e: unknown) => {
                    if (!PlatformError.is(e) || e.kind === "storage") throw e; // e.g. post_not_repostable
                  });
              }
            })();
          });
          const seen: string[] = [];
          let cursor: string | null = null;
          let pages = 0;
          const reading = (async () => {
            // Start once the writers are under way, so the pages race them.
            while (known.length < started + WRITERS && known.length < started + ops.length * 0.7)
              await new Promise((r) => setTimeout(r, 2));
            do {
              const page = await homePage(readerSocial, reader, limit, cursor);
              seen.push(...page.items.map((i) => i.id));
              cursor = page.nextCursor;
              pages++;
            } while (cursor && pages < 500);
          })();
          await Promise.all([...lanes, reading]);

          expect(new Set(seen).size).toBe(seen.length);
          const oracle = oracleHome(await loadRows(readerSocialStore, db.pool), reader);
          const top = seen[0];
          expect(top).toBeDefined();
          const want = oracle.slice(oracle.indexOf(top!));
          expect(seen).toEqual(want);
        },
      ),
      // A failing run is reported as found: shrinking re-runs whole concurrent scenarios.
      { numRuns: RUNS, endOnFailure: true },
    );
  });
});
