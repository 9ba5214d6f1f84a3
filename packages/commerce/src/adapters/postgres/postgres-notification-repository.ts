import { z } from "zod";
import type { CursorCodec, Page } from "@platform/core";
import type {
  ClaimedNotification,
  DeadLetterNotification,
  NewNotification,
  NotificationChannel,
  NotificationSettlement,
} from "../../domain/notification-job.js";
import type { EmailMessage, SmsMessage } from "../../ports/notification-ports.js";
import type { NotificationClaim, NotificationRepository } from "../../ports/notification-repository.js";
import type { Sql } from "./sql-runner.js";

interface ClaimedRow {
  id: string;
  event_id: string;
  channel: NotificationChannel;
  recipient: string;
  template: string;
  message: EmailMessage | SmsMessage;
  attempts: number;
}

/**
 * Notification queues in `commerce_notifications`. A claim takes the due head of a recipient's
 * queue with `FOR UPDATE SKIP LOCKED` and leases it (the row lock ends with the claim's short
 * transaction): processes never take the same row while a lease lives, and never a row whose
 * predecessor in its queue is still pending.
 */
export class PostgresNotificationRepository implements NotificationRepository {
  constructor(
    private readonly sql: Sql,
    private readonly codec: CursorCodec,
  ) {}

  async enqueue(notifications: readonly NewNotification[]): Promise<void> {
    // One row at a time, in order: seq (bigserial) follows the order of the inserts. Deferred (sent
    // with the COMMIT): a failed insert fails the transaction; an existing (event, channel) row is kept.
    for (const n of notifications) {
      await this.sql.defer(
        `INSERT INTO commerce_notifications (id, event_id, channel, template, recipient, message, next_attempt_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $7) ON CONFLICT (event_id, channel) DO NOTHING`,
        [n.id, n.eventId, n.channel, n.template, n.recipient, JSON.stringify(n.message), n.createdAt],
      );
    }
  }

  async claimNext(claim: NotificationClaim): Promise<ClaimedNotification | null> {
    const rows = await this.sql.rows<ClaimedRow>(
      `UPDATE commerce_notifications c SET attempts = c.attempts + 1, lease_until = $2, claim_token = $3
        WHERE c.id = (
          SELECT n.id FROM commerce_notifications n
           WHERE n.status = 'pending' AND n.channel = ANY ($4::text[]) AND n.next_attempt_at <= $1
             AND (n.lease_until IS NULL OR n.lease_until <= $1)
             AND NOT EXISTS (SELECT 1 FROM commerce_notifications p
                              WHERE p.status = 'pending' AND p.channel = n.channel AND p.recipient = n.recipient AND p.seq < n.seq)
           ORDER BY n.next_attempt_at, n.seq LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING c.id, c.event_id, c.channel, c.recipient, c.template, c.message, c.attempts`,
      [claim.now, claim.leaseUntil, claim.claimToken, claim.channels],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      id: row.id,
      eventId: row.event_id,
      channel: row.channel,
      recipient: row.recipient,
      template: row.template,
      message: row.message,
      attempts: row.attempts,
      claimToken: claim.claimToken,
    };
  }

  async settle(id: string, claimToken: string, settlement: NotificationSettlement): Promise<boolean> {
    const where = "WHERE id = $1 AND claim_token = $2 AND status = 'pending'";
    const result =
      settlement.status === "sent"
        ? await this.sql.query(
            `UPDATE commerce_notifications SET status = 'sent', sent_at = $3, last_error = NULL, lease_until = NULL, claim_token = NULL ${where}`,
            [id, claimToken, settlement.at],
          )
        : settlement.status === "released"
          ? await this.sql.query(`UPDATE commerce_notifications SET lease_until = NULL, claim_token = NULL ${where}`, [id, claimToken])
          : settlement.status === "retry"
            ? await this.sql.query(
                `UPDATE commerce_notifications SET next_attempt_at = $3, last_error = $4, lease_until = NULL, claim_token = NULL ${where}`,
                [id, claimToken, settlement.nextAttemptAt, settlement.error],
              )
            : await this.sql.query(
                `UPDATE commerce_notifications SET status = 'failed', last_error = $3, lease_until = NULL, claim_token = NULL ${where}`,
                [id, claimToken, settlement.error],
              );
    return (result.rowCount ?? 0) > 0;
  }

  async listDeadLetters(page: { limit: number; cursor: string | null }): Promise<Page<DeadLetterNotification>> {
    const kind = "notifications.dead_letters";
    const after = page.cursor ? this.codec.decode(kind, page.cursor, seqKeySchema) : null;
    const rows = await this.sql.rows<DeadLetterRow>(
      `SELECT ${DEAD_LETTER_COLUMNS} FROM commerce_notifications
        WHERE status = 'failed' AND seq > $1 ORDER BY seq LIMIT $2`,
      [after ? after[0] : 0, page.limit + 1],
    );
    const items = rows.slice(0, page.limit);
    const last = items[items.length - 1];
    return {
      items: items.map(toDeadLetter),
      nextCursor: rows.length > page.limit && last ? this.codec.encode(kind, [Number(last.seq), last.id]) : null,
    };
  }

  async requeueDeadLetter(id: string, now: Date): Promise<DeadLetterNotification | false | null> {
    const rows = await this.sql.rows<DeadLetterRow>(
      `UPDATE commerce_notifications SET status = 'pending', attempts = 0, next_attempt_at = $2, lease_until = NULL, claim_token = NULL
        WHERE id = $1 AND status = 'failed' RETURNING ${DEAD_LETTER_COLUMNS}`,
      [id, now],
    );
    if (rows[0]) return toDeadLetter(rows[0]);
    const exists = await this.sql.rows<{ id: string }>("SELECT id FROM commerce_notifications WHERE id = $1 AND status <> 'sent'", [id]);
    return exists.length > 0 ? false : null;
  }
}

const seqKeySchema = z.tuple([z.number(), z.string()]);
const DEAD_LETTER_COLUMNS = "id, event_id, channel, recipient, template, attempts, last_error, created_at, seq";

interface DeadLetterRow {
  id: string;
  event_id: string;
  channel: NotificationChannel;
  recipient: string;
  template: string;
  attempts: number;
  last_error: string | null;
  created_at: Date;
  seq: string | number;
}

function toDeadLetter(r: DeadLetterRow): DeadLetterNotification {
  return {
    id: r.id,
    eventId: r.event_id,
    channel: r.channel,
    recipient: r.recipient,
    template: r.template,
    attempts: r.attempts,
    lastError: r.last_error,
    createdAt: r.created_at,
  };
}
