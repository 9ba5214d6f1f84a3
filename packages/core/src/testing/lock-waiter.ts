import type { Queryable } from "../postgres/queryable.js";

/**
 * Resolves with the pid of a session of the current database that waits for a lock (any lock,
 * or an advisory one only), polling every 10 ms up to `timeoutMs` (default 10 s). Concurrency
 * tests use it to hold a transaction open and prove the other side really waits.
 * @throws Error when no session waits within the time.
 */
export async function waitForLockWaiter(db: Queryable, options: { advisoryOnly?: boolean; timeoutMs?: number } = {}): Promise<number> {
  const sql = options.advisoryOnly
    ? "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
    : "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'";
  const deadline = performance.now() + (options.timeoutMs ?? 10_000);
  while (performance.now() < deadline) {
    const { rows } = await db.query<{ pid: number }>(sql);
    if (rows[0]) return rows[0].pid;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no session waited for ${options.advisoryOnly ? "an advisory" : "a"} lock`);
}
