import type { PoolClientLike, PoolLike, QueryResultLike } from "../postgres/queryable.js";

/** What a {@link countingPool} has seen since it was made or last reset. */
export interface QueryCounts {
  /**
   * Round trips: one per `query()` call made while its connection had no answer outstanding; a
   * query written behind another (node-postgres pipeline mode) rides on that one's round trip.
   */
  roundTrips: number;
  /** SQL statements: a parameterless multi-statement text counts each statement. */
  statements: number;
  /** Transactions begun (`BEGIN` / `START TRANSACTION`). */
  transactions: number;
  /** Connections checked out of the pool. */
  checkouts: number;
}

/** A pool wrapper that counts round trips, statements and transactions, for benches. */
export interface CountingPool extends PoolLike {
  readonly counts: QueryCounts;
  /** Zeroes the counts. */
  reset(): void;
  /** When set, receives the text of each query (for tracing one operation). */
  trace: ((text: string) => void) | undefined;
  /** The counts of everything `op` runs, alone on this pool (not concurrent with other work). */
  measure(op: () => Promise<unknown>): Promise<QueryCounts>;
}

function statementsIn(text: string, values: readonly unknown[] | undefined): number {
  if (values !== undefined && values.length > 0) return 1; // the extended protocol takes one statement
  // Rough split of a simple-protocol text: enough for counting, not a SQL parser.
  return Math.max(1, text.split(";").filter((s) => s.trim().length > 0).length);
}

/**
 * Wraps `pool` so benches can print statements, round trips and transactions per operation.
 * @example
 * ```ts
 * const pool = countingPool(db.pool);
 * const store = new PostgresPaymentStore(pool);
 * const per = await pool.measure(() => createAndCapture());
 * console.log(`${per.statements} statements in ${per.transactions} transactions`);
 * ```
 */
export function countingPool(pool: PoolLike): CountingPool {
  const counts: QueryCounts = { roundTrips: 0, statements: 0, transactions: 0, checkouts: 0 };
  const record = (text: string, values: readonly unknown[] | undefined, pipelined: boolean) => {
    if (!pipelined) counts.roundTrips++;
    counts.statements += statementsIn(text, values);
    if (/^\s*(BEGIN|START TRANSACTION)\b/i.test(text)) counts.transactions++;
    wrapper.trace?.(text);
  };
  const outstanding = new WeakMap<object, number>();
  const query = <R>(target: { query: PoolLike["query"] }, arg: unknown, values?: readonly unknown[]): Promise<QueryResultLike<R>> => {
    const text = typeof arg === "string" ? arg : String((arg as { text?: string }).text ?? "");
    const vals = typeof arg === "string" ? values : ((arg as { values?: unknown[] }).values ?? values);
    const before = outstanding.get(target) ?? 0;
    record(text, vals, before > 0);
    outstanding.set(target, before + 1);
    const settle = () => outstanding.set(target, (outstanding.get(target) ?? 1) - 1);
    const result = (target.query as (a: unknown, v?: readonly unknown[]) => Promise<QueryResultLike<R>>).call(target, arg, values);
    result.then(settle, settle);
    return result;
  };
  const wrapper: CountingPool = {
    counts,
    trace: undefined,
    reset() {
      counts.roundTrips = counts.statements = counts.transactions = counts.checkouts = 0;
    },
    async measure(op) {
      wrapper.reset();
      await op();
      return { ...counts };
    },
    query<R>(text: string, values?: readonly unknown[]) {
      return query<R>(pool, text, values);
    },
    async connect(): Promise<PoolClientLike> {
      const client = await pool.connect();
      counts.checkouts++;
      return new Proxy(client, {
        get(target, prop, receiver) {
          if (prop === "query") return (arg: unknown, values?: readonly unknown[]) => query(target, arg, values);
          const value: unknown = Reflect.get(target, prop, receiver);
          return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
    },
    end: () => pool.end?.() ?? Promise.resolve(),
  };
  return wrapper;
}
