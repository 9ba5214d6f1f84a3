import type { Notification } from "../../domain/notification.js";
import type { Keyset } from "../../ports/keyset.js";
import type { NotificationRepository } from "../../ports/notification-repository.js";
import { pair, type MemorySocialTables } from "./memory-social-tables.js";

/** {@link NotificationRepository} on the memory store. */
export class MemoryNotificationRepository implements NotificationRepository {
  constructor(private readonly store: MemorySocialTables) {}

  async insertIfAbsent(notification: Omit<Notification, "seq">): Promise<Notification | null> {
    const t = this.store.notificationTable;
    if (t.getByUnique("dedupe", pair(notification.recipientId, notification.dedupeKey))) return null;
    return t.insert({ ...notification, seq: this.store.nextSeq() });
  }

  async get(id: string): Promise<Notification | null> {
    return this.store.notificationTable.get(id) ?? null;
  }

  async listByRecipient(recipientId: string, page: Keyset & { unreadOnly?: boolean }): Promise<Notification[]> {
    return this.store.notificationTable.page(page.unreadOnly ? "unread" : "recipient", recipientId, page.before, page.limit);
  }

  async countUnread(recipientId: string): Promise<number> {
    let n = 0;
    for (const id of this.store.notificationTable.ids("unread", recipientId)) {
      const actorId = this.store.notificationTable.get(id)!.actorId;
      if (!this.store.muteTable.getByUnique("pair", pair(recipientId, actorId))?.hideNotifications) n++;
    }
    return n;
  }

  async markRead(id: string, at: Date): Promise<boolean> {
    const n = this.store.notificationTable.get(id);
    if (!n || n.readAt) return false;
    this.store.notificationTable.update({ ...n, readAt: at });
    return true;
  }

  async markAllRead(recipientId: string, at: Date): Promise<number> {
    const ids = [...this.store.notificationTable.ids("unread", recipientId)];
    for (const id of ids) this.store.notificationTable.update({ ...this.store.notificationTable.get(id)!, readAt: at });
    return ids.length;
  }

  async deleteFromActor(recipientId: string, actorId: string): Promise<number> {
    const ids = [...this.store.notificationTable.ids("pair", pair(recipientId, actorId))];
    for (const id of ids) this.store.notificationTable.delete(id);
    return ids.length;
  }

  async count(): Promise<number> {
    return this.store.notificationTable.count("all", "all");
  }
}
