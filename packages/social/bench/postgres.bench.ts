/**
 * Social on PostgreSQL (same server, same run as the baselines):
 * - home feed first page p50/p99 (hybrid: materialised per-user rows for push authors, pull
 *   activities of authors above the 1,000-follower threshold merged at read time), warm and cold
 *   (the first read materialises the newest window of the feed from the sources' timelines), with
 *   USERS users, POSTS posts, ~200 followees each and 50 authors with ~6,000 followers, as the memory
 *   benchmark; EXPLAIN (ANALYZE, BUFFERS) of every statement of one warm and one cold read; the
 *   full rebuild (800 entries, the former cold read) in the same run;
 * - the baseline, the seed's approach as SQL in the same run: every post of every followed user,
 *   sorted by date, first 20 (`JOIN social_follows ... ORDER BY created_at DESC LIMIT 20`);
 * - statements and round trips per operation (home warm and cold, push post, pull post, follow);
 * - posts per second from 1 and 8 clients (8 different authors, every follower's feed
 *   materialised, so each post fans out to ~200 feeds), against core's TPC-B-like transaction from
 *   1 and 8 clients on the same pool: the target is (posts 8÷1) ≥ 0.8 × (TPC-B 8÷1);
 * - one post fanned out to its author's materialised followers, and one celebrity post (pull).
 * The data set is bulk-loaded with INSERT ... SELECT generate_series (not service calls).
 * Sizes: SOCIAL_BENCH_USERS (default 10,000), SOCIAL_BENCH_POSTS (default 1,000,000, the issue's
 * size; 200,000 loads faster), SOCIAL_BENCH_FOLLOWEES (default 200); SOCIAL_BENCH_SECONDS (default 5)
 * per throughput measurement.
 * The server is a throwaway one unless DATABASE_URL is set.
 * Run: corepack pnpm exec vitest bench --run packages/social/bench/postgres.bench.ts
 * Smaller: SOCIAL_BENCH_POSTS=200000 corepack pnpm exec vitest bench --run packages/social/bench/postgres.bench.ts
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import type { PoolClient } from "pg";
import { loadavg } from "node:os";
import { afterAll, bench, describe } from "vitest";
import { ManualClock, type Actor } from "@platform/core";
import {
  createIsolatedDatabase,
  measureThroughput,
  startPostgresServer,
  summarizeLatencies,
  tpcbBaseline,
  type PostgresServer,
} from "@platform/core/testing";
import { createSocialMediaPlatform } from "../src/index.js";
import { migrateSocial, PostgresSocialStore } from "../src/adapters/postgres/index.js";
import { describeStatements, StatementRecorder, type RecordedStatement } from "./statement-recorder.js";

/** The actor of a signed-in social user. */
const act = (id: string): Actor => ({ id, roles: [] });

const USERS = Number(process.env.SOCIAL_BENCH_USERS ?? 10_000);
const POSTS = Number(process.env.SOCIAL_BENCH_POSTS ?? 1_000_000);
const SECONDS = Number(process.env.SOCIAL_BENCH_SECONDS ?? 5);
const FOLLOWEES = Number(process.env.SOCIAL_BENCH_FOLLOWEES ?? 200);
const CELEBRITIES = 50;
const CELEBRITY_FOLLOWS = 30; // of each user's followees: 10,000 * 30 / 50 = 6,000 followers per celebrity
const THRESHOLD = 1_000;
const SAMPLE = 100;

