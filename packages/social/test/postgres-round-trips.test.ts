import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { countingPool, createIsolatedDatabase, type CountingPool, type IsolatedDatabase } from "@platform/core/testing";
import { migrateSocial, PostgresSocialStore } from "../src/adapters/postgres/index.js";
import { act, world } from "./helpers.js";

// What a home read sends to PostgreSQL: under load every round trip is a wait on the server.
let db: IsolatedDatabase;
let pool: CountingPool;

beforeAll(async () => {
  db = await createIsolatedDatabase(inject("databaseUrl"), { prefix: "social_trips" });
  await migrateSocial(db.pool);
  pool = countingPool(db.pool);
});
afterAll(async () => {
  await db?.drop();
});

describe("home feed on PostgreSQL: round trips per read", () => {
  it("a warm page is read in pipelined batches, a cold one materialises a window in a bounded number of round trips", async () => {
    // Threshold 1: the star (2 followers) is pulled at read time, the friends are pushed.
    const { social, user, clock } = world({ store: new PostgresSocialStore(pool), fanoutThreshold: 1 });
    const [reader, other, star] = [await user("reader"), await user("other"), await user("star")];
    const friends = [await user("friend1"), await user("friend2"), await user("friend3")];
    for (const f of [...friends, star]) await social.follows.follow(act(reader.id), { userId: f.id });
    await social.follows.follow(act(other.id), { userId: star.id });
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      clock.advance(1000);
      ids.push((await social.posts.create(act([...friends, star][i % 4]!.id), { content: `post ${i}` })).id);
    }
    let page: Awaited<ReturnType<typeof social.feeds.home>> | undefined;
    const cold = await pool.measure(async () => (page = await social.feeds.home(act(reader.id), { limit: 5 })));
    expect(page!.items.map((i) => i.id)).toEqual(ids.slice(-5).reverse());
    const warm = await pool.measure(async () => (page = await social.feeds.home(act(reader.id), { limit: 5 })));
    expect(page!.items.map((i) => i.id)).toEqual(ids.slice(-5).reverse());
    // Warm: the reader, feed state and sources together; the entries and the pull merge together;
    // the posts the page hydrates with their people and the reader's relations to them; COMMIT (was
    // 11 round trips, one per statement). 9 statements with BEGIN and COMMIT: each merge's candidates
    // no longer bring their posts, and their people and relations in a statement pair each (was 11).
    expect(warm.roundTrips).toBeLessThanOrEqual(4);
    expect(warm.statements).toBeLessThanOrEqual(9);
    expect(warm.transactions).toBe(1);
    // Cold: the above plus the source and pull locks with the follow set, the window's merge and its
    // write (was 20 round trips; 18 statements before the page's posts were read once).
    expect(cold.roundTrips).toBeLessThanOrEqual(8);
    expect(cold.statements).toBeLessThanOrEqual(16);
    expect(cold.transactions).toBe(1);
  });

  it("the merge of a cold feed's window reads only the covering activities index (migration 004)", async () => {
    const client = await db.pool.connect();
    try {
      // The tables here are tiny: with sequential and bitmap scans off, the plan shows which index serves the probes.
      await client.query("BEGIN");
      await client.query("SET LOCAL enable_seqscan = off");
      await client.query("SET LOCAL enable_bitmapscan = off");
      const { rows } = await client.query<{ "QUERY PLAN": string }>(
        `EXPLAIN SELECT a.* FROM unnest($1::text[]) AS s(actor_id) CROSS JOIN unnest($2::text[]) AS d(delivery)
         CROSS JOIN LATERAL (SELECT * FROM social_activities x WHERE x.actor_id = s.actor_id AND x.delivery = d.delivery
                             AND x.seq < $3 AND x.seq >= $4 ORDER BY x.seq DESC LIMIT $5) a ORDER BY a.seq DESC LIMIT $5`,
        [["usr_a", "usr_b"], ["push"], "9223372036854775807", 0, 31],
      );
      expect(rows.map((r) => r["QUERY PLAN"]).join("\n")).toMatch(/Index Only Scan using social_activities_actor_cover/);
    } finally {
      await client.query("ROLLBACK");
      client.release();
    }
  });
});
