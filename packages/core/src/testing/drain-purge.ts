/**
 * Calls a retention purge until it removes nothing, as a worker would, and returns the total it
 * removed. Run several at once to check that concurrent purgers never remove a row twice.
 * @example
 * ```ts
 * const removed = await Promise.all([1, 2, 3].map(() => drainPurge(() => system.maintenance.purgeIdempotencyKeys({ limit: 100 }))));
 * ```
 */
export async function drainPurge(purge: () => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const removed = await purge();
    if (removed === 0) return total;
    total += removed;
  }
}
