import { createEvent, type Clock } from "@platform/core";
import type { Customer } from "../domain/customer.js";
import { toProfile } from "../domain/customer.js";
import type { Order } from "../domain/order.js";
import { canonicalLocale, checkNotificationTemplates, renderNotification, type NotificationMessages, type NotificationTemplateName, type NotificationTemplates } from "../domain/notification-rendering.js";
import type { CommerceStore } from "../ports/commerce-store.js";
import type { NotificationLocaleResolver } from "../ports/notification-ports.js";

/** How messages are written: template overrides and the recipient's locale. */
export interface NotificationContentOptions {
  /** Overrides per message type and locale (see {@link NotificationTemplates}); checked at wiring time. */
  templates?: NotificationTemplates;
  /** The recipient's locale, from the host's records; default: none (the `"*"` or built-in templates). */
  locale?: NotificationLocaleResolver;
}

/**
 * Turns a triggering event's customer (and order) into checked messages, for the in-process
 * notifier and the PostgreSQL jobs alike. A locale resolver or template that throws, or returns
 * a malformed message, sends nothing: `notification.failed` is recorded with `template_failed`.
 */
export class NotificationComposer {
  private readonly templates: NotificationTemplates;

  /** @throws ConfigurationError `invalid_notification_templates`. */
  constructor(
    private readonly store: CommerceStore,
    private readonly clock: Clock,
    private readonly options: NotificationContentOptions = {},
  ) {
    this.templates = checkNotificationTemplates(options.templates);
  }

  /** The messages for a customer, or null when rendering failed (and was reported). */
  async compose(name: NotificationTemplateName, customer: Customer, order: Order | null): Promise<NotificationMessages | null> {
    try {
      const locale = this.options.locale ? canonicalLocale(await this.options.locale(toProfile(customer))) : null;
      const recipient = { email: customer.email, phone: customer.phone };
      if (name === "order_confirmation" || name === "order_shipped") {
        if (!order) return null;
        return renderNotification(this.templates, name, { customerName: customer.name, order, locale }, recipient);
      }
      return renderNotification(this.templates, name, { customerName: customer.name, locale }, recipient);
    } catch {
      // The host's template is at fault, not the transport: retrying would fail the same way.
      await this.store.transaction(async (tx) => {
        tx.outbox.add(createEvent("notification.failed", { kind: "email", template: name, to: customer.email, attempts: 0, code: "template_failed" }, this.clock));
      });
      return null;
    }
  }
}
