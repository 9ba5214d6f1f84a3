/**
 * Waits for every statement sent together on one connection (node-postgres pipeline mode writes
 * each without waiting for the answers before it), then fails with the first error: none may still
 * be running once the transaction has ended. @internal
 */
export async function settled(statements: readonly (Promise<unknown> | null)[]): Promise<void> {
  const results = await Promise.allSettled(statements);
  for (const r of results) if (r.status === "rejected") throw r.reason;
}
