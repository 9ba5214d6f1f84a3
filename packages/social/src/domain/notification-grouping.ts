import type { Notification, NotificationType } from "./notification.js";
import { actionText } from "./notification-rules.js";
import type { UserSummary } from "./user.js";

/** Notifications shown together, Mastodon 4.3 style: "jane_smith and 3 others liked your post". */
export interface NotificationGroup {
  readonly groupKey: string;
  readonly type: NotificationType;
  /** The newest notification of the group (its position in the page). */
  readonly latestAt: Date;
  readonly notificationIds: readonly string[];
  /** Up to `sampleSize` distinct actors, newest first. */
  readonly sampleActors: readonly UserSummary[];
  /** Distinct actors in the group. */
  readonly actorsCount: number;
  readonly postId: string | null;
  readonly commentId: string | null;
  /** True when any notification of the group is unread. */
  readonly unread: boolean;
  /** Ready-to-show sentence. */
  readonly summary: string;
}

/** "a", "a and b", "a and N others". */
export function actorsPhrase(names: readonly string[], total: number): string {
  if (total <= 1 || names.length === 0) return names[0] ?? "someone";
  if (total === 2 && names.length >= 2) return `${names[0]} and ${names[1]}`;
  const others = total - 1;
  return `${names[0]} and ${others} ${others === 1 ? "other" : "others"}`;
}

/**
 * Groups notifications (newest first) by `groupKey`, keeping the order of each group's newest
 * member. Groups form at read time only, so marking one read or muting an actor needs no rewrite.
 */
export function groupNotifications(
  items: readonly Notification[],
  actors: ReadonlyMap<string, UserSummary>,
  sampleSize = 3,
): NotificationGroup[] {
  const groups = new Map<string, Notification[]>();
  for (const n of items) {
    const list = groups.get(n.groupKey);
    if (list) list.push(n);
    else groups.set(n.groupKey, [n]);
  }
  const out: NotificationGroup[] = [];
  for (const [groupKey, list] of groups) {
    const first = list[0]!;
    const actorIds = [...new Set(list.map((n) => n.actorId))];
    const sample = actorIds
      .slice(0, sampleSize)
      .map((id) => actors.get(id))
      .filter((u): u is UserSummary => u !== undefined);
    out.push({
      groupKey,
      type: first.type,
      latestAt: first.createdAt,
      notificationIds: list.map((n) => n.id),
      sampleActors: sample,
      actorsCount: actorIds.length,
      postId: first.postId,
      commentId: first.commentId,
      unread: list.some((n) => n.readAt === null),
      summary: `${actorsPhrase(
        sample.map((u) => u.username),
        actorIds.length,
      )} ${actionText(first)}`,
    });
  }
  return out;
}
