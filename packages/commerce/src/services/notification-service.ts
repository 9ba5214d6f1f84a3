import { createEvent, parse, type EventBus } from "@platform/core";
import type { CommerceEvents } from "../domain/events.js";
import type { NotificationMessages } from "../domain/notification-rendering.js";
import { emailMessageSchema, smsMessageSchema } from "../domain/notification-message.js";
import type { EmailMessage, EmailSender, SmsMessage, SmsSender } from "../ports/notification-ports.js";
import { NotificationComposer, type NotificationContentOptions } from "./notification-composer.js";
import type { ServiceContext } from "./service-context.js";

/** Retry policy of sends. */
export interface RetryPolicy {
  /** Total tries, including the first. Default 3. */
  attempts: number;
  /** Wait before each retry, in ms (the last value repeats). Default [200, 1000]. */
  delaysMs: number[];
}

/** Options of the {@link NotificationService}. */
export interface NotificationOptions extends NotificationContentOptions {
  email: EmailSender;
  sms?: SmsSender | null;
  retry?: Partial<RetryPolicy>;
  /** Waits between retries; tests inject an instant one. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Sends customer messages when events happen (order paid -> confirmation, order shipped ->
 * notice, password changed -> security notice, registration with a taken e-mail -> notice to its owner), by email and, when the customer has a
 * phone, SMS. Runs after commit, so a failing notifier never fails an order; failed sends
 * are retried, then reported as `notification.failed`.
 */
export class NotificationService {
  private readonly pending = new Set<Promise<void>>();
  private readonly retry: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly composer: NotificationComposer;

  /** @throws ConfigurationError `invalid_notification_templates` for bad template overrides. */
  constructor(
    private readonly ctx: ServiceContext,
    private readonly options: NotificationOptions,
  ) {
    this.retry = { attempts: options.retry?.attempts ?? 3, delaysMs: options.retry?.delaysMs ?? [200, 1000] };
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.composer = new NotificationComposer(ctx.store, ctx.clock, options);
  }

  /** Subscribes to the platform's events. Returns an unsubscribe function. */
  subscribe(events: EventBus<CommerceEvents>): () => void {
    const offs = [
      events.on("order.paid", (e) => this.track(this.onOrder(e.data.orderId, "order_confirmation"))),
      events.on("order.shipped", (e) => this.track(this.onOrder(e.data.orderId, "order_shipped"))),
      events.on("customer.password_changed", (e) => this.track(this.onCustomerNotice(e.data.customerId, "password_changed"))),
      events.on("customer.registration_attempted", (e) => this.track(this.onCustomerNotice(e.data.customerId, "registration_attempted"))),
    ];
    return () => offs.forEach((off) => off());
  }

  /** Resolves when every send started so far has finished (delivered or given up). */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** Sends an email with retries; resolves false when every attempt failed. @throws ValidationError for a malformed message. */
  async sendEmail(message: EmailMessage): Promise<boolean> {
    const m = parse(emailMessageSchema, message);
    return this.withRetry("email", m.template, m.to, () => this.options.email.send(m));
  }

  /** Sends an SMS with retries (false without an SMS sender or when every attempt failed). @throws ValidationError. */
  async sendSms(message: SmsMessage): Promise<boolean> {
    const m = parse(smsMessageSchema, message);
    const sms = this.options.sms;
    if (!sms) return false;
    return this.withRetry("sms", m.template, m.to, () => sms.send(m));
  }

  private track(p: Promise<unknown>): void {
    const done = p.then(
      () => undefined,
      () => undefined,
    );
    this.pending.add(done);
    void done.then(() => this.pending.delete(done));
  }

  private async onOrder(orderId: string, template: "order_confirmation" | "order_shipped"): Promise<void> {
    const found = await this.ctx.store.transaction(async (tx) => {
      const order = await tx.orders.get(orderId);
      const customer = order ? await tx.customers.get(order.customerId) : null;
      return order && customer ? { order, customer } : null;
    });
    if (!found) return;
    await this.deliver(await this.composer.compose(template, found.customer, found.order));
  }

  private async onCustomerNotice(customerId: string, template: "password_changed" | "registration_attempted"): Promise<void> {
    const customer = await this.ctx.store.transaction((tx) => tx.customers.get(customerId));
    if (!customer) return;
    await this.deliver(await this.composer.compose(template, customer, null));
  }

  private async deliver(messages: NotificationMessages | null): Promise<void> {
    if (!messages) return;
    await Promise.all([this.sendEmail(messages.email), messages.sms ? this.sendSms(messages.sms) : Promise.resolve(false)]);
  }

  private async withRetry(kind: "email" | "sms", template: string, to: string, send: () => Promise<void>): Promise<boolean> {
    let lastCode = "send_failed";
    for (let attempt = 1; attempt <= this.retry.attempts; attempt++) {
      try {
        await send();
        return true;
      } catch (error) {
        lastCode = typeof (error as { code?: unknown })?.code === "string" ? String((error as { code: string }).code) : "send_failed";
        if (attempt < this.retry.attempts) await this.sleep(this.retry.delaysMs[Math.min(attempt - 1, this.retry.delaysMs.length - 1)] ?? 0);
      }
    }
    await this.ctx.store.transaction(async (tx) => {
      tx.outbox.add(createEvent("notification.failed", { kind, template, to, attempts: this.retry.attempts, code: lastCode }, this.ctx.clock));
    });
    return false;
  }
}
