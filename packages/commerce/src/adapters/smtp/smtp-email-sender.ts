import { ConfigurationError, GatewayError, parse } from "@platform/core";
import { z } from "zod";
import type { Transporter } from "nodemailer";
import type { EmailMessage, EmailSender } from "../../ports/notification-ports.js";
import { commerceCodes } from "../../domain/error-codes.js";

/** SMTP settings. Credentials come from the host's configuration, never from code. */
export const smtpOptionsSchema = z.object({
  host: z.string().trim().min(1),
  port: z.number().int().min(1).max(65535).default(587),
  /** true for implicit TLS (port 465); otherwise STARTTLS is used when offered. */
  secure: z.boolean().default(false),
  /** Refuse to send without STARTTLS (recommended in production). */
  requireTLS: z.boolean().default(false),
  auth: z.object({ user: z.string().min(1), pass: z.string().min(1) }).optional(),
  /** Sender address, e.g. `"Shop <noreply@shop.example>"`. */
  from: z.string().trim().min(3),
  /** Connection and greeting timeout in ms. */
  timeoutMs: z.number().int().positive().default(10_000),
  /** Accept self-signed certificates (local test servers only). */
  allowSelfSigned: z.boolean().default(false),
});
/** Input of {@link SmtpEmailSender}. */
export type SmtpOptions = z.input<typeof smtpOptionsSchema>;

/**
 * Reads SMTP settings from environment variables: `SMTP_HOST`, `SMTP_PORT`, `SMTP_SECURE`,
 * `SMTP_USER`, `SMTP_PASS`, `SMTP_FROM` (with an optional prefix such as `SHOP_`).
 * @throws ValidationError naming the missing or bad setting.
 */
export function smtpOptionsFromEnv(env: Record<string, string | undefined> = process.env, prefix = ""): z.output<typeof smtpOptionsSchema> {
  const v = (k: string) => env[`${prefix}${k}`];
  const user = v("SMTP_USER");
  const pass = v("SMTP_PASS");
  return parse(smtpOptionsSchema, {
    host: v("SMTP_HOST"),
    port: v("SMTP_PORT") ? Number(v("SMTP_PORT")) : undefined,
    secure: v("SMTP_SECURE") === "true",
    requireTLS: v("SMTP_REQUIRE_TLS") === "true",
    auth: user && pass ? { user, pass } : undefined,
    from: v("SMTP_FROM"),
  });
}

/**
 * An {@link EmailSender} over SMTP with nodemailer. Each message goes out as
 * multipart/alternative (text + HTML). Failures surface as `GatewayError` so the
 * notification service retries them.
 * @example
 * ```ts
 * import { SmtpEmailSender, smtpOptionsFromEnv } from "@platform/commerce/smtp";
 * const platform = createECommercePlatform({ payments, notifications: { email: new SmtpEmailSender(smtpOptionsFromEnv()) } });
 * ```
 */
export class SmtpEmailSender implements EmailSender {
  private readonly options: z.output<typeof smtpOptionsSchema>;
  private transporter: Promise<Transporter> | undefined;

  /** @throws ValidationError for bad settings. */
  constructor(options: SmtpOptions) {
    this.options = parse(smtpOptionsSchema, options);
  }

  private transport(): Promise<Transporter> {
    this.transporter ??= import("nodemailer").then(
      (mod) => {
        const o = this.options;
        const createTransport = mod.createTransport ?? (mod as unknown as { default: typeof mod }).default.createTransport;
        return createTransport({
          host: o.host,
          port: o.port,
          secure: o.secure,
          requireTLS: o.requireTLS,
          ...(o.auth ? { auth: o.auth } : {}),
          connectionTimeout: o.timeoutMs,
          greetingTimeout: o.timeoutMs,
          socketTimeout: o.timeoutMs,
          tls: { rejectUnauthorized: !o.allowSelfSigned },
        });
      },
      (cause: unknown) => {
        this.transporter = undefined;
        throw new ConfigurationError(
          commerceCodes.missing_peer_dependency,
          "the SMTP adapter needs the optional peer dependency nodemailer",
          { cause },
        );
      },
    );
    return this.transporter;
  }

  /** Sends one message. @throws GatewayError `smtp_failed` (retryable). @throws ConfigurationError `missing_peer_dependency`. */
  async send(message: EmailMessage): Promise<void> {
    const transporter = await this.transport();
    try {
      await transporter.sendMail({
        from: this.options.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        headers: { "X-Template": message.template },
      });
    } catch (cause) {
      throw new GatewayError(commerceCodes.smtp_failed, `SMTP delivery to ${message.to} failed`, {
        provider: "smtp",
        retryable: true,
        cause,
      });
    }
  }

  /** Closes pooled connections. */
  async close(): Promise<void> {
    if (this.transporter) (await this.transporter).close();
  }
}
