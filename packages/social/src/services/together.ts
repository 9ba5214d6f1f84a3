/**
 * Starts independent reads of one transaction at once (on PostgreSQL they go out pipelined, one
 * round trip) and waits for every one of them before failing with the first error in argument
 * order: no statement may still be running on the connection once the transaction has ended.
 */
export async function together<T extends readonly unknown[]>(reads: { readonly [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(reads as readonly Promise<unknown>[]);
  for (const s of settled) if (s.status === "rejected") throw s.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
