import type { DomainEvent } from "../events/domain-event.js";
import type { PoolLike } from "./queryable.js";
import { runTransaction } from "./transaction.js";

/** Options of {@link OutboxDispatcher}. */
export interface OutboxDispatcherOptions {
  /** Rows claimed per batch (default 100). */
  batchSize?: number;
  /** Only these event types (default: all). */
  types?: readonly string[];
}

interface OutboxRow {
  seq: string;
  id: string;
  type: string;
  occurred_at: Date;
  data: unknown;
}

/**
 * Hands committed outbox events to a durable consumer (webhook fan-out, notification jobs),
 * at least once, in commit order per batch. Several processes may run it at once: each
 * batch is claimed with `FOR UPDATE SKIP LOCKED`, and a process that dies mid-batch
 * releases its rows for another to take. Consumers de-duplicate by `event.id`.
 */
export class OutboxDispatcher {
  constructor(
    private readonly pool: PoolLike,
    private readonly handler: (event: DomainEvent) => Promise<void>,
    private readonly options: OutboxDispatcherOptions = {},
  ) {}

  /**
   * Claims one batch, runs the handler on each event and marks them dispatched, all in one
   * transaction. Returns how many events were dispatched. A handler that throws leaves the
   * whole batch pending (with the attempt counted) and the error is rethrown.
   */
  async dispatchBatch(): Promise<number> {
    const types = this.options.types ? [...this.options.types] : null;
    let failure: unknown;
    const count = await runTransaction(this.pool, async (client) => {
      const { rows } = await client.query<OutboxRow>(
        `SELECT seq, id, type, occurred_at, data FROM platform_outbox
          WHERE dispatched_at IS NULL AND ($2::text[] IS NULL OR type = ANY($2))
          ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.options.batchSize ?? 100, types],
      );
      const done: string[] = [];
      for (const row of rows) {
        try {
          await this.handler({ id: row.id, type: row.type, occurredAt: row.occurred_at, data: row.data });
          done.push(row.seq);
        } catch (error) {
          failure = error;
          await client.query("UPDATE platform_outbox SET attempts = attempts + 1, last_error = $2 WHERE seq = $1", [
            row.seq,
            String(error).slice(0, 1000),
          ]);
          break;
        }
      }
      if (done.length > 0) await client.query("UPDATE platform_outbox SET dispatched_at = now() WHERE seq = ANY($1::bigint[])", [done]);
      return done.length;
    });
    if (failure !== undefined) throw failure;
    return count;
  }

  /** Dispatches batches until none is pending. Returns the total dispatched. */
  async drain(): Promise<number> {
    let total = 0;
    for (let n = await this.dispatchBatch(); n > 0; n = await this.dispatchBatch()) total += n;
    return total;
  }
}
