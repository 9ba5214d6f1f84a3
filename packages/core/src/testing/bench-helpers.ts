import type { PoolLike } from "../postgres/queryable.js";
import { runTransaction } from "../postgres/transaction.js";

/** Percentiles of a set of latency samples, in milliseconds. */
export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly mean: number;
  readonly max: number;
}

/** Nearest-rank percentiles of latency samples (ms). */
export function summarizeLatencies(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
  return {
    count: sorted.length,
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    mean: sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length),
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

/** Runs `op` from `clients` concurrent loops for `durationMs`; returns operations per second. */
export async function measureThroughput(
  op: (client: number, iteration: number) => Promise<unknown>,
  options: { clients: number; durationMs: number },
): Promise<number> {
  const started = performance.now();
  const deadline = started + options.durationMs;
  let done = 0;
  await Promise.all(
    Array.from({ length: options.clients }, async (_, client) => {
      for (let i = 0; performance.now() < deadline; i++) {
        await op(client, i);
        done++;
      }
    }),
  );
  return done / ((performance.now() - started) / 1000);
}

/**
 * A TPC-B-like baseline (pgbench's default script: 3 updates, 1 select, 1 insert per
 * transaction) on its own tables, so a benchmark can report its figures as a ratio to what
 * the same pool and server do with the simplest realistic write transaction.
 */
export async function tpcbBaseline(pool: PoolLike, options: { clients: number; durationMs: number; accounts?: number }): Promise<number> {
  const accounts = options.accounts ?? 10_000;
  await pool.query(`CREATE TABLE IF NOT EXISTS bench_branches (bid int PRIMARY KEY, bbalance bigint NOT NULL);
    CREATE TABLE IF NOT EXISTS bench_tellers (tid int PRIMARY KEY, bid int NOT NULL, tbalance bigint NOT NULL);
    CREATE TABLE IF NOT EXISTS bench_accounts (aid int PRIMARY KEY, bid int NOT NULL, abalance bigint NOT NULL);
    CREATE TABLE IF NOT EXISTS bench_history (tid int, bid int, aid int, delta int, mtime timestamptz)`);
  await pool.query("TRUNCATE bench_branches, bench_tellers, bench_accounts, bench_history");
  await pool.query("INSERT INTO bench_branches SELECT 1, 0");
  await pool.query("INSERT INTO bench_tellers SELECT t, 1, 0 FROM generate_series(1, 10) t");
  await pool.query("INSERT INTO bench_accounts SELECT a, 1, 0 FROM generate_series(1, $1::int) a", [accounts]);
  let seed = 42;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648; // deterministic LCG: same workload every run
    return (seed % n) + 1;
  };
  return measureThroughput(
    () => {
      const aid = next(accounts);
      const tid = next(10);
      const delta = next(10_000) - 5_000;
      return runTransaction(pool, async (c) => {
        await c.query("UPDATE bench_accounts SET abalance = abalance + $1 WHERE aid = $2", [delta, aid]);
        await c.query("SELECT abalance FROM bench_accounts WHERE aid = $1", [aid]);
        await c.query("UPDATE bench_tellers SET tbalance = tbalance + $1 WHERE tid = $2", [delta, tid]);
        await c.query("UPDATE bench_branches SET bbalance = bbalance + $1 WHERE bid = 1", [delta]);
        await c.query("INSERT INTO bench_history (tid, bid, aid, delta, mtime) VALUES ($1, 1, $2, $3, now())", [tid, aid, delta]);
      });
    },
    { clients: options.clients, durationMs: options.durationMs },
  );
}
