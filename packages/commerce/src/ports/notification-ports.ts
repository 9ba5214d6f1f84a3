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

/** Sends email (SMTP, an API ...). Throw to signal failure: the notifier retries. */
export interface EmailSender {
  send(message: EmailMessage): Promise<void>;
}

/** Sends SMS. Throw to signal failure: the notifier retries. */
export interface SmsSender {
  send(message: SmsMessage): Promise<void>;
}

/**
 * The locale to write to a customer in (a BCP 47 tag such as `"de-CH"`), from the host's own
 * records; null or undefined (or a malformed tag) means the default templates.
 */
export type NotificationLocaleResolver = (customer: CustomerProfile) => string | null | undefined | Promise<string | null | undefined>;
