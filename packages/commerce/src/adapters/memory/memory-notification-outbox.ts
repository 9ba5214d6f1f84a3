import type { EmailMessage, EmailSender, SmsMessage, SmsSender } from "../../ports/notification-ports.js";

/**
 * The default notifier: keeps every email and SMS in memory (tests read `emails` / `sms`)
 * and, with `preview: true`, prints a short preview to the console.
 * @example
 * ```ts
 * const outbox = new MemoryNotificationOutbox({ preview: true });
 * const platform = createECommercePlatform({ notifications: { email: outbox, sms: outbox } });
 * ```
 */
export class MemoryNotificationOutbox implements EmailSender, SmsSender {
  readonly emails: EmailMessage[] = [];
  readonly sms: SmsMessage[] = [];
  private readonly preview: boolean;
  private readonly log: (line: string) => void;

  constructor(options: { preview?: boolean; log?: (line: string) => void } = {}) {
    this.preview = options.preview ?? false;
    this.log = options.log ?? ((line) => console.log(line));
  }

  async send(message: EmailMessage | SmsMessage): Promise<void> {
    if ("subject" in message) {
      this.emails.push(message);
      if (this.preview) this.log(`[email to ${message.to}] ${message.subject}\n${message.text}`);
    } else {
      this.sms.push(message);
      if (this.preview) this.log(`[sms to ${message.to}] ${message.text}`);
    }
  }
}
