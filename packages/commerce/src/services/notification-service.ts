import {
  ConflictError,
  createEvent,
  NotFoundError,
  pageRequestSchema,
  parse,
  requireRole,
  writeLog,
  type Actor,
  type EventBus,
  type Page,
  type PageRequest,
} from "@platform/core";
import { commerceCodes } from "../domain/error-codes.js";
import type { DeadLetterNotification } from "../domain/notification-job.js";
import { z } from "zod";
import type { CommerceEvents } from "../domain/events.js";
import { emailMessageSchema, smsMessageSchema } from "../domain/notification-message.js";
import type { EmailMessage, EmailSender, SmsMessage, SmsSender } from "../ports/notification-ports.js";
import { NotificationDispatcher, type NotificationDispatchReport } from "./notification-dispatcher.js";
import { NOTIFYING_EVENTS, type NotificationRecorder } from "./notification-recorder.js";
import type { ServiceContext } from "./service-context.js";

const dispatchOptionsSchema = z.object({ limit: z.number().int().min(1).max(10_000).default(1_000) });
const deadLetterRefSchema = z.object({ notificationId: z.string().trim().min(1).max(64) }).strict();

/** Retry policy of sends. */
export interface RetryPolicy {
  /** Total tries, including the first. Default 3. */
  attempts: number;
  /** Wait before each retry, in ms (the last value repeats). Default [200, 1000]. */
  delaysMs: number[];
}

/** Options of the {@link NotificationService}. */
export interface NotificationOptions {
  email: EmailSender;
  sms?: SmsSender | null;
  retry?: Partial<RetryPolicy>;
  /** Waits between retries; tests inject an instant one. */
  sleep?: (ms: number) => Promise<void>;
  /** How long a send may take before another process may take the message over (default 60 s). */
  leaseMs?: number;
  /**
   * Send after each notifying commit in this process (default true). False records only, for
   * app servers that leave sending to a worker calling `dispatchDue` (or `PostgresNotificationJobs`).
   */
  sendInProcess?: boolean;
}

/**
 * Sends customer messages when events happen (order paid -> confirmation, order shipped ->
 * notice, password changed -> security notice), by email and, when the customer has a
 * phone, SMS. The messages are recorded in the transaction of their event (see
 * {@link NotificationRecorder}); after commit this service sends them through a
 * {@link NotificationDispatcher}: in order per recipient, retried, then reported as
 * `notification.failed`. A failing notifier never fails an order. On a shared store every
 * process may run it: each message goes out once, by whichever process claims it.
 */
export class NotificationService {
  private readonly retry: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly dispatcher: NotificationDispatcher;
  private running: Promise<void> | null = null;
  private again = false;

  /** With `events`, each committed notifying event starts a dispatch run (unless `sendInProcess` is false). */
  constructor(
    private readonly ctx: ServiceContext,
    private readonly options: NotificationOptions,
    events?: EventBus<CommerceEvents>,
  ) {
    this.retry = { attempts: options.retry?.attempts ?? 3, delaysMs: options.retry?.delaysMs ?? [200, 1000] };
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.dispatcher = new NotificationDispatcher(ctx, {
      email: options.email,
      sms: options.sms ?? null,
      retry: this.retry,
      ...(options.leaseMs !== undefined ? { leaseMs: options.leaseMs } : {}),
    });
    if (events && options.sendInProcess !== false) {
      for (const type of NOTIFYING_EVENTS) events.on(type as keyof CommerceEvents, () => this.kick());
    }
  }

  /** Resolves when the dispatch runs started so far have finished (every message sent, dead-lettered, or left to a later run). */
  async flush(): Promise<void> {
    while (this.running) await this.running;
  }

  /**
   * Sends the recorded messages that are due, in order per recipient (for hosts that run it on a
   * timer, e.g. to send what a crashed process left behind).
   * @throws StorageError `storage_unavailable` when the store is unreachable.
   */
  dispatchDue(options: { limit?: number; signal?: AbortSignal } = {}): Promise<NotificationDispatchReport> {
    const { signal, ...rest } = options;
    const { limit } = parse(dispatchOptionsSchema, rest);
    return this.dispatcher.dispatchDue(limit, signal);
  }

