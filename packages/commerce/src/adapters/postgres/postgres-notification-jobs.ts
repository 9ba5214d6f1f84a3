import { systemClock, type Clock } from "@platform/core";
import type { EmailSender, SmsSender } from "../../ports/notification-ports.js";
import { NotificationDispatcher, type NotificationDispatchReport } from "../../services/notification-dispatcher.js";
import type { PostgresCommerceStore } from "./postgres-commerce-store.js";

export type { IdentifiedEmailMessage, IdentifiedSmsMessage } from "../../ports/notification-ports.js";

/** Options of {@link PostgresNotificationJobs}. */
export interface PostgresNotificationJobsOptions {
  /** The commerce store whose `commerce_notifications` queues are sent. */
  store: PostgresCommerceStore;
  /** Sends email; receives `IdentifiedEmailMessage`s (pass `id` on, e.g. as Message-ID). */
  email: EmailSender;
  /** Sends SMS (SMS notifications are left to another dispatcher when null or absent). */
  sms?: SmsSender | null;
  clock?: Clock;
  /** Total tries per notification (default 5) and the waits before each retry (the last repeats). */
  retry?: { attempts?: number; delaysMs?: readonly number[] };
  /** How long a claim lasts (default 60 s). */
  leaseMs?: number;
}

/** What one {@link PostgresNotificationJobs.runOnce} did. */
export type NotificationRunReport = NotificationDispatchReport;

/**
 * The notification dispatcher of a worker process on PostgreSQL. The platform records each
 * notification in the transaction of its event (`commerce_notifications`, one queue per
 * recipient); this sends them in order per recipient from any number of processes (claims
 * are leases taken with `FOR UPDATE SKIP LOCKED`), retries on `retry.delaysMs`, and dead-letters
 * the last failure with `notification.failed`. App servers' in-process notifiers send through
 * the same queues, so no sender needs to discard: the worker sends what they left (retries, a
 * crashed process's messages once their lease lapses).
 * @example
 * ```ts
 * const jobs = new PostgresNotificationJobs({ store, email: new SmtpEmailSender(smtpOptionsFromEnv()) });
 * setInterval(() => void jobs.runOnce(), 1000);
 * ```
 */
export class PostgresNotificationJobs extends NotificationDispatcher {
  constructor(options: PostgresNotificationJobsOptions) {
    const { store, clock, ...dispatcher } = options;
    super({ store, clock: clock ?? systemClock }, dispatcher);
  }

  /**
   * Sends what is due, until none is claimable.
   * @throws StorageError `storage_unavailable` when the database is unreachable.
   */
  runOnce(): Promise<NotificationRunReport> {
    return this.dispatchDue();
  }
}
