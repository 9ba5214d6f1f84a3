import { AsyncLocalStorage } from "node:async_hooks";
import type { DomainEvent } from "../events/domain-event.js";
import type { DutyLock } from "../worker/background-duty.js";
import type { EventOutbox, EventPublisher, UnitOfWork } from "../transactions/unit-of-work.js";
import { checkout, type PoolClientLike, type PoolLike } from "./queryable.js";
import { toStorageError } from "./errors.js";
import type { PurgeOptions } from "../validation/schemas.js";
import { writeLog, type Logger } from "../observability/logger.js";
import { purgeDispatchedOutbox } from "./outbox-retention.js";
import { runTransactionWithTail, type RunTransactionOptions } from "./transaction.js";

/** Options of a {@link PostgresStore}: its transactions, and the retention of the shared outbox. */
export interface PostgresStoreOptions extends RunTransactionOptions {
  /** How long dispatched `platform_outbox` rows are kept before `purgeOutbox` removes them. Default 7 days. */
  outboxRetentionMs?: number;
  /**
   * How long rows NO dispatcher took are kept (default: for ever, they are work not yet done). Set
   * it when some event types have no durable consumer, so their rows do not pile up.
   */
  undispatchedOutboxRetentionMs?: number;
}

/** The outbox of one PostgreSQL transaction: events are inserted into `platform_outbox` with the change. */
export class PostgresOutbox implements EventOutbox {
  /** @internal */
  readonly pending: DomainEvent[] = [];

  // Writes of this transaction already sent whose answers its work did not wait for.
  private readonly deferred: Promise<unknown>[] = [];

  add(event: DomainEvent): void {
    this.pending.push(event);
  }

  /**
   * Hands over a write of this transaction that is already sent and whose answer the work does not
   * wait for: on a pipelining connection it shares the round trip of the statements sent after it.
   * Only for writes that fail with an SQL error (a constraint, an encoding), never with a check of
   * their result, because such an error aborts the transaction: everything after it fails, COMMIT
   * rolls back, and the transaction reports this write's error.
   */
  defer(write: Promise<unknown>): void {
    write.catch(() => undefined); // reported by `flush` or `firstFailure`
    this.deferred.push(write);
  }

  /** @internal The error of the first deferred write that failed (in the order sent), once they answered. */
  async firstFailure(): Promise<unknown> {
    for (const write of this.deferred) {
      try {
        await write;
      } catch (error) {
        return error;
      }
    }
    return undefined;
  }

  /** @internal Writes the queued events in the same transaction as the change, then awaits the deferred writes. */
  async flush(client: PoolClientLike): Promise<void> {
    let insert: Promise<unknown> | undefined;
    if (this.pending.length > 0) {
      const values: unknown[] = [];
      const rows = this.pending.map((e, i) => {
        values.push(e.id, e.type, e.occurredAt, JSON.stringify(e.data));
        return `($${i * 4 + 1}, $${i * 4 + 2}, $${i * 4 + 3}, $${i * 4 + 4}::jsonb)`;
      });
      insert = client.query(`INSERT INTO platform_outbox (id, type, occurred_at, data) VALUES ${rows.join(", ")}`, values);
      insert.catch(() => undefined); // awaited below, after the deferred writes sent before it
    }
    for (const write of this.deferred) await write;
    await insert;
  }
}

/** First key of the worker's two-key advisory locks ("pltw"). */
const WORKER_LOCK_CLASS = 0x706c7477;

interface ActiveTransaction<Tx> {
  tx: Tx;
}

/**
 * Base class of the PostgreSQL adapters: one transaction per `transaction(work)` on a
 * dedicated connection (serialization failures and deadlocks retried by re-running `work`),
 * events written to the transactional outbox in the same transaction and published to the
 * local bus after commit. Calls made inside a running transaction join it.
 *
 * Because `work` may run more than once, it must not call gateways or other side effects.
 */
const POOL_LOGGERS = new WeakMap<object, { logger: Logger; store: string }>();
const LISTENED_POOLS = new WeakSet<object>();

export abstract class PostgresStore<Tx> implements UnitOfWork<Tx>, DutyLock {
  private readonly als = new AsyncLocalStorage<ActiveTransaction<Tx>>();
  private publisher: EventPublisher | undefined;
  private logger: Logger | undefined;

  constructor(
    /** The pool (the host app's own, or from `createPool`). */
    readonly pool: PoolLike,
    private readonly options: PostgresStoreOptions = {},
  ) {}

