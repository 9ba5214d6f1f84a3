import { parse } from "../validation/parse.js";
import { purgeOptionsSchema, type PurgeOptions } from "../validation/schemas.js";
import { toStorageError } from "./errors.js";
import type { Queryable } from "./queryable.js";

/** Default retention of dispatched outbox rows: 7 days after dispatch. */
export const DEFAULT_OUTBOX_RETENTION_MS = 7 * 24 * 3_600_000;

/**
 * Deletes up to `limit` rows of `platform_outbox` that a dispatcher handed on more than
 * `retentionMs` ago (by the database clock, which stamped `dispatched_at`); returns how many.
 * Rows never dispatched stay, whatever their age: they are work not yet done. One bounded
 * `DELETE ... FOR UPDATE SKIP LOCKED`, so several processes may purge at once.
 * @throws ValidationError `invalid_limit`; StorageError `storage_unavailable`.
 * @example
 * ```ts
 * while ((await purgeDispatchedOutbox(pool, { limit: 1000 })) === 1000);
 * ```
 */
export async function purgeDispatchedOutbox(db: Queryable, options?: PurgeOptions & { retentionMs?: number }): Promise<number> {
  const { limit } = parse(purgeOptionsSchema, options === undefined ? undefined : { limit: options.limit });
  const retentionMs = Math.max(0, Math.trunc(options?.retentionMs ?? DEFAULT_OUTBOX_RETENTION_MS));
  try {
    const r = await db.query(
      `DELETE FROM platform_outbox WHERE seq IN (
         SELECT seq FROM platform_outbox
          WHERE dispatched_at <= now() - $1::bigint * interval '1 millisecond'
          ORDER BY dispatched_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      [retentionMs, limit],
    );
    return r.rowCount ?? 0;
  } catch (error) {
    throw toStorageError(error);
  }
}
