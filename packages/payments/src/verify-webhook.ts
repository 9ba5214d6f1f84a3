import { systemClock } from "@platform/core";
import { verifyWebhookAt } from "./domain/webhook-signature.js";

/** Options of {@link verifyWebhook}. */
export interface VerifyWebhookOptions {
  /** Accepted clock skew either way, in seconds. Default 300 (Standard Webhooks). */
  toleranceSeconds?: number;
  /** The receiver's current time; defaults to the system clock. */
  now?: Date;
}

/**
 * Verifies a received webhook (Standard Webhooks): headers present, timestamp within tolerance
 * (replay protection), and one `v1,` signature equal, compared in constant time.
 * Pass the raw body exactly as received. Returns the parsed payload.
 * @throws AuthenticationError `webhook_headers_missing`, `webhook_timestamp_invalid`,
 *   `webhook_timestamp_stale`, `webhook_signature_invalid`.
 * @example
 * ```ts
 * const event = verifyWebhook(rawBody, req.headers, process.env.WEBHOOK_SECRET!);
 * ```
 */
export function verifyWebhook(
  body: string | Buffer,
  headers: Headers | Record<string, string | string[] | undefined>,
  secret: string,
  options: VerifyWebhookOptions = {},
): { id: string; timestamp: number; payload: unknown } {
  // The host's edge is where the clock is read; the signature rules in domain/ take the time.
  const time = {
    now: options.now ?? systemClock.now(),
    ...(options.toleranceSeconds === undefined ? {} : { toleranceSeconds: options.toleranceSeconds }),
  };
  return verifyWebhookAt(body, headers, secret, time);
}
