import type { CustomerProfile } from "../domain/customer.js";
/** An email as handed to an {@link EmailSender}. */
export interface EmailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** Template name, for logs and tests. */
  readonly template: string;
}

/** An SMS as handed to an {@link SmsSender}. */
export interface SmsMessage {
  readonly to: string;
  readonly text: string;
  readonly template: string;
}

/**
 * What a sender may be handed with a message: `signal` aborts when the worker running the send is
 * abandoning its run near its stop deadline. A sender that stops (rejects) on it lets the worker hand the message
 * back at once for another process to send; one that ignores it keeps the message claimed until the
 * claim's lease lapses.
 */
export interface SendOptions {
  readonly signal?: AbortSignal;
}

/** Sends email (SMTP, an API ...). Throw to signal failure: the notifier retries. */
export interface EmailSender {
  send(message: EmailMessage, options?: SendOptions): Promise<void>;
}

/** Sends SMS. Throw to signal failure: the notifier retries. */
export interface SmsSender {
  send(message: SmsMessage, options?: SendOptions): Promise<void>;
}

/** An email as the notification queue hands it to the sender: with its stable notification id (pass it on, e.g. as Message-ID). */
export type IdentifiedEmailMessage = EmailMessage & { readonly id: string };

/** An SMS as the notification queue hands it to the sender: with its stable notification id (a provider idempotency key). */
export type IdentifiedSmsMessage = SmsMessage & { readonly id: string };

/**
 * The locale to write to a customer in (a BCP 47 tag such as `"de-CH"`), from the host's records;
 * null or undefined (or a malformed tag) means the default templates. It runs inside the
 * transaction that records the notification (the one of the payment or shipment), so it is
 * synchronous: answer from data at hand, such as a cache of your users' settings.
 */
export type NotificationLocaleResolver = (customer: CustomerProfile) => string | null | undefined;
