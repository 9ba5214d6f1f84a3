/**
 * Starts independent statements of one transaction at once and waits for every one of them before
 * failing with the first error in argument order. On a pipelining PostgreSQL connection they go out
 * in one round trip; waiting for all means no statement is still running when the caller's failure
 * ends the transaction.
 * @throws the first rejection among `reads`, in argument order, once all have settled.
 * @example
 * ```ts
 * const [cart, addresses] = await together([tx.carts.get(cartId), tx.addresses.list(customerId)]);
 * ```
 */
export async function together<T extends readonly unknown[]>(reads: { readonly [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(reads as readonly Promise<unknown>[]);
  for (const s of settled) if (s.status === "rejected") throw s.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
