import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { AuthenticationError, ValidationError } from "@platform/core";
import { paymentsCodes } from "./error-codes.js";

const PREFIX = "whsec_";

/** A new `whsec_` secret: 32 random bytes, base64 (Standard Webhooks format). */
export function generateWebhookSecret(): string {
  return PREFIX + randomBytes(32).toString("base64");
}

function keyOf(secret: string): Buffer {
  const raw = secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret;
  const key = Buffer.from(raw, "base64");
  if (key.length < 16) throw ValidationError.field(paymentsCodes.invalid_secret, "secret", "secret must hold at least 16 base64 bytes");
  return key;
}

/** `base64(HMAC-SHA256(key, "<id>.<timestamp>.<body>"))` */
export function computeSignature(secret: string, id: string, timestampSeconds: number, body: string): string {
  return createHmac("sha256", keyOf(secret)).update(`${id}.${timestampSeconds}.${body}`).digest("base64");
}

/** The three Standard Webhooks headers for a message, signed with every given secret (rotation overlap). */
export function signWebhook(secrets: readonly string[], id: string, timestampSeconds: number, body: string): Record<string, string> {
  return {
    "webhook-id": id,
    "webhook-timestamp": String(timestampSeconds),
    "webhook-signature": secrets.map((s) => `v1,${computeSignature(s, id, timestampSeconds, body)}`).join(" "),
  };
}

/** What {@link verifyWebhookAt} checks the timestamp against: the domain reads no clock. */
export interface WebhookVerificationTime {
  /** The receiver's current time. */
  now: Date;
  /** Accepted clock skew either way, in seconds. Default 300 (Standard Webhooks). */
  toleranceSeconds?: number;
}

function header(headers: Headers | Record<string, string | string[] | undefined>, name: string): string | undefined {
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
  const h = headers as Record<string, string | string[] | undefined>;
  const found = Object.keys(h).find((k) => k.toLowerCase() === name);
  const v = found === undefined ? undefined : h[found];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Verifies a received webhook (Standard Webhooks) at the given time: headers present, timestamp
 * within tolerance of `time.now` (replay protection), and one `v1,` signature equal, compared in
 * constant time. Pass the raw body exactly as received. Returns the parsed payload.
 * Hosts call `verifyWebhook`, which reads the clock and calls this.
 * @throws AuthenticationError `webhook_headers_missing`, `webhook_timestamp_invalid`,
 *   `webhook_timestamp_stale`, `webhook_signature_invalid`.
 */
export function verifyWebhookAt(
  body: string | Buffer,
  headers: Headers | Record<string, string | string[] | undefined>,
  secret: string,
  time: WebhookVerificationTime,
): { id: string; timestamp: number; payload: unknown } {
  const id = header(headers, "webhook-id");
  const ts = header(headers, "webhook-timestamp");
  const sig = header(headers, "webhook-signature");
  if (!id || !ts || !sig)
    throw new AuthenticationError(
      paymentsCodes.webhook_headers_missing,
      "missing webhook-id, webhook-timestamp or webhook-signature header",
    );
  if (!/^\d{1,12}$/.test(ts))
    throw new AuthenticationError(paymentsCodes.webhook_timestamp_invalid, "webhook-timestamp is not a unix time in seconds");
  const timestamp = Number(ts);
  const now = Math.floor(time.now.getTime() / 1000);
  const tolerance = time.toleranceSeconds ?? 300;
  if (Math.abs(now - timestamp) > tolerance) {
    throw new AuthenticationError(paymentsCodes.webhook_timestamp_stale, "webhook timestamp is outside the tolerance", {
      details: { timestamp, now, tolerance },
    });
  }
  const text = typeof body === "string" ? body : body.toString("utf8");
  const expected = Buffer.from(computeSignature(secret, id, timestamp, text), "base64");
  const ok = sig.split(" ").some((part) => {
    const [version, value] = part.split(",", 2);
    if (version !== "v1" || !value) return false;
    const given = Buffer.from(value, "base64");
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!ok) throw new AuthenticationError(paymentsCodes.webhook_signature_invalid, "no webhook signature matches");
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    payload = text;
  }
  return { id, timestamp, payload };
}
