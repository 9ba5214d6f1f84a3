import { createEvent, createId, silentLogger, writeLog, type Clock, type Logger } from "@platform/core";
import type { ClaimedNotification, NotificationChannel, NotificationSettlement } from "../domain/notification-job.js";
import type { CommerceStore } from "../ports/commerce-store.js";
import type {
  EmailMessage,
  EmailSender,
  IdentifiedEmailMessage,
  IdentifiedSmsMessage,
  SmsMessage,
  SmsSender,
} from "../ports/notification-ports.js";

/** Options of a {@link NotificationDispatcher}. */
export interface NotificationDispatcherOptions {
  /** Sends email; receives {@link IdentifiedEmailMessage}s. */
  email: EmailSender;
  /** Sends SMS; without one, SMS notifications are left to a dispatcher that has one. */
  sms?: SmsSender | null;
  /** Total tries per notification (default 5) and the waits before each retry, in ms (the last repeats; default 1 s, 10 s, 1 min, 5 min). */
  retry?: { attempts?: number; delaysMs?: readonly number[] };
  /** How long a claim lasts (default 60 s): a process that dies mid-send delays its message by this much; a send must finish within it. */
  leaseMs?: number;
}

/** What one {@link NotificationDispatcher.dispatchDue} did. */
export interface NotificationDispatchReport {
  sent: number;
  retried: number;
  failed: number;
  /** The earliest retry this run scheduled (null when none). */
  nextRetryAt: Date | null;
}

type Outcome = { kind: "sent" | "failed" | "released" } | { kind: "retried"; at: Date };

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^[a-z][a-z0-9_]{0,99}$/.test(code) ? code : "send_failed";
}

/**
 * Sends recorded notifications: claims the due head of a recipient's queue, sends it, settles it
 * (sent, retry later, or dead-lettered with `notification.failed`). A recipient's next message
 * goes out only after the previous one was sent or dead-lettered. Claims are leases, so any
 * number of dispatchers (threads of one process, processes, hosts) can share a store: each
 * message goes out once unless its dispatcher dies or overruns the lease mid-send, and then again
 * with the same `id`, so receivers de-duplicate.
 * @example
 * ```ts
 * const dispatcher = new NotificationDispatcher({ store, clock: systemClock }, { email: new SmtpEmailSender(smtpOptionsFromEnv()) });
 * setInterval(() => void dispatcher.dispatchDue(), 1000);
 * ```
 */
export class NotificationDispatcher {
  private readonly attempts: number;
  private readonly delays: readonly number[];
  private readonly leaseMs: number;
  private readonly channels: readonly NotificationChannel[];

  constructor(
    private readonly ctx: { readonly store: CommerceStore; readonly clock: Clock; readonly logger?: Logger },
    private readonly options: NotificationDispatcherOptions,
  ) {
    this.attempts = Math.max(1, options.retry?.attempts ?? 5);
    this.delays = options.retry?.delaysMs ?? [1_000, 10_000, 60_000, 300_000];
    this.leaseMs = options.leaseMs ?? 60_000;
    this.channels = options.sms ? ["email", "sms"] : ["email"];
  }

  /**
   * Sends due notifications one by one until none is claimable (or `limit` were tried). Once `signal`
   * aborts (the worker abandoning its run near its stop deadline) it claims nothing more, passes the abort to the send
   * in flight, and when that send ends unsent, hands its claim back (only while this claim still holds it).
   * @throws StorageError `storage_unavailable` when the store is unreachable (claimed messages are retried after their lease).
   */
  async dispatchDue(limit = 1_000, signal?: AbortSignal): Promise<NotificationDispatchReport> {
    const report: NotificationDispatchReport = { sent: 0, retried: 0, failed: 0, nextRetryAt: null };
    for (let i = 0; i < limit && !signal?.aborted; i++) {
      const outcome = await this.dispatchOne(signal);
      if (!outcome) break;
      if (outcome.kind === "released") break;
      report[outcome.kind]++;
      if (outcome.kind === "retried" && (!report.nextRetryAt || outcome.at < report.nextRetryAt)) report.nextRetryAt = outcome.at;
    }
    return report;
  }

  private async dispatchOne(signal: AbortSignal | undefined): Promise<Outcome | null> {
    const now = this.ctx.clock.now();
    const claimToken = createId("clm");
    const job = await this.ctx.store.transaction((tx) =>
      tx.notifications.claimNext({ now, leaseUntil: new Date(now.getTime() + this.leaseMs), claimToken, channels: this.channels }),
    );
    if (!job) return null;
    try {
      if (signal?.aborted) throw signal.reason;
      await this.send(job, signal);
    } catch (error) {
      // Abandoned, not failed: the send has ended unsent, so handing the claim back lets no two senders overlap.
      if (signal?.aborted) {
        await this.settle(job, { status: "released" });
        return { kind: "released" };
      }
      writeLog(
        this.ctx.logger ?? silentLogger,
        job.attempts < this.attempts ? "warn" : "error",
        "notification send failed",
        {
          code: errorCode(error),
          notificationId: job.id,
          channel: job.channel,
          template: job.template,
          attempt: job.attempts,
          of: this.attempts,
        },
        error,
      );
      return this.settleFailure(job, errorCode(error));
    }
    await this.settle(job, { status: "sent", at: this.ctx.clock.now() });
    return { kind: "sent" };
  }

  private async send(job: ClaimedNotification, signal: AbortSignal | undefined): Promise<void> {
    const options = signal ? { signal } : {};
    if (job.channel === "email")
      await this.options.email.send({ ...(job.message as EmailMessage), id: job.id } as IdentifiedEmailMessage, options);
    else await this.options.sms!.send({ ...(job.message as SmsMessage), id: job.id } as IdentifiedSmsMessage, options);
  }

  private async settleFailure(job: ClaimedNotification, code: string): Promise<Outcome> {
    if (job.attempts < this.attempts) {
      const at = new Date(this.ctx.clock.now().getTime() + (this.delays[Math.min(job.attempts - 1, this.delays.length - 1)] ?? 0));
      await this.settle(job, { status: "retry", nextAttemptAt: at, error: code });
      return { kind: "retried", at };
    }
    await this.settle(job, { status: "failed", error: code });
    return { kind: "failed" };
  }

  private settle(job: ClaimedNotification, settlement: NotificationSettlement): Promise<void> {
    return this.ctx.store.transaction(async (tx) => {
      // A lost claim (lease lapsed and taken over) leaves the row to its new holder.
      if (!(await tx.notifications.settle(job.id, job.claimToken, settlement)) || settlement.status !== "failed") return;
      const data = { kind: job.channel, template: job.template, to: job.recipient, attempts: job.attempts, code: settlement.error };
      tx.outbox.add(createEvent("notification.failed", data, this.ctx.clock));
    });
  }
}
