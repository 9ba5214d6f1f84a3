import { createEvent, createId, systemClock, type Clock, type DomainEvent } from "@platform/core";
import { OutboxDispatcher, runTransaction } from "@platform/core/postgres";
import type { NotificationTemplateName } from "../../domain/notification-rendering.js";
import { NotificationComposer, type NotificationContentOptions } from "../../services/notification-composer.js";
import type { EmailMessage, EmailSender, SmsMessage, SmsSender } from "../../ports/notification-ports.js";
import type { PostgresCommerceStore } from "./postgres-commerce-store.js";

/** An email as the durable jobs hand it to the sender: with its stable notification id. */
export type IdentifiedEmailMessage = EmailMessage & { readonly id: string };
/** An SMS as the durable jobs hand it to the sender: with its stable notification id. */
export type IdentifiedSmsMessage = SmsMessage & { readonly id: string };

/** Options of {@link PostgresNotificationJobs}. */
export interface PostgresNotificationJobsOptions extends NotificationContentOptions {
  /** The commerce store (its pool holds the jobs; orders and customers are read through it). */
  store: PostgresCommerceStore;
  /** Sends email; receives {@link IdentifiedEmailMessage}s (pass `id` on, e.g. as Message-ID). */
  email: EmailSender;
  /** Sends SMS (none when null or absent). */
  sms?: SmsSender | null;
  clock?: Clock;
  /** Total tries per notification (default 5) and the waits before each retry (the last repeats). */
  retry?: { attempts?: number; delaysMs?: readonly number[] };
  /** Outbox events read per batch (default 100). */
  batchSize?: number;
}

/** What one {@link PostgresNotificationJobs.runOnce} did. */
export interface NotificationRunReport {
  enqueued: number;
  sent: number;
  retried: number;
  failed: number;
}

interface JobRow {
  id: string;
  channel: "email" | "sms";
  attempts: number;
  message: EmailMessage | SmsMessage;
}

const TRIGGERS = ["order.paid", "order.shipped", "customer.password_changed", "customer.registration_attempted"] as const;
const TEMPLATE_OF: Record<(typeof TRIGGERS)[number], NotificationTemplateName> = {
  "order.paid": "order_confirmation",
  "order.shipped": "order_shipped",
  "customer.password_changed": "password_changed",
  "customer.registration_attempted": "registration_attempted",
};

/**
 * Customer notifications as durable jobs, for processes sharing one PostgreSQL database.
 * Committed `order.paid`, `order.shipped`, `customer.password_changed` and `customer.registration_attempted` events are read from
 * `platform_outbox` (several dispatchers at once, `FOR UPDATE SKIP LOCKED`) and rendered into
 * `commerce_notifications` rows, one per (event, channel) with its own id. Each due row is then
 * claimed with `FOR UPDATE SKIP LOCKED`, sent, and marked sent in one transaction: a process that
 * dies mid-send releases the row and another sends it again with the SAME id (at least once;
 * receivers de-duplicate by id). Failures retry on `retry.delaysMs`; the last failure marks the
 * row `failed` and records a `notification.failed` event.
 *
 * Run it in a worker process (or every app server) with the in-process notifier of
 * `createECommercePlatform` pointed at a discarding sender, so messages go out once.
 * @example
 * ```ts
 * const jobs = new PostgresNotificationJobs({ store, email: new SmtpEmailSender(...) });
 * setInterval(() => void jobs.runOnce(), 1000);
 * ```
 */
export class PostgresNotificationJobs {
  private readonly clock: Clock;
  private readonly attempts: number;
  private readonly delays: readonly number[];
  private readonly dispatcher: OutboxDispatcher;
  private readonly composer: NotificationComposer;

  /** @throws ConfigurationError `invalid_notification_templates` for bad template overrides. */
  constructor(private readonly options: PostgresNotificationJobsOptions) {
    this.clock = options.clock ?? systemClock;
    this.attempts = options.retry?.attempts ?? 5;
    this.delays = options.retry?.delaysMs ?? [1_000, 10_000, 60_000, 300_000];
    this.composer = new NotificationComposer(options.store, this.clock, options);
    this.dispatcher = new OutboxDispatcher(options.store.pool, (e) => this.enqueue(e), { types: TRIGGERS, batchSize: options.batchSize ?? 100 });
  }

