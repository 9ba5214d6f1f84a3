import type { Logger } from "../observability/logger.js";
/** A result as node-postgres returns it (the fields adapters read). */
export interface QueryResultLike<R> {
  rows: R[];
  rowCount: number | null;
}

/** Anything that runs a parameterised query: a pg Pool, a PoolClient, or a wrapper. */
export interface Queryable {
  query<R = Record<string, unknown>>(text: string, values?: readonly unknown[]): Promise<QueryResultLike<R>>;
}

/** A checked-out connection; `release(err)` destroys it instead of returning it. */
export interface PoolClientLike extends Queryable {
  release(destroy?: boolean | Error): void;
  /** node-postgres emits connection loss on the checked-out client. */
  on?(event: "error", listener: (error: Error) => void): unknown;
  removeListener?(event: "error", listener: (error: Error) => void): unknown;
}

/**
 * Checks out a client that will not crash the process if its connection dies while held:
 * node-postgres emits such failures as 'error' events, and the failing query rejects anyway.
 */
export async function checkout(pool: PoolLike): Promise<{ client: PoolClientLike; done: (destroy?: boolean) => void }> {
  const client = await pool.connect();
  const ignore = (): void => undefined;
  client.on?.("error", ignore);
  return {
    client,
    done(destroy = false) {
      client.removeListener?.("error", ignore);
      client.release(destroy);
    },
  };
}

/** The minimal pool interface the adapters need; a host app may pass its own `pg.Pool`. */
export interface PoolLike extends Queryable {
  connect(): Promise<PoolClientLike>;
  end?(): Promise<void>;
}

/** Options of {@link createPool}. */
export interface CreatePoolOptions {
  connectionString: string;
  /** Maximum connections (default 10). */
  max?: number;
  /** Per-statement timeout in ms, set on every connection (default: none). */
  statementTimeoutMs?: number;
  /** Application name shown in pg_stat_activity. */
  applicationName?: string;
  /** Receives errors of idle connections (default: silent). */
  logger?: Logger;
  /**
   * node-postgres pipeline mode (default true): a connection writes a query without waiting for the
   * answers before it, so the stores send BEGIN with a transaction's first statement and COMMIT with
   * its last. Set false for a server behind a proxy that does not accept pipelined messages.
   */
  pipeline?: boolean;
}