  /** Builds the transaction object (repositories bound to `client`). */
  protected abstract createTransaction(client: PoolClientLike, outbox: PostgresOutbox): Tx;

  setEventPublisher(publisher: EventPublisher): void {
    this.publisher = publisher;
  }

  /**
   * Logs errors the pool emits for idle connections (a server restart, a network cut) to `logger`;
   * the factories call it with their `logger` option. Without a listener such an error would crash
   * the process, so one is attached even to a pool the host passed in.
   */
  setLogger(logger: Logger): void {
    this.logger = logger;
    const pool = this.pool as PoolLike & { on?: (event: "error", listener: (error: unknown) => void) => unknown };
    if (typeof pool.on !== "function") return;
    // One listener per pool, however many stores share it (tests and hosts build many stores on one
    // pool): it logs through the logger set last.
    POOL_LOGGERS.set(pool, { logger, store: this.constructor.name });
    if (!LISTENED_POOLS.has(pool)) {
      LISTENED_POOLS.add(pool);
      pool.on("error", (error) => {
        const target = POOL_LOGGERS.get(pool);
        if (target) writeLog(target.logger, "error", "idle PostgreSQL connection failed", { store: target.store }, error);
      });
    }
  }

  /**
   * Deletes up to `limit` outbox rows dispatched longer ago than `outboxRetentionMs` (default 7 days),
   * and undispatched ones older than `undispatchedOutboxRetentionMs` when set; returns how many. The outbox is shared by every package on the database, so one worker calling
   * it on any store is enough; several at once is safe. By default undispatched rows are never removed.
   * @throws ValidationError `invalid_limit`; StorageError `storage_unavailable`.
   */
  purgeOutbox(options?: PurgeOptions): Promise<number> {
    const { outboxRetentionMs, undispatchedOutboxRetentionMs } = this.options;
    return purgeDispatchedOutbox(this.pool, {
      ...options,
      ...(outboxRetentionMs !== undefined ? { retentionMs: outboxRetentionMs } : {}),
      ...(undispatchedOutboxRetentionMs !== undefined ? { undispatchedRetentionMs: undispatchedOutboxRetentionMs } : {}),
    });
  }

  /**
   * Runs `work` while this process holds the session advisory lock named `name` (key space
   * `platform.worker`), or skips it when another session holds it: the worker's lock for duties
   * whose rows are not claimed one by one. The lock lives on a connection held for the run, so a
   * process that dies releases it with its connection.
   * @throws StorageError `storage_unavailable` when the lock cannot be asked for.
   */
  async runExclusive<T>(name: string, work: () => Promise<T>): Promise<{ acquired: true; value: T } | { acquired: false }> {
    let held: Awaited<ReturnType<typeof checkout>>;
    let acquired: boolean;
    try {
      held = await checkout(this.pool);
    } catch (error) {
      throw toStorageError(error);
    }
    try {
      // Two-key advisory locks do not overlap the one-key space the migrations and stores use.
      const { rows } = await held.client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok", [
        WORKER_LOCK_CLASS,
        name,
      ]);
      acquired = rows[0]?.ok === true;
    } catch (error) {
      held.done(true);
      throw toStorageError(error);
    }
    if (!acquired) {
      held.done();
      return { acquired: false };
    }
    let value: T;
    try {
      value = await work();
    } finally {
      // A failed unlock (connection gone) must not hand the lock back to the pool with the client.
      await held.client.query("SELECT pg_advisory_unlock($1, hashtext($2))", [WORKER_LOCK_CLASS, name]).then(
        () => held.done(),
        () => held.done(true),
      );
    }
    return { acquired: true, value };
  }

  async transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const active = this.als.getStore();
    if (active) return work(active.tx);
    let committed: readonly DomainEvent[] = [];
    const result = await runTransactionWithTail(
      this.pool,
      async (client) => {
        const outbox = new PostgresOutbox();
        const tx = this.createTransaction(client, outbox);
        const value = await this.als
          .run({ tx }, () => work(tx))
          .catch(async (error: unknown) => {
            // A deferred write that failed aborted the transaction: what failed after it is its consequence.
            throw (await outbox.firstFailure()) ?? error;
          });
        committed = outbox.pending;
        // The outbox insert is the last statement: a pipelining connection sends COMMIT with it.
        return { value, tail: outbox.flush(client) };
      },
      this.options,
    );
    if (committed.length > 0) this.publisher?.(committed);
    return result;
  }
}
