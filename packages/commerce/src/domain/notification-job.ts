import type { EmailMessage, SmsMessage } from "../ports/notification-ports.js";

/** The channel a notification goes out on. */
export type NotificationChannel = "email" | "sms";

/**
 * A notification as recorded in the transaction of its event. Each recipient (channel and
 * address) has its own queue: `seq` orders it, and a message goes out only after every earlier
 * one of the same recipient was sent or dead-lettered.
 */
export interface NewNotification {
  readonly id: string;
  /** The event it announces; one notification per (event, channel). */
  readonly eventId: string;
  readonly channel: NotificationChannel;
  /** The address the message goes to (the queue it waits in). */
  readonly recipient: string;
  readonly template: string;
  readonly message: EmailMessage | SmsMessage;
  readonly createdAt: Date;
}

/** A notification claimed for sending: the claim holds until `leaseUntil` or until settled. */
export interface ClaimedNotification {
  readonly id: string;
  readonly eventId: string;
  readonly channel: NotificationChannel;
  readonly recipient: string;
  readonly template: string;
  readonly message: EmailMessage | SmsMessage;
  /** Tries so far, this one included. */
  readonly attempts: number;
  readonly claimToken: string;
}

/** How a claimed notification ended: sent, due again later, dead-lettered, or handed back unsent. */
export type NotificationSettlement =
  | { readonly status: "sent"; readonly at: Date }
  | { readonly status: "retry"; readonly nextAttemptAt: Date; readonly error: string }
  | { readonly status: "failed"; readonly error: string }
  /** Handed back unsent by a dispatcher that abandoned it (its worker stopping): claimable again at once. */
  | { readonly status: "released" };

/**
 * A dead-lettered notification as an admin sees it: every attempt failed (`lastError` is the last
 * failure's code). The message itself stays in the store; its body is not part of the view.
 */
export interface DeadLetterNotification {
  readonly id: string;
  readonly eventId: string;
  readonly channel: NotificationChannel;
  readonly recipient: string;
  readonly template: string;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly createdAt: Date;
}
