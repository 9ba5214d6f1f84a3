import type { Notification } from "../domain/notification.js";
import type { Keyset } from "./keyset.js";

/** Notifications. `(recipient_id, dedupe_key)` is unique. */
export interface NotificationRepository {
  /** The new notification, or null when the same (recipient, dedupe key) already exists. */
  insertIfAbsent(notification: Omit<Notification, "seq">): Promise<Notification | null>;
  get(id: string): Promise<Notification | null>;
  /** Newest first. */
  listByRecipient(recipientId: string, page: Keyset & { unreadOnly?: boolean }): Promise<Notification[]>;
  /** Unread notifications of a recipient, not counting those from users the recipient muted with `hideNotifications` (the list hides them too). */
  countUnread(recipientId: string): Promise<number>;
  /** Marks one read; false when it already was. */
  markRead(id: string, at: Date): Promise<boolean>;
  /** Marks every unread notification of a recipient read; returns how many changed. */
  markAllRead(recipientId: string, at: Date): Promise<number>;
  /** Deletes every notification `actorId` caused to `recipientId` (a block); returns how many. */
  deleteFromActor(recipientId: string, actorId: string): Promise<number>;
  count(): Promise<number>;
}
