import type { PoolClientLike, PoolLike, Queryable } from "@platform/core/postgres";

/** One statement sent to the server. */
export interface RecordedStatement {
  readonly text: string;
  readonly values: readonly unknown[] | undefined;
  /** Whether the connection had no other statement in flight when this one went out: it starts a round trip. */
  readonly startsRoundTrip: boolean;
}

/**
 * A pool that records every statement its transactions send while `record` runs, so a bench can
 * print statements and round trips per operation and EXPLAIN the statements of one operation.
 */
export class StatementRecorder {
  private log: RecordedStatement[] | null = null;
  readonly pool: PoolLike;

  constructor(inner: PoolLike) {
    // Statements in flight per connection: one sent while another is in flight (node-postgres
    // pipeline mode) shares its round trip.
    const inFlight = new Map<Queryable, number>();
    const wrap =
      (q: Queryable) =>
      <R>(text: string, values?: readonly unknown[]) => {
        const n = inFlight.get(q) ?? 0;
        this.log?.push({ text, values, startsRoundTrip: n === 0 });
        inFlight.set(q, n + 1);
        const done = () => inFlight.set(q, inFlight.get(q)! - 1);
        const result = q.query<R>(text, values);
        result.then(done, done);
        return result;
      };
    this.pool = {
      query: wrap(inner),
      connect: async (): Promise<PoolClientLike> => {
        const c = await inner.connect();
        return {
          query: wrap(c),
          release: (destroy) => c.release(destroy),
          on: (event, listener) => c.on?.(event, listener),
          removeListener: (event, listener) => c.removeListener?.(event, listener),
        };
      },
    };
  }

  /** Runs `op` and returns what it sent (BEGIN and COMMIT included). */
  async record(op: () => Promise<unknown>): Promise<RecordedStatement[]> {
    this.log = [];
    try {
      await op();
      return this.log;
    } finally {
      this.log = null;
    }
  }
}

/**
 * `n statements (m round trips, k sent)`: statements exclude BEGIN/COMMIT/ROLLBACK; round trips count
 * the times the connection waited for an answer before sending more (pipelined statements share one);
 * sent counts every message, BEGIN and COMMIT included.
 */
export function describeStatements(log: readonly RecordedStatement[]): string {
  const control = log.filter((s) => /^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b/i.test(s.text)).length;
  const trips = log.filter((s) => s.startsRoundTrip).length;
  return `${log.length - control} statements (${trips} round trips, ${log.length} sent)`;
}