  /**
   * Dead-lettered notifications (every attempt failed, `notification.failed` was recorded), oldest
   * first, in keyset pages (admin). They stay in the store (on PostgreSQL, `commerce_notifications`)
   * until sent by {@link retryDeadLetter}.
   * @throws ForbiddenError `role_required`. @throws ValidationError for a malformed page request.
   * @example
   * ```ts
   * const { items, nextCursor } = await platform.notifications.listDeadLetters(ADMIN_ACTOR, { limit: 50 });
   * ```
   */
  async listDeadLetters(actor: Actor, input: PageRequest = {}): Promise<Page<DeadLetterNotification>> {
    requireRole(actor, "admin");
    const page = parse(pageRequestSchema, input);
    return this.ctx.store.transaction((tx) => tx.notifications.listDeadLetters({ limit: page.limit, cursor: page.cursor ?? null }));
  }

  /**
   * Queues a dead-lettered notification again (admin): due now, with a fresh count of attempts, at
   * its place in its recipient's queue (so it goes out before that recipient's later messages). With
   * in-process sending it is sent at once; otherwise by the next `dispatchDue` (the worker).
   * @throws NotFoundError `notification_not_found` (no such id, or it was sent). @throws ConflictError
   *   `notification_not_dead_lettered` (still queued). @throws ForbiddenError `role_required`.
   */
  async retryDeadLetter(actor: Actor, input: { notificationId: string }): Promise<DeadLetterNotification> {
    requireRole(actor, "admin");
    const { notificationId } = parse(deadLetterRefSchema, input);
    const requeued = await this.ctx.store.transaction((tx) => tx.notifications.requeueDeadLetter(notificationId, this.ctx.clock.now()));
    if (requeued === null) throw NotFoundError.of(commerceCodes.notification_not_found, "notification", notificationId);
    if (requeued === false)
      throw new ConflictError(commerceCodes.notification_not_dead_lettered, `notification ${notificationId} is not dead-lettered`, {
        details: { notificationId },
      });
    if (this.options.sendInProcess !== false) this.kick();
    return requeued;
  }

  /** Sends an email with retries (admin); resolves false when every attempt failed. @throws ValidationError for a malformed message. @throws ForbiddenError `role_required`. */
  async sendEmail(actor: Actor, message: EmailMessage): Promise<boolean> {
    requireRole(actor, "admin");
    const m = parse(emailMessageSchema, message);
    return this.withRetry("email", m.template, m.to, () => this.options.email.send(m));
  }

  /** Sends an SMS with retries (admin; false without an SMS sender or when every attempt failed). @throws ValidationError. @throws ForbiddenError `role_required`. */
  async sendSms(actor: Actor, message: SmsMessage): Promise<boolean> {
    requireRole(actor, "admin");
    const m = parse(smsMessageSchema, message);
    const sms = this.options.sms;
    if (!sms) return false;
    return this.withRetry("sms", m.template, m.to, () => sms.send(m));
  }

  private kick(): void {
    this.again = true;
    // A kick that lands after the loop's last check but before it settles starts the next run.
    this.running ??= this.loop().finally(() => {
      this.running = null;
      if (this.again) this.kick();
    });
  }

  // One run at a time per process: messages leave in claim order, retries wait their delay here.
  private async loop(): Promise<void> {
    try {
      while (this.again) {
        this.again = false;
        const report = await this.dispatcher.dispatchDue();
        if (report.nextRetryAt) {
          await this.sleep(Math.max(0, report.nextRetryAt.getTime() - this.ctx.clock.now().getTime()));
          this.again = true;
        }
      }
    } catch (error) {
      // The store is unreachable: the messages stay recorded and a later run (next event, or a
      // host's timer calling dispatchDue) sends them.
      writeLog(this.ctx.logger, "error", "notification dispatch run failed", {}, error);
      this.again = false;
    }
  }

  private async withRetry(kind: "email" | "sms", template: string, to: string, send: () => Promise<void>): Promise<boolean> {
    let lastCode = "send_failed";
    for (let attempt = 1; attempt <= this.retry.attempts; attempt++) {
      try {
        await send();
        return true;
      } catch (error) {
        lastCode = typeof (error as { code?: unknown })?.code === "string" ? String((error as { code: string }).code) : "send_failed";
        writeLog(
          this.ctx.logger,
          attempt < this.retry.attempts ? "warn" : "error",
          "notification send failed",
          { code: lastCode, channel: kind, template, attempt, of: this.retry.attempts },
          error,
        );
        if (attempt < this.retry.attempts)
          await this.sleep(this.retry.delaysMs[Math.min(attempt - 1, this.retry.delaysMs.length - 1)] ?? 0);
      }
    }
    await this.ctx.store.transaction(async (tx) => {
      tx.outbox.add(
        createEvent("notification.failed", { kind, template, to, attempts: this.retry.attempts, code: lastCode }, this.ctx.clock),
      );
    });
    return false;
  }
}
