import type { PoolClientLike, QueryResultLike } from "./queryable.js";

/**
 * Named prepared statements for the transactions of the stores: a text seen before is parsed and
 * planned once per connection (node-postgres sends Bind/Execute only), which is most of what a
 * short statement costs the server. Names come from one process-wide table, so a name always means
 * the same text on every connection; past `MAX_NAMED` distinct texts (dynamic SQL such as
 * multi-row VALUES of every length) the rest run unnamed, so neither side's cache grows without end.
 */
const MAX_NAMED = 1_000;
const names = new Map<string, string>();

function nameOf(text: string): string | undefined {
  let name = names.get(text);
  if (name === undefined && names.size < MAX_NAMED) {
    name = `platform_${names.size.toString(36)}`;
    names.set(text, name);
  }
  return name;
}

/** node-postgres' Client (the only client that takes `{ name, text, values }`); a host's own wrapper may not. */
function isNodePostgresClient(client: PoolClientLike): boolean {
  const connection = (client as { connection?: { parsedStatements?: unknown } }).connection;
  return typeof connection?.parsedStatements === "object" && connection.parsedStatements !== null;
}

/** True for a node-postgres client in pipeline mode: it writes a query without waiting for the answers before it. */
export function isPipelining(client: PoolClientLike): boolean {
  return (client as { pipeline?: unknown }).pipeline === true;
}

/**
 * `client` with every query sent as a named prepared statement, except a text without parameters
 * holding a `;`: it may be several statements, which only the simple protocol takes.
 * Any other client is returned unchanged.
 */
export function preparingStatements(client: PoolClientLike): PoolClientLike {
  if (!isNodePostgresClient(client)) return client;
  const query = client.query.bind(client) as (config: unknown, values?: readonly unknown[]) => Promise<QueryResultLike<never>>;
  return {
    query<R>(text: string, values?: readonly unknown[]): Promise<QueryResultLike<R>> {
      const name = (values !== undefined && values.length > 0) || !text.includes(";") ? nameOf(text) : undefined;
      return (name === undefined ? query(text, values) : query({ name, text, values })) as Promise<QueryResultLike<R>>;
    },
    release: (destroy) => client.release(destroy),
  };
}

const snapshotReads = new Set<string>();

/**
 * Registers `text` as a snapshot read and returns it: a plain SELECT (no `FOR UPDATE`/`FOR SHARE`,
 * no advisory lock, no function with side effects). In READ COMMITTED such a statement takes its own
 * snapshot whether it runs before BEGIN or after it, so `runTransaction` sends it without opening
 * the transaction yet: a transaction made only of snapshot reads costs no BEGIN and no COMMIT.
 * @example
 * ```ts
 * const GET = snapshotRead("SELECT id, status FROM payments WHERE id = $1");
 * ```
 */
export function snapshotRead(text: string): string {
  snapshotReads.add(text);
  return text;
}

/** Whether `text` was registered by {@link snapshotRead}. */
export function isSnapshotRead(text: string): boolean {
  return snapshotReads.has(text);
}
