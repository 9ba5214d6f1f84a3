import type { EmailMessage, EmailSender, SmsMessage, SmsSender } from "../../ports/notification-ports.js";

/**
 * The default notifier: keeps every email and SMS in memory (tests read `emails` / `sms`)
 * and, with `preview: true`, prints a short preview to the console.
 * @example
 * ```ts
 * const outbox = new MemoryNotificationOutbox({ preview: true });
 * const platform = createECommercePlatform({ payments: testPaymentPort(), notifications: { email: outbox, sms: outbox } });
 * ```
 */
export class MemoryNotificationOutbox implements EmailSender, SmsSender {
  readonly emails: EmailMessage[] = [];
  readonly sms: SmsMessage[] = [];
  private readonly preview: boolean;
  private readonly log: (line: string) => void;
  private readonly limit: number;

  /** `limit` caps how many messages of each kind are kept (oldest dropped; default 1,000). */
  constructor(options: { preview?: boolean; log?: (line: string) => void; limit?: number } = {}) {
    this.preview = options.preview ?? false;
    this.log = options.log ?? ((line) => console.log(line));
    this.limit = options.limit ?? 1000;
  }

  /** Records (and optionally previews) an email or SMS. */
  async send(message: EmailMessage | SmsMessage): Promise<void> {
    if ("subject" in message) {
      if (this.emails.length >= this.limit) this.emails.shift();
      this.emails.push(message);
      if (this.preview) this.log(`[email to ${message.to}] ${message.subject}\n${message.text}`);
    } else {
      if (this.sms.length >= this.limit) this.sms.shift();
      this.sms.push(message);
      if (this.preview) this.log(`[sms to ${message.to}] ${message.text}`);
    }
  }
}
