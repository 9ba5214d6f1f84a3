import { randomInt } from "node:crypto";
import { StorageError } from "../errors/errors.js";
import { isRetryableTransactionError, toStorageError } from "./errors.js";
import { checkout, type PoolClientLike, type PoolLike } from "./queryable.js";
import { isPipelining, isSnapshotRead, preparingStatements } from "./prepared-statements.js";
import { coreCodes } from "../errors/core-error-codes.js";

/** Options of {@link runTransaction}. */
export interface RunTransactionOptions {
  /** Isolation level (default `read committed`). */
  isolation?: "read committed" | "repeatable read" | "serializable";
  /** Extra attempts after a serialization failure or deadlock (default 8). */
  maxRetries?: number;
  /** Base delay of the jittered exponential backoff in ms (default 5). */
  baseDelayMs?: number;
  /** Called before each retry, for metrics. */
  onRetry?: (attempt: number, error: unknown) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `work` in one PostgreSQL transaction on a dedicated connection: COMMIT when it
 * resolves, ROLLBACK when it throws. Serialization failures (40001) and deadlocks (40P01)
 * re-run the whole of `work` up to `maxRetries` times with jittered backoff, so `work`
 * must have no side effects outside the database. Lost connections and timeouts become
 * `StorageError` (`storage_unavailable`) after the rollback.
 * @throws StorageError `storage_unavailable`, or whatever `work` throws.
 * @example
 * ```ts
 * const id = await runTransaction(pool, async (client) => {
 *   const { rows } = await client.query("update stock set on_hand = on_hand - $1 where sku = $2 and on_hand >= $1 returning sku", [2, "MOUSE001"]);
 *   if (rows.length === 0) throw new DomainRuleError("insufficient_stock", "sold out");
 *   return rows[0].sku;
 * });
 * ```
 */
export async function runTransaction<T>(
  pool: PoolLike,
  work: (client: PoolClientLike) => Promise<T>,
  options: RunTransactionOptions = {},
): Promise<T> {
  return runTransactionWithTail(pool, async (client) => ({ value: await work(client) }), options);
}

/**
 * What the work of {@link runTransactionWithTail} hands back: its value, and optionally its last
 * statement still in flight, so a pipelining connection sends it together with the COMMIT.
 * @internal
 */
export interface TransactionOutcome<T> {
  value: T;
  tail?: Promise<unknown>;
}

/**
 * {@link runTransaction} whose work may leave its last statement in flight (`tail`): on a connection
 * in node-postgres pipeline mode the COMMIT is written right behind it, one round trip for both.
 * A failed tail leaves the transaction aborted, so the COMMIT rolls back, and the tail's error is
 * what the caller gets.
 * @internal
 */
export async function runTransactionWithTail<T>(
  pool: PoolLike,
  work: (client: PoolClientLike) => Promise<TransactionOutcome<T>>,
  options: RunTransactionOptions = {},
): Promise<T> {
  const maxRetries = options.maxRetries ?? 8;
  const base = options.baseDelayMs ?? 5;
  const begin = options.isolation ? `BEGIN ISOLATION LEVEL ${options.isolation.toUpperCase()}` : "BEGIN";
  for (let attempt = 0; ; attempt++) {
    let client: PoolClientLike;
    let done: (destroy?: boolean) => void;
    try {
      ({ client, done } = await checkout(pool));
    } catch (error) {
      throw toStorageError(error);
    }
    let broken: unknown;
    let begun: Promise<unknown> | undefined;
    try {
      const pipelined = isPipelining(client);
      const inner = preparingStatements(client);
      // BEGIN goes out with the first statement that needs the transaction: in READ COMMITTED a
      // registered snapshot read (see `snapshotRead`) reads the same before BEGIN as after it, so a
      // transaction that only reads sends neither BEGIN nor COMMIT. In pipeline mode BEGIN is written
      // right before that statement; the server answers in order, so by the time `work` has that
      // statement's answer BEGIN's is in too, and BEGIN fails only with its connection, which fails
      // everything written behind it as well.
      const lazy = options.isolation === undefined || options.isolation === "read committed";
      const tx: PoolClientLike = {
        query<R>(text: string, values?: readonly unknown[]) {
          if (begun === undefined && !(lazy && isSnapshotRead(text))) {
            begun = client.query(begin);
            begun.catch(() => undefined); // awaited before COMMIT
            if (!pipelined) return begun.then(() => inner.query<R>(text, values));
          }
          return inner.query<R>(text, values);
        },
        release: (destroy) => client.release(destroy),
      };
      const { value, tail } = await work(tx);
      tail?.catch(() => undefined); // awaited below, unless an earlier failure ends the attempt first
      if (begun === undefined) {
        await tail; // sent nothing that needs a transaction
        return value;
      }
      if (!pipelined) await tail;
      const committed = client.query("COMMIT");
      committed.catch(() => undefined);
      await begun;
      await tail;
      const result = await committed;
      // COMMIT of an aborted transaction answers ROLLBACK without an error.
      if ((result as { command?: string }).command === "ROLLBACK")
        throw new StorageError(coreCodes.storage_unavailable, "the transaction was rolled back at COMMIT");
      return value;
    } catch (error) {
      try {
        if (begun !== undefined) await client.query("ROLLBACK");
      } catch (rollbackError) {
        broken = rollbackError;
      }
      if (isRetryableTransactionError(error) && attempt < maxRetries) {
        options.onRetry?.(attempt + 1, error);
        await sleep(base * 2 ** Math.min(attempt, 6) * (0.5 + randomInt(1000) / 1000));
        continue;
      }
      if (isRetryableTransactionError(error)) {
        throw new StorageError(coreCodes.storage_contention, `transaction kept conflicting after ${maxRetries} retries`, { cause: error });
      }
      throw toStorageError(error);
    } finally {
      done(broken !== undefined);
    }
  }
}
