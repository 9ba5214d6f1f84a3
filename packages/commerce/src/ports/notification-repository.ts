import type { Page } from "@platform/core";
import type {
  ClaimedNotification,
  DeadLetterNotification,
  NewNotification,
  NotificationChannel,
  NotificationSettlement,
} from "../domain/notification-job.js";

/** What {@link NotificationRepository.claimNext} needs. */
export interface NotificationClaim {
  readonly now: Date;
  /** The claim lapses then (a process that died mid-send releases it this way). */
  readonly leaseUntil: Date;
  /** Unique per claim: only its holder can settle the notification. */
  readonly claimToken: string;
  /** The channels the claimer can send on. */
  readonly channels: readonly NotificationChannel[];
}

/**
 * Durable, ordered notification queues (one per recipient), written in the transaction of the
 * event they announce. Claims are safe across processes sharing the store.
 */
export interface NotificationRepository {
  /**
   * Records notifications, after every one recorded before in each recipient's queue (in the given
   * order). May be deferred to the commit (a failure then fails the transaction).
   */
  enqueue(notifications: readonly NewNotification[]): Promise<void>;
  /**
   * Claims one due notification that heads its recipient's queue (no earlier one pending) and
   * that no live claim holds, counting the attempt. Null when none is claimable.
   */
  claimNext(claim: NotificationClaim): Promise<ClaimedNotification | null>;
  /** Settles a claimed notification. False (and nothing changes) when the claim was lost. */
  settle(id: string, claimToken: string, settlement: NotificationSettlement): Promise<boolean>;
  /** Dead-lettered notifications, oldest first (by queue order), in keyset pages. */
  listDeadLetters(page: { limit: number; cursor: string | null }): Promise<Page<DeadLetterNotification>>;
  /**
   * Queues a dead-lettered notification again: due at `now`, with a fresh count of attempts (its last
   * error kept). Null when no notification has this id or it was sent (sent ones need not be kept);
   * `false` when it is still queued.
   */
  requeueDeadLetter(id: string, now: Date): Promise<DeadLetterNotification | false | null>;
}
