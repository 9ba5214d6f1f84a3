import { createId, type Clock, type DomainEvent, type EventOutbox, type EventPublisher } from "@platform/core";
import type { NewNotification } from "../domain/notification-job.js";
import { emailMessageSchema, smsMessageSchema } from "../domain/notification-message.js";
import { orderConfirmation, orderShipped, passwordChanged, registrationAttempted, type RenderedMessage } from "../domain/notification-templates.js";
import type { CommerceStore, CommerceTx } from "../ports/commerce-store.js";

/** The events that notify a customer. */
export const NOTIFYING_EVENTS: ReadonlySet<string> = new Set(["order.paid", "order.shipped", "customer.password_changed", "customer.registration_attempted"]);

/**
 * Turns notifying events into notifications inside the transaction that records the events,
 * so a committed `order.paid` always has its confirmation queued, and a rolled-back one none.
 * Messages are rendered from the state the transaction sees.
 */
export class NotificationRecorder {
  constructor(private readonly options: { clock: Clock; sms: boolean }) {}

  /** Records the notifications of `events` (others are ignored) in `tx`. */
  async record(tx: CommerceTx, events: readonly DomainEvent[]): Promise<void> {
    const notifications: NewNotification[] = [];
    for (const event of events) if (NOTIFYING_EVENTS.has(event.type)) notifications.push(...(await this.render(tx, event)));
    if (notifications.length > 0) await tx.notifications.enqueue(notifications);
  }

  private async render(tx: CommerceTx, event: DomainEvent): Promise<NewNotification[]> {
    const data = event.data as { orderId?: string; customerId?: string };
    const order = data.orderId ? await tx.orders.get(data.orderId) : null;
    const customerId = order?.customerId ?? data.customerId;
    const customer = customerId ? await tx.customers.get(customerId) : null;
    if (!customer || (data.orderId && !order)) return [];
    let template: string;
    let msg: RenderedMessage;
    if (event.type === "order.paid") [template, msg] = ["order_confirmation", orderConfirmation({ customerName: customer.name, order: order! })];
    else if (event.type === "order.shipped") [template, msg] = ["order_shipped", orderShipped({ customerName: customer.name, order: order! })];
    else if (event.type === "customer.registration_attempted") [template, msg] = ["registration_attempted", registrationAttempted({ customerName: customer.name })];
    else [template, msg] = ["password_changed", passwordChanged({ customerName: customer.name })];
    const createdAt = this.options.clock.now();
    // A message that cannot be valid is skipped, never thrown: this runs in the transaction of a
    // payment or a shipment, which a notification must not undo.
    const out: NewNotification[] = [];
    const email = emailMessageSchema.safeParse({ to: customer.email, subject: msg.subject, text: msg.text, html: msg.html, template });
    if (email.success) out.push({ id: createId("ntf"), eventId: event.id, channel: "email", recipient: email.data.to, template, message: email.data, createdAt });
    const sms = customer.phone && this.options.sms ? smsMessageSchema.safeParse({ to: customer.phone, text: msg.sms, template }) : null;
    if (sms?.success) out.push({ id: createId("ntf"), eventId: event.id, channel: "sms", recipient: sms.data.to, template, message: sms.data, createdAt });
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
