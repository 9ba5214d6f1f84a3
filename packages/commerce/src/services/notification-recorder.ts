import { createEvent, createId, type Clock, type DomainEvent, type EventOutbox, type EventPublisher } from "@platform/core";
import { toProfile, type Customer } from "../domain/customer.js";
import type { Order } from "../domain/order.js";
import type { NewNotification } from "../domain/notification-job.js";
import { emailMessageSchema, smsMessageSchema } from "../domain/notification-message.js";
import {
  canonicalLocale,
  checkNotificationTemplates,
  selectTemplate,
  type NotificationTemplateName,
  type NotificationTemplates,
} from "../domain/notification-rendering.js";
import type { RenderedMessage } from "../domain/notification-templates.js";
import type { CommerceStore, CommerceTx } from "../ports/commerce-store.js";
import type { NotificationLocaleResolver } from "../ports/notification-ports.js";

/** The events that notify a customer. */
export const NOTIFYING_EVENTS: ReadonlySet<string> = new Set([
  "order.paid",
  "order.shipped",
  "customer.password_changed",
  "customer.registration_attempted",
]);

// The order an event is about, as the transaction that records the event wrote it: the recorder
// renders from it instead of reading the order again. Keyed by the event object, so it lives only
// as long as the event and never crosses a process or a transaction.
const loadedOrders = new WeakMap<DomainEvent, { order: Order; customer: Customer | null | undefined }>();

/**
 * Hands the recorder the order `event` is about, exactly as this transaction wrote it (the state
 * the recorder would read back), and optionally its customer as read in this transaction, so
 * neither is read again. Returns the event.
 * @internal
 */
export function withLoadedOrder<E extends DomainEvent>(event: E, order: Order, customer?: Customer | null): E {
  loadedOrders.set(event, { order, customer });
  return event;
}

/** Options of a {@link NotificationRecorder}. */
export interface NotificationRecorderOptions {
  clock: Clock;
  /** Whether SMS are recorded (a phone and an SMS sender). */
  sms: boolean;
  /** Template overrides per message type and locale (see {@link NotificationTemplates}). */
  templates?: NotificationTemplates;
  /** The recipient's locale, from the host's records (default: none, so `"*"` or the built-in templates). */
  locale?: NotificationLocaleResolver;
}

/**
 * Turns notifying events into notifications inside the transaction that records the events,
 * so a committed `order.paid` always has its confirmation queued, and a rolled-back one none.
 * Messages are rendered from the state the transaction sees, with the host's template for the
 * recipient's locale when there is one.
 */
export class NotificationRecorder {
  private readonly templates: NotificationTemplates;

  /** @throws ConfigurationError `invalid_notification_templates` for overrides of unknown types or locales. */
  constructor(private readonly options: NotificationRecorderOptions) {
    this.templates = checkNotificationTemplates(options.templates);
  }

  /** Records the notifications of `events` (others are ignored) in `tx`. */
  async record(tx: CommerceTx, events: readonly DomainEvent[]): Promise<void> {
    const notifications: NewNotification[] = [];
    for (const event of events) if (NOTIFYING_EVENTS.has(event.type)) notifications.push(...(await this.render(tx, event)));
    if (notifications.length > 0) await tx.notifications.enqueue(notifications);
  }

  private async render(tx: CommerceTx, event: DomainEvent): Promise<NewNotification[]> {
    const data = event.data as { orderId?: string; customerId?: string };
    const loaded = loadedOrders.get(event);
    const order = data.orderId ? (loaded?.order.id === data.orderId ? loaded.order : await tx.orders.get(data.orderId)) : null;
    const customerId = order?.customerId ?? data.customerId;
    const known = loaded?.customer !== undefined && loaded.order === order && (loaded.customer?.id ?? customerId) === customerId;
    const customer = known ? loaded.customer! : customerId ? await tx.customers.get(customerId) : null;
    if (!customer || (data.orderId && !order)) return [];
    const template: NotificationTemplateName =
      event.type === "order.paid"
        ? "order_confirmation"
        : event.type === "order.shipped"
          ? "order_shipped"
          : event.type === "customer.registration_attempted"
            ? "registration_attempted"
            : "password_changed";
    // A message that cannot be valid is skipped, never thrown: this runs in the transaction of a
    // payment or a shipment, which a notification must not undo. The host hears of it through
    // notification.failed (template_failed): its template or locale resolver is at fault.
    const failed = (kind: "email" | "sms", to: string) =>
      tx.outbox.add(createEvent("notification.failed", { kind, template, to, attempts: 0, code: "template_failed" }, this.options.clock));
    let msg: RenderedMessage;
    try {
      const locale = this.options.locale ? canonicalLocale(this.options.locale(toProfile(customer))) : null;
      const name = customer.name;
      msg =
        template === "order_confirmation" || template === "order_shipped"
          ? selectTemplate(this.templates, template, locale)({ customerName: name, order: order!, locale })
          : selectTemplate(this.templates, template, locale)({ customerName: name, locale });
    } catch {
      failed("email", customer.email);
      return [];
    }
    const createdAt = this.options.clock.now();
    const out: NewNotification[] = [];
    const email = emailMessageSchema.safeParse({ to: customer.email, subject: msg?.subject, text: msg?.text, html: msg?.html, template });
    if (email.success)
      out.push({
        id: createId("ntf"),
        eventId: event.id,
        channel: "email",
        recipient: email.data.to,
        template,
        message: email.data,
        createdAt,
      });
    else failed("email", customer.email);
    const sms = customer.phone && this.options.sms ? smsMessageSchema.safeParse({ to: customer.phone, text: msg?.sms, template }) : null;
    if (sms?.success)
      out.push({ id: createId("ntf"), eventId: event.id, channel: "sms", recipient: sms.data.to, template, message: sms.data, createdAt });
    else if (sms) failed("sms", customer.phone!);
    return out;
  }
}

/**
 * The store the services use: each transaction hands the events it records to the
 * {@link NotificationRecorder} before it commits. Joined (nested) transactions record their
 * own events the same way, still inside the outer transaction.
 */
export function withNotificationRecording(store: CommerceStore, recorder: NotificationRecorder): CommerceStore {
  return {
    setEventPublisher: (publisher: EventPublisher) => store.setEventPublisher(publisher),
    setCursorSecret: (secret: string) => store.setCursorSecret(secret),
    transaction: <T>(work: (tx: CommerceTx) => Promise<T>) =>
      store.transaction(async (tx) => {
        const recorded: DomainEvent[] = [];
        const outbox: EventOutbox = {
          add: (event) => {
            tx.outbox.add(event);
            recorded.push(event);
          },
        };
        // A view of tx whose outbox also collects the events (works for plain objects and class instances).
        const value = await work(Object.create(tx, { outbox: { value: outbox } }) as CommerceTx);
        await recorder.record(tx, recorded);
        return value;
      }),
  };
}