const WRITE_SQL = /^\s*(INSERT|UPDATE|DELETE|WITH\s+gone|MERGE)\b/i;
const log = (line: string) => console.log(`[social pg bench] ${line}`);
let server: PostgresServer | undefined;
const adminUrl = process.env.DATABASE_URL ?? (server = await startPostgresServer()).url;
const db = await createIsolatedDatabase(adminUrl, { prefix: "social_bench", max: 12 });
let cleaned = false;
const cleanup = async () => {
  if (cleaned) return;
  cleaned = true;
  await db.drop();
  await server?.stop();
};
afterAll(cleanup);
// Everything runs inside one function so a failure stops the server too (afterAll may never run).
async function measure() {
  await migrateSocial(db.pool);
  // The bulk load runs on one connection with foreign-key triggers off when the role may do so
  // (the throwaway server's superuser): the generated rows reference existing users by construction.
  const loader = await db.pool.connect();
  await loader.query("SET session_replication_role = replica").catch(() => undefined);
  const q = (sql: string, values: unknown[] = []) => loader.query(sql, values);
  const secs = (t: number) => ((performance.now() - t) / 1000).toFixed(1);

  // ---------- bulk load ----------
  // Ids have createId's shape (prefix + 24 letters/digits): usr_bench + 19 digits; authors are spread with hashint4.
  const t0 = performance.now();
  await q(
    `INSERT INTO social_users (id, username, email, name, created_at, updated_at)
     SELECT 'usr_bench' || lpad(i::text, 19, '0'), 'user_' || i, 'user' || i || '@example.com', 'User ' || i, $2, $2
     FROM generate_series(0, $1 - 1) AS i`,
    [USERS, new Date("2026-01-01T00:00:00Z")],
  );
  const uid = (expr: string) => `'usr_bench' || lpad((${expr})::text, 19, '0')`;
  await q(
    `INSERT INTO social_follows (id, follower_id, followee_id, created_at)
     SELECT id, follower_id, followee_id, $4 FROM (
       SELECT 'flw_bench' || i || '_' || k AS id, ${uid("i")} AS follower_id,
              ${uid(`CASE WHEN k < $2 THEN (i + k) % ${CELEBRITIES} ELSE ${CELEBRITIES} + ((i::bigint * 7919 + k::bigint * 104729) % ($1 - ${CELEBRITIES})) END`)} AS followee_id
       FROM generate_series(0, $1 - 1) AS i CROSS JOIN generate_series(0, $3 - 1) AS k
     ) pairs
     WHERE follower_id <> followee_id
     ON CONFLICT DO NOTHING`,
    [USERS, Math.min(CELEBRITY_FOLLOWS, FOLLOWEES), FOLLOWEES, new Date("2026-01-01T00:00:00Z")],
  );
  await q(
    `UPDATE social_users u SET followers_count = c.n FROM (SELECT followee_id, count(*)::int AS n FROM social_follows GROUP BY 1) c WHERE u.id = c.followee_id`,
  );
  await q(
    `UPDATE social_users u SET following_count = c.n FROM (SELECT follower_id, count(*)::int AS n FROM social_follows GROUP BY 1) c WHERE u.id = c.follower_id`,
  );
  const tFollows = performance.now();
  const { rows: fc } = await q("SELECT count(*)::int AS n FROM social_follows");
  log(`built ${USERS} users and ${fc[0]!.n} follows in ${secs(t0)} s`);

  // Posts: 5% by celebrities (pull: more followers than the threshold), the rest by ordinary users (push).
  await q(
    `INSERT INTO social_posts (id, seq, author_id, content, hashtags, visibility, delivery, created_at, updated_at)
     SELECT 'post_bench' || lpad(g::text, 19, '0'), nextval('social_seq'), a.author,
            'Post number ' || g || ' about #topic' || (g % 1000) || ' and more text to make it look like a real post',
            ARRAY['topic' || (g % 1000)], 'public', CASE WHEN u.followers_count > $3 THEN 'pull' ELSE 'push' END,
            $2::timestamptz + g * interval '1 second', $2::timestamptz + g * interval '1 second'
     FROM generate_series(1, $1) AS g
     CROSS JOIN LATERAL (SELECT ${uid(`CASE WHEN abs(hashint4(g)) % 20 = 0 THEN abs(hashint4(g + 7)) % ${CELEBRITIES} ELSE ${CELEBRITIES} + abs(hashint4(g + 13)) % (${USERS} - ${CELEBRITIES}) END`)} AS author) a
     JOIN social_users u ON u.id = a.author
     ORDER BY g`,
    [POSTS, new Date("2026-01-02T00:00:00Z"), THRESHOLD],
  );
  await q(
    "INSERT INTO social_activities (id, seq, actor_id, verb, post_id, delivery, created_at) SELECT id, seq, author_id, 'post', id, delivery, created_at FROM social_posts",
  );
  await q("INSERT INTO social_post_hashtags (tag, seq, post_id) SELECT hashtags[1], seq, id FROM social_posts");
  await q(
    `UPDATE social_users u SET posts_count = c.n FROM (SELECT author_id, count(*)::int AS n FROM social_posts GROUP BY 1) c WHERE u.id = c.author_id`,
  );
  await q("RESET session_replication_role");
  loader.release();
  // A long-lived table is vacuumed by autovacuum (visibility map set: index-only scans work).
  await db.pool.query("VACUUM (ANALYZE)");
  const { rows: size } = await db.pool.query("SELECT pg_size_pretty(pg_database_size(current_database())) AS size");
  log(
    `loaded ${POSTS} posts (+ activities, hashtags) in ${((performance.now() - tFollows) / 1000).toFixed(1)} s; database ${size[0]!.size}`,
  );

  // ---------- measurements ----------
  const recorder = new StatementRecorder(db.pool);
  const store = new PostgresSocialStore(recorder.pool);
  const clock = new ManualClock("2026-06-01T00:00:00Z");
  const social = createSocialMediaPlatform({ store, clock, fanoutThreshold: THRESHOLD, feedCap: 800 });
  // The seed's approach: every post of the followed users (and one's own, as the home feed shows them), sorted.
  const seedSql = `SELECT p.id FROM social_posts p
                   WHERE (p.author_id = $1 OR p.author_id IN (SELECT followee_id FROM social_follows WHERE follower_id = $1))
                     AND p.deleted_at IS NULL ORDER BY p.created_at DESC LIMIT 20`;
  const seedFirstPage = async (userId: string) => (await db.pool.query<{ id: string }>(seedSql, [userId])).rows.map((r) => r.id);
  const time = async (fn: () => Promise<unknown>) => {
    const s = performance.now();
    await fn();
    return performance.now() - s;
  };
  const ordinary = (i: number) => `usr_bench${String(CELEBRITIES + ((i * 7_777) % (USERS - CELEBRITIES))).padStart(19, "0")}`;
  const sample = Array.from({ length: SAMPLE }, (_, i) => ordinary(i));

  const cold: number[] = [];
  for (const u of sample) cold.push(await time(() => social.feeds.home(act(u), { limit: 20 }))); // first read rebuilds the feed
  const warm: number[] = [];
  // The process's CPU time per warm read (user + system: pg's parsing, the services, the adapter),
  // the part of a read's wall time that is not the server's nor the wire's.
  const warmCpu = process.cpuUsage();
  for (let r = 0; r < 3; r++) for (const u of sample) warm.push(await time(() => social.feeds.home(act(u), { limit: 20 })));
  const warmCpuUs = process.cpuUsage(warmCpu);
  const cpuPerWarmRead = (warmCpuUs.user + warmCpuUs.system) / 1000 / warm.length;
  if (process.env.SOCIAL_BENCH_PROFILE) await profileWarmReads(process.env.SOCIAL_BENCH_PROFILE);
  const seedTimes: number[] = [];
  for (const u of sample) seedTimes.push(await time(() => seedFirstPage(u)));
  // Correctness check in the same run: the hybrid page equals the seed's page.
  for (const u of sample.slice(0, 5)) {
    const hybrid = (await social.feeds.home(act(u), { limit: 20 })).items.map((i) => i.post.id);
    if (JSON.stringify(hybrid) !== JSON.stringify(await seedFirstPage(u)))
      throw new Error(`hybrid first page differs from the seed's for ${u}`);
  }
  const sWarm = summarizeLatencies(warm);
  const sCold = summarizeLatencies(cold);
  const sSeed = summarizeLatencies(seedTimes);
  const fmt = (s: ReturnType<typeof summarizeLatencies>) => `p50 ${s.p50.toFixed(2)} ms, p99 ${s.p99.toFixed(2)} ms (n=${s.count})`;
  log(`home first page, hybrid (warm, materialised):  ${fmt(sWarm)}`);
  log(`client CPU per warm read (this process: pg parsing, services, adapter): ${cpuPerWarmRead.toFixed(2)} ms`);
  log(`home first page, hybrid (cold, bounded window materialised first): ${fmt(sCold)}`);
  log(`home first page, seed approach as SQL:         ${fmt(sSeed)}`);
  log(
    `ratio seed / hybrid warm: p50 ${(sSeed.p50 / sWarm.p50).toFixed(1)}x, p99 ${(sSeed.p99 / sWarm.p99).toFixed(1)}x; seed / cold p50 ${(sSeed.p50 / sCold.p50).toFixed(1)}x`,
  );

  // One warm read recorded before the fan-out below fills feeds with one author's posts (its
  // statements are EXPLAINed and their rows and bytes counted further down).
  const reader = sample[0]!;
  const warmRead = await recorder.record(() => social.feeds.home(act(reader), { limit: 20 }));

  // ---------- one post's fan-out ----------
  const author = ordinary(SAMPLE + 1);
  const followersOfAuthor = (
    await db.pool.query<{ follower_id: string }>("SELECT follower_id FROM social_follows WHERE followee_id = $1", [author])
  ).rows.map((r) => r.follower_id);
  for (const f of followersOfAuthor) await social.feeds.home(act(f), { limit: 1 });
  const celebrity = `usr_bench${"0".padStart(19, "0")}`;
  const fanout: number[] = [];
  const pull: number[] = [];
  for (let i = 0; i < 50; i++) {
    clock.advance(1000);
    fanout.push(await time(() => social.posts.create(act(author), { content: `fan-out ${i}` })));
    pull.push(await time(() => social.posts.create(act(celebrity), { content: `pull ${i}` })));
  }
  log(`post by an author with ${followersOfAuthor.length} materialised followers (fan-out on write): ${fmt(summarizeLatencies(fanout))}`);
  log(`post by a celebrity (fan-out on read, no feed writes): ${fmt(summarizeLatencies(pull))}`);

  // ---------- statements per operation, and where a warm and a cold read's time go ----------
  log(`statements per home read, warm: ${describeStatements(warmRead)}`);
  await social.feeds.evict(act(reader), {});
  const coldRead = await recorder.record(() => social.feeds.home(act(reader), { limit: 20 }));
  log(`statements per home read, cold (bounded window materialised): ${describeStatements(coldRead)}`);
  clock.advance(1000);
  log(
    `statements per push post (${followersOfAuthor.length} followers): ${describeStatements(await recorder.record(() => social.posts.create(act(author), { content: "counted" })))}`,
  );
  log(
    `statements per pull post: ${describeStatements(await recorder.record(() => social.posts.create(act(celebrity), { content: "counted" })))}`,
  );
  log(
    `statements per follow (backfill of a materialised feed): ${describeStatements(await recorder.record(() => social.follows.follow(act(reader), { userId: author })))}`,
  );
  await explainAll("warm home read", warmRead);
  // The cold read again on an evicted feed, inside a transaction that is rolled back (its writes are EXPLAINed too).
  await social.feeds.evict(act(reader), {});
  await explainAll("cold home read", coldRead, true);

  // Same-run baseline of the former cold read: a full rebuild (feedCap entries) of an evicted feed.
  const fullRebuild: number[] = [];
  for (const u of sample.slice(0, 50)) {
    await social.feeds.evict(act(u), {});
    fullRebuild.push(await time(() => social.feeds.rebuild(act(u), {})));
  }
  log(`full rebuild of an evicted feed (800 entries, the former cold read's main part): ${fmt(summarizeLatencies(fullRebuild))}`);

  /**
   * A CPU profile of 600 warm reads alone (SOCIAL_BENCH_PROFILE=<file.cpuprofile>), for
   * `node /work/notes/tools/cpuprof-top.mjs <file>`-style summaries of where a read's CPU goes.
   */
  async function profileWarmReads(file: string): Promise<void> {
    const session = new Session();
    session.connect();
    const post = (method: string) =>
      new Promise<unknown>((resolve, reject) => session.post(method, (e, r) => (e ? reject(e) : resolve(r))));
    await post("Profiler.enable");
    await post("Profiler.start");
    for (let r = 0; r < 6; r++) for (const u of sample) await social.feeds.home(act(u), { limit: 20 });
    const { profile } = (await post("Profiler.stop")) as { profile: unknown };
    session.disconnect();
    writeFileSync(file, JSON.stringify(profile));
    log(`CPU profile of 600 warm reads written to ${file}`);
  }

  /**
   * EXPLAIN (ANALYZE, BUFFERS) of each statement of one operation: execution time, buffers, plan head.
   * `rollback`: the statements run in one transaction that is rolled back (an operation that writes).
   */
  async function explainAll(what: string, statements: readonly RecordedStatement[], rollback = false): Promise<void> {
    log(`EXPLAIN (ANALYZE, BUFFERS) of the ${what}:`);
    const client = await db.pool.connect();
    try {
      if (rollback) await client.query("BEGIN");
      let total = 0;
      for (const st of statements) {
        if (/^\s*(BEGIN|COMMIT|ROLLBACK)\b/i.test(st.text)) continue;
        // The event row of a write (its id is unique: replaying it would fail), not part of the read.
        if (/\bplatform_outbox\b/.test(st.text)) {
          log(`  (not replayed: the outbox insert) ${st.text.replace(/\s+/g, " ").slice(0, 80)}`);
          continue;
        }
        const { rows } = await client.query<{ "QUERY PLAN": string }>(
          `EXPLAIN (ANALYZE, BUFFERS) ${st.text}`,
          st.values as unknown[] | undefined,
        );
        const lines = rows.map((r) => r["QUERY PLAN"]);
        const exec = lines.find((l) => l.startsWith("Execution Time")) ?? "";
        total += Number(/([\d.]+) ms/.exec(exec)?.[1] ?? 0);
        const buffers = lines.find((l) => l.includes("Buffers:")) ?? "";
        // What the statement sends back: rows, and the bytes of their fields as text (what pg parses).
        let returned = "";
        if (!WRITE_SQL.test(st.text)) {
          const raw = await (client as unknown as PoolClient).query<unknown[]>({
            text: st.text,
            values: st.values as unknown[] | undefined,
            rowMode: "array",
            types: { getTypeParser: () => (v: string) => v },
          });
          let bytes = 0;
          for (const row of raw.rows) for (const v of row) if (typeof v === "string") bytes += Buffer.byteLength(v);
          returned = `${raw.rows.length} rows, ${bytes} B`;
        }
        log(`  ${exec.padEnd(28)} ${buffers.trim().padEnd(40)} ${returned.padEnd(18)} ${st.text.replace(/\s+/g, " ").slice(0, 110)}`);
        if (process.env.SOCIAL_BENCH_PLANS) for (const l of lines) log(`      ${l}`);
      }
      log(`  total execution ${total.toFixed(3)} ms`);
    } finally {
      if (rollback) await client.query("ROLLBACK");
      client.release();
    }
  }

  // ---------- posts per second from 1 and 8 clients (different authors) against TPC-B-like ----------
  // Every user's feed is materialised (empty above the newest seq: a valid feed state), so each post
  // by these ordinary authors fans out to all of its ~200 followers' feeds.
  await db.pool.query(
    "INSERT INTO social_feed_states (user_id, floor_seq, size) SELECT id, (SELECT last_value + 1 FROM social_seq), 0 FROM social_users ON CONFLICT DO NOTHING",
  );
  const writers = Array.from({ length: 8 }, (_, i) => ordinary(SAMPLE + 10 + i * 13));
  const postFrom = (client: number, i: number) => social.posts.create(act(writers[client]!), { content: `scaling ${client} ${i}` });
  const durationMs = SECONDS * 1000;
  const tpcb1 = await tpcbBaseline(db.pool, { clients: 1, durationMs });
  const posts1 = await measureThroughput(postFrom, { clients: 1, durationMs });
  const posts8 = await measureThroughput(postFrom, { clients: 8, durationMs });
  const tpcb8 = await tpcbBaseline(db.pool, { clients: 8, durationMs });
  const postScaling = posts8 / posts1;
  const tpcbScaling = tpcb8 / tpcb1;
  log(`posts/s: 1 client ${posts1.toFixed(0)}, 8 clients ${posts8.toFixed(0)} (different authors): scaling ${postScaling.toFixed(2)}x`);
  log(`TPC-B-like/s on the same pool: 1 client ${tpcb1.toFixed(0)}, 8 clients ${tpcb8.toFixed(0)}: scaling ${tpcbScaling.toFixed(2)}x`);
  log(`ratio of ratios (posts 8÷1) ÷ (TPC-B 8÷1) = ${(postScaling / tpcbScaling).toFixed(2)} (target ≥ 0.8)`);
  log(
    `feed targets: warm p99 ${sWarm.p99.toFixed(2)} ms (≤ 10), cold p99 ${sCold.p99.toFixed(2)} ms (≤ 50); load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
  );
  return { social, sample, seedFirstPage };
}
const { social, sample, seedFirstPage } = await measure().catch(async (e: unknown) => {
  await cleanup();
  throw e;
});

describe(`social home feed on PostgreSQL (${USERS} users, ${POSTS} posts, ~${FOLLOWEES} followees)`, () => {
  let k = 0;
  bench(
    "hybrid home feed, first page (materialised)",
    async () => {
      await social.feeds.home(act(sample[k++ % sample.length]!), { limit: 20 });
    },
    { iterations: 300, warmupIterations: 10 },
  );
  bench(
    "seed approach as SQL: all posts of followed users, sorted",
    async () => {
      await seedFirstPage(sample[k++ % sample.length]!);
    },
    { iterations: 50, warmupIterations: 2 },
  );
});
