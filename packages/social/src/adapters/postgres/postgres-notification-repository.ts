import type { Queryable } from "@platform/core/postgres";
import type { Notification } from "../../domain/notification.js";
import type { Keyset } from "../../ports/keyset.js";
import type { NotificationRepository } from "../../ports/notification-repository.js";
import { toNotification, type NotificationRow } from "./rows.js";
import { beforeBound, run } from "./sql-errors.js";

/**
 * {@link NotificationRepository} on `social_notifications`, unique per `(recipient_id, dedupe_key)`
 * (`ON CONFLICT DO NOTHING`: like-unlike-like notifies once).
 * @throws ValidationError `nul_character`.
 */
export class PostgresNotificationRepository implements NotificationRepository {
  constructor(private readonly db: Queryable) {}

  async insertIfAbsent(n: Omit<Notification, "seq">): Promise<Notification | null> {
    const { rows } = await run<NotificationRow>(
      this.db,
      `INSERT INTO social_notifications (id, recipient_id, type, actor_id, post_id, comment_id, dedupe_key, group_key, read_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (recipient_id, dedupe_key) DO NOTHING RETURNING *`,
      [n.id, n.recipientId, n.type, n.actorId, n.postId, n.commentId, n.dedupeKey, n.groupKey, n.readAt, n.createdAt],
    );
    return rows[0] ? toNotification(rows[0]) : null;
  }

  async get(id: string): Promise<Notification | null> {
    const { rows } = await run<NotificationRow>(this.db, "SELECT * FROM social_notifications WHERE id = $1", [id]);
    return rows[0] ? toNotification(rows[0]) : null;
  }

  async listByRecipient(recipientId: string, page: Keyset & { unreadOnly?: boolean }): Promise<Notification[]> {
    const { rows } = await run<NotificationRow>(
      this.db,
      `SELECT * FROM social_notifications WHERE recipient_id = $1 AND seq < $2 ${page.unreadOnly ? "AND read_at IS NULL" : ""} ORDER BY seq DESC LIMIT $3`,
      [recipientId, beforeBound(page.before), page.limit],
    );
    return rows.map(toNotification);
  }

  async countUnread(recipientId: string): Promise<number> {
    const { rows } = await run<{ n: number }>(
      this.db,
      `SELECT count(*)::int AS n FROM social_notifications n
        WHERE n.recipient_id = $1 AND n.read_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM social_mutes m WHERE m.muter_id = $1 AND m.muted_id = n.actor_id AND m.hide_notifications)`,
      [recipientId],
    );
    return rows[0]!.n;
  }

  async markRead(id: string, at: Date): Promise<boolean> {
    const { rowCount } = await run(this.db, "UPDATE social_notifications SET read_at = $2 WHERE id = $1 AND read_at IS NULL", [id, at]);
    return (rowCount ?? 0) > 0;
  }

  async markAllRead(recipientId: string, at: Date): Promise<number> {
    const { rowCount } = await run(this.db, "UPDATE social_notifications SET read_at = $2 WHERE recipient_id = $1 AND read_at IS NULL", [
      recipientId,
      at,
    ]);
    return rowCount ?? 0;
  }

  async deleteFromActor(recipientId: string, actorId: string): Promise<number> {
    const { rowCount } = await run(this.db, "DELETE FROM social_notifications WHERE recipient_id = $1 AND actor_id = $2", [
      recipientId,
      actorId,
    ]);
    return rowCount ?? 0;
  }

  async count(): Promise<number> {
    const { rows } = await run<{ n: number }>(this.db, "SELECT count(*)::int AS n FROM social_notifications");
    return rows[0]!.n;
  }
}
