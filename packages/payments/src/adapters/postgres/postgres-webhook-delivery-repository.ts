import { createId, type CursorCodec, type Page } from "@platform/core";
import type { Queryable } from "@platform/core/postgres";
import type { DeliveryAttempt, WebhookDelivery } from "../../domain/webhook-delivery.js";
import type { DeliveryMessage, PageQuery, WebhookDeliveryRepository } from "../../ports/payment-store.js";
import { afterKey, toPage } from "./keyset.js";
import { run, type DeferWrite } from "./sql-errors.js";

interface DeliveryRow {
  id: string;
  endpoint_id: string;
  message_id: string;
  event_type: string;
  payload: string;
  status: WebhookDelivery["status"];
  attempt_count: number;
  attempts: (Omit<DeliveryAttempt, "at"> & { at: string })[];
  next_attempt_at: Date | null;
  lease_until: Date | null;
  lease_token: string | null;
  replay_of: string | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS =
  "id, endpoint_id, message_id, event_type, payload, status, attempt_count, attempts, next_attempt_at, lease_until, lease_token, replay_of, created_at, updated_at";

function toDelivery(r: DeliveryRow): WebhookDelivery {
  return {
    id: r.id,
    endpointId: r.endpoint_id,
    messageId: r.message_id,
    eventType: r.event_type,
    payload: r.payload,
    status: r.status,
    attemptCount: r.attempt_count,
    attempts: r.attempts.map((a) => ({ ...a, at: new Date(a.at) })),
    nextAttemptAt: r.next_attempt_at ?? undefined,
    leaseUntil: r.lease_until ?? undefined,
    leaseToken: r.lease_token ?? undefined,
    replayOf: r.replay_of ?? undefined,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function values(d: WebhookDelivery): unknown[] {
  return [
    d.id,
    d.endpointId,
    d.messageId,
    d.eventType,
    d.payload,
    d.status,
    d.attemptCount,
    JSON.stringify(d.attempts),
    d.nextAttemptAt ?? null,
    d.leaseUntil ?? null,
    d.leaseToken ?? null,
    d.replayOf ?? null,
    d.createdAt,
    d.updatedAt,
  ];
}

// One delivery per enabled endpoint whose filters (`*`, `payment.*`, exact) match the event type. Each
// id is `whd_` and 24 characters of the SHA-256 of a fresh random id ($1) and the endpoint's id: as
// unpredictable as that id, distinct per endpoint, and of the shape `createId` makes.
const INSERT_FOR_EVENT_SQL = `INSERT INTO webhook_deliveries (id, endpoint_id, message_id, event_type, payload, status, attempt_count, attempts, next_attempt_at, created_at, updated_at)
  SELECT 'whd_' || left(translate(encode(sha256(convert_to($1::text || e.id, 'UTF8')), 'base64'), '+/=', 'Ab'), 24),
         e.id, $2, $3, $4, 'pending', 0, '[]'::jsonb, $5, $5, $5
    FROM webhook_endpoints e
   WHERE e.enabled AND EXISTS (SELECT 1 FROM unnest(e.events) AS f WHERE f = '*' OR f = $3 OR (right(f, 2) = '.*' AND starts_with($3, left(f, -1))))`;

// Identity, message and payload of a delivery never change.
const UPDATE_SQL =
  "UPDATE webhook_deliveries SET status = $2, attempt_count = $3, attempts = $4, next_attempt_at = $5, lease_until = $6, lease_token = $7, updated_at = $8";

function stateValues(d: WebhookDelivery): unknown[] {
  return [
    d.id,
    d.status,
    d.attemptCount,
    JSON.stringify(d.attempts),
    d.nextAttemptAt ?? null,
    d.leaseUntil ?? null,
    d.leaseToken ?? null,
    d.updatedAt,
  ];
}

/**
 * The dispatcher's durable job queue on `webhook_deliveries`: a delivery is `pending` with its
 * retry time in `next_attempt_at`, and `claimDue` takes due rows (and rows whose lease lapsed
 * because their dispatcher died) with `FOR UPDATE SKIP LOCKED`, so any number of dispatcher
 * processes share the queue without sending a delivery twice while its lease holds.
 * @throws ConflictError `duplicate_id`, `duplicate_delivery` (one delivery per event and endpoint);
 *   ValidationError `nul_character`, `invalid_cursor`.
 */
export class PostgresWebhookDeliveryRepository implements WebhookDeliveryRepository {
  constructor(
    private readonly db: Queryable,
    private readonly codec: CursorCodec,
    private readonly defer?: DeferWrite,
  ) {}

  async insertForEvent(message: DeliveryMessage, now: Date, onWritten: (count: number) => void): Promise<void> {
    const write = run(this.db, INSERT_FOR_EVENT_SQL, [createId("whd"), message.id, message.type, message.payload, now]).then((r) =>
      onWritten(r.rowCount ?? 0),
    );
    if (this.defer) this.defer(write);
    else await write;
  }

  async get(id: string): Promise<WebhookDelivery | null> {
    const { rows } = await run<DeliveryRow>(this.db, `SELECT ${COLUMNS} FROM webhook_deliveries WHERE id = $1`, [id]);
    return rows[0] ? toDelivery(rows[0]) : null;
  }

  async insert(d: WebhookDelivery): Promise<void> {
    await run(
      this.db,
      `INSERT INTO webhook_deliveries (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      values(d),
    );
  }

  async update(d: WebhookDelivery): Promise<void> {
    await run(this.db, `${UPDATE_SQL} WHERE id = $1`, stateValues(d));
  }

  async recordAttempt(d: WebhookDelivery, leaseToken: string): Promise<boolean> {
    // Conditional on the claim: a dispatcher whose lease was taken over writes nothing.
    const { rowCount } = await run(this.db, `${UPDATE_SQL} WHERE id = $1 AND status = 'sending' AND lease_token = $9`, [
      ...stateValues(d),
      leaseToken,
    ]);
    return rowCount === 1;
  }

  async claimDue(now: Date, leaseUntil: Date, limit: number, leaseToken: string): Promise<WebhookDelivery[]> {
    const { rows } = await run<DeliveryRow>(
      this.db,
      `WITH due AS (
         SELECT id FROM webhook_deliveries
          WHERE (status = 'pending' AND next_attempt_at <= $1) OR (status = 'sending' AND lease_until <= $1)
          ORDER BY next_attempt_at LIMIT $3
          FOR UPDATE SKIP LOCKED)
       UPDATE webhook_deliveries d SET status = 'sending', lease_until = $2, lease_token = $4, updated_at = $1
         FROM due WHERE d.id = due.id
       RETURNING ${COLUMNS.split(", ")
         .map((c) => `d.${c}`)
         .join(", ")}`,
      [now, leaseUntil, limit, leaseToken],
    );
    return rows.map(toDelivery).sort((a, b) => (a.nextAttemptAt?.getTime() ?? 0) - (b.nextAttemptAt?.getTime() ?? 0));
  }

  async claim(id: string, now: Date, leaseUntil: Date, leaseToken: string): Promise<WebhookDelivery | null> {
    const { rows } = await run<DeliveryRow>(
      this.db,
      `UPDATE webhook_deliveries SET status = 'sending', lease_until = $3, lease_token = $4, updated_at = $2
        WHERE id = $1 AND NOT (status = 'sending' AND lease_until > $2)
        RETURNING ${COLUMNS}`,
      [id, now, leaseUntil, leaseToken],
    );
    return rows[0] ? toDelivery(rows[0]) : null;
  }

  async listByEndpoint(endpointId: string, page: PageQuery): Promise<Page<WebhookDelivery>> {
    const after = afterKey(this.codec, "webhooks.deliveries", page.cursor);
    const { rows } = await run<DeliveryRow>(
      this.db,
      `SELECT ${COLUMNS} FROM webhook_deliveries
        WHERE endpoint_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3))
        ORDER BY created_at DESC, id DESC LIMIT $4`,
      [endpointId, after ? new Date(Number(after[0])) : null, after?.[1] ?? "", page.limit + 1],
    );
    return toPage(this.codec, rows.map(toDelivery), page.limit, "webhooks.deliveries", (d) => [d.createdAt.getTime(), d.id]);
  }

  async nextDueAt(): Promise<Date | null> {
    const { rows } = await run<{ at: Date | null }>(
      this.db,
      `SELECT least(
         (SELECT min(next_attempt_at) FROM webhook_deliveries WHERE status = 'pending'),
         (SELECT min(lease_until) FROM webhook_deliveries WHERE status = 'sending')) AS at`,
    );
    return rows[0]?.at ?? null;
  }

  async purgeFinished(before: Date, limit: number): Promise<number> {
    // An original referenced by a replay (foreign key replay_of) waits until the replay is purged.
    const { rowCount } = await run(
      this.db,
      `DELETE FROM webhook_deliveries WHERE id IN (
         SELECT d.id FROM webhook_deliveries d
          WHERE d.status IN ('succeeded', 'failed') AND d.updated_at <= $1
            AND NOT EXISTS (SELECT 1 FROM webhook_deliveries r WHERE r.replay_of = d.id)
          ORDER BY d.updated_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      [before, limit],
    );
    return rowCount ?? 0;
  }
}
