import { parse } from "../validation/parse.js";
import { purgeOptionsSchema, type PurgeOptions } from "../validation/schemas.js";
import { toStorageError } from "./errors.js";
import type { Queryable } from "./queryable.js";

/** Default retention of dispatched outbox rows: 7 days after dispatch. */
export const DEFAULT_OUTBOX_RETENTION_MS = 7 * 24 * 3_600_000;

/** How long outbox rows are kept. */
export interface OutboxRetention {
  /** Rows a dispatcher handed on, after dispatch (database clock). Default 7 days. */
  retentionMs?: number;
  /**
   * Rows never dispatched, after they occurred. Default none: such rows are work not yet done and
   * stay. Set it only when no durable consumer reads some event types (events then go to the
   * in-process bus only), or those rows pile up for ever; a consumer that lags by more than this
   * loses events.
   */
  undispatchedRetentionMs?: number | null;
}

/**
 * Deletes up to `limit` rows of `platform_outbox`: rows a dispatcher handed on more than
 * `retentionMs` ago (by the database clock, which stamped `dispatched_at`), then, only when
 * `undispatchedRetentionMs` is set, rows never dispatched that occurred longer ago than that.
 * Returns how many. Bounded `DELETE ... FOR UPDATE SKIP LOCKED` batches, so several processes may
 * purge at once.
 * @throws ValidationError `invalid_limit`; StorageError `storage_unavailable`.
 * @example
 * ```ts
 * while ((await purgeDispatchedOutbox(pool, { limit: 1000 })) === 1000);
 * ```
 */
export async function purgeDispatchedOutbox(db: Queryable, options?: PurgeOptions & OutboxRetention): Promise<number> {
  const { limit } = parse(purgeOptionsSchema, options === undefined ? undefined : { limit: options.limit });
  const ms = (v: number) => Math.max(0, Math.trunc(v));
  const retentionMs = ms(options?.retentionMs ?? DEFAULT_OUTBOX_RETENTION_MS);
  const undispatched = options?.undispatchedRetentionMs ?? null;
  try {
    const dispatched = await db.query(
      `DELETE FROM platform_outbox WHERE seq IN (
         SELECT seq FROM platform_outbox
          WHERE dispatched_at <= now() - $1::bigint * interval '1 millisecond'
          ORDER BY dispatched_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      [retentionMs, limit],
    );
    const removed = dispatched.rowCount ?? 0;
    if (undispatched === null || removed >= limit) return removed;
    const stale = await db.query(
      `DELETE FROM platform_outbox WHERE seq IN (
         SELECT seq FROM platform_outbox
          WHERE dispatched_at IS NULL AND occurred_at <= now() - $1::bigint * interval '1 millisecond'
          ORDER BY seq LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      [ms(undispatched), limit - removed],
    );
    return removed + (stale.rowCount ?? 0);
  } catch (error) {
    throw toStorageError(error);
  }
}