  /** Turns every pending trigger event into notification rows. Returns the events handled. */
  enqueueDue(): Promise<number> {
    return this.dispatcher.drain();
  }

  /**
   * Sends due notifications one by one until none is due (or `limit` were tried).
   * @throws StorageError `storage_unavailable` when the database is unreachable.
   */
  async sendDue(limit = 1_000): Promise<Omit<NotificationRunReport, "enqueued">> {
    const report = { sent: 0, retried: 0, failed: 0 };
    for (let i = 0; i < limit; i++) {
      const outcome = await this.sendOne();
      if (outcome === null) break;
      report[outcome]++;
    }
    return report;
  }

  /** Enqueues pending events, then sends what is due. */
  async runOnce(): Promise<NotificationRunReport> {
    const enqueued = await this.enqueueDue();
    return { enqueued, ...(await this.sendDue()) };
  }

  private async enqueue(event: DomainEvent): Promise<void> {
    const found = await this.options.store.transaction(async (tx) => {
      const data = event.data as { orderId?: string; customerId?: string };
      const order = data.orderId ? await tx.orders.get(data.orderId) : null;
      const customer = await tx.customers.get(order?.customerId ?? data.customerId ?? "");
      return customer ? { order, customer } : null;
    });
    if (!found) return;
    const { order, customer } = found;
    const template = TEMPLATE_OF[event.type as (typeof TRIGGERS)[number]];
    const messages = await this.composer.compose(template, customer, order);
    if (!messages) return;
    const jobs: { channel: "email" | "sms"; to: string; message: EmailMessage | SmsMessage }[] = [{ channel: "email", to: customer.email, message: messages.email }];
    if (messages.sms && this.options.sms) jobs.push({ channel: "sms", to: messages.sms.to, message: messages.sms });
    const now = this.clock.now();
    for (const job of jobs) {
      await this.options.store.pool.query(
        `INSERT INTO commerce_notifications (id, event_id, channel, template, recipient, message, next_attempt_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $7) ON CONFLICT (event_id, channel) DO NOTHING`,
        [createId("ntf"), event.id, job.channel, template, job.to, JSON.stringify(job.message), now],
      );
    }
  }

  private async sendOne(): Promise<"sent" | "retried" | "failed" | null> {
    const now = this.clock.now();
    return runTransaction(this.options.store.pool, async (client) => {
      const { rows } = await client.query<JobRow>(
        `SELECT id, channel, attempts, message FROM commerce_notifications
          WHERE status = 'pending' AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`,
        [now],
      );
      const job = rows[0];
      if (!job) return null;
      const attempts = job.attempts + 1;
      try {
        if (job.channel === "email") await this.options.email.send({ ...(job.message as EmailMessage), id: job.id } as IdentifiedEmailMessage);
        else if (this.options.sms) await this.options.sms.send({ ...(job.message as SmsMessage), id: job.id } as IdentifiedSmsMessage);
        else throw new Error("no SMS sender configured");
      } catch (error) {
        const code = typeof (error as { code?: unknown })?.code === "string" ? String((error as { code: string }).code) : "send_failed";
        if (attempts >= this.attempts) {
          await client.query("UPDATE commerce_notifications SET status = 'failed', attempts = $2, last_error = $3 WHERE id = $1", [job.id, attempts, code]);
          const failed = createEvent("notification.failed", { kind: job.channel, template: job.message.template, to: job.message.to, attempts, code }, this.clock);
          await client.query("INSERT INTO platform_outbox (id, type, occurred_at, data) VALUES ($1, $2, $3, $4::jsonb)", [failed.id, failed.type, failed.occurredAt, JSON.stringify(failed.data)]);
          return "failed";
        }
        const delay = this.delays[Math.min(attempts - 1, this.delays.length - 1)] ?? 0;
        await client.query("UPDATE commerce_notifications SET attempts = $2, last_error = $3, next_attempt_at = $4 WHERE id = $1", [job.id, attempts, code, new Date(now.getTime() + delay)]);
        return "retried";
      }
      await client.query("UPDATE commerce_notifications SET status = 'sent', attempts = $2, sent_at = $3, last_error = NULL WHERE id = $1", [job.id, attempts, now]);
      return "sent";
    });
  }
}
