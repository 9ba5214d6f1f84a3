import type { PoolClientLike, PoolLike, Queryable } from "@platform/core/postgres";

/** One statement sent to the server. */
export interface RecordedStatement {
  readonly text: string;
  readonly values: readonly unknown[] | undefined;
}

/**
 * A pool that records every statement its transactions send while `record` runs, so a bench can
 * print statements and round trips per operation and EXPLAIN the statements of one operation.
 */
export class StatementRecorder {
  private log: RecordedStatement[] | null = null;
  readonly pool: PoolLike;

  constructor(inner: PoolLike) {
    const note = (text: string, values?: readonly unknown[]) => this.log?.push({ text, values });
    const wrap =
      (q: Queryable) =>
      <R>(text: string, values?: readonly unknown[]) => {
        note(text, values);
        return q.query<R>(text, values);
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

/** `n statements (m round trips)`: statements exclude BEGIN/COMMIT/ROLLBACK. */
export function describeStatements(log: readonly RecordedStatement[]): string {
  const control = log.filter((s) => /^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b/i.test(s.text)).length;
  return `${log.length - control} statements (${log.length} round trips)`;
}
