import { createHash } from "node:crypto";
import { Money } from "@platform/core";

/** How long a key remembers its first result (Stripe: 24 hours). */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** What an idempotency key remembers once its operation finished. */
export interface IdempotencyResponse {
  /** The payment or refund the first call produced. */
  readonly resourceId: string;
  /** A gateway error the first call ended with, re-thrown on replay. */
  readonly error?: { code: string; message: string; provider: string; retryable: boolean; declineCode?: string | undefined } | undefined;
}

/** One idempotency key of one operation scope. */
export interface IdempotencyRecord {
  /** Operation, e.g. `payments.create`, `refunds.create`. */
  readonly scope: string;
  readonly key: string;
  /** Hash of the parameters of the first call. */
  readonly fingerprint: string;
  readonly status: "in_progress" | "completed";
  /** Set in the same transaction that created the resource, so a crash never loses the link. */
  readonly resourceId?: string | undefined;
  readonly response?: IdempotencyResponse | undefined;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  /**
   * Who runs the operation now (a random token per claim or takeover) and until when, by the clock.
   * The owner renews the lease while its gateway call runs; once it lapses, the owner is presumed
   * dead and the next caller with the key takes the operation over. Absent on keys stored before
   * leases existed: their lease is read as `createdAt`.
   */
  readonly leaseToken?: string | undefined;
  readonly leaseExpiresAt?: Date | undefined;
}

/** Default lease of an in-progress key: how long a silent owner keeps it before a retry takes over. */
export const DEFAULT_IDEMPOTENCY_LEASE_MS = 5_000;

/** When the lease of an in-progress key lapses (keys stored before leases existed: at creation). */
export function leaseEndOf(record: IdempotencyRecord): Date {
  return record.leaseExpiresAt ?? record.createdAt;
}

function canonical(value: unknown): unknown {
  if (value instanceof Money) return { amount: value.toFixed(), currency: value.currency };
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === "object") {
    // No prototype: a key named "__proto__" (metadata is caller data) is an own key like any other.
    const out = Object.create(null) as Record<string, unknown>;
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined && k !== "idempotencyKey") out[k] = canonical(v);
    }
    return out;
  }
  return value;
}

/** A stable hash of normalised parameters (key order and `"10"` vs `"10.00"` do not matter). */
export function fingerprintOf(params: unknown): string {
  return createHash("sha256")
    .update(JSON.stringify(canonical(params)))
    .digest("base64url");
}
