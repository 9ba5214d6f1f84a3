/** One HTTP attempt of a delivery. */
export interface DeliveryAttempt {
  readonly at: Date;
  /** HTTP status, absent when the request failed (timeout, connection refused). */
  readonly status?: number | undefined;
  readonly error?: string | undefined;
  readonly durationMs: number;
  /** First 1 KB of the response body, for debugging. */
  readonly responseBody?: string | undefined;
  readonly manual?: boolean | undefined;
}

/** `pending`: waiting for its next attempt; `sending`: claimed by a dispatcher; `succeeded`; `failed` (gave up). */
export type DeliveryStatus = "pending" | "sending" | "succeeded" | "failed";

/** One event to one endpoint, retried on a schedule until it succeeds or gives up. */
export interface WebhookDelivery {
  /** `whd_...` */
  readonly id: string;
  readonly endpointId: string;
  /** The `webhook-id` header: the event id, stable across retries so receivers de-duplicate. */
  readonly messageId: string;
  readonly eventType: string;
  /** The exact JSON body that is signed and sent. */
  readonly payload: string;
  readonly status: DeliveryStatus;
  /** Attempts made so far. */
  readonly attemptCount: number;
  readonly attempts: readonly DeliveryAttempt[];
  readonly nextAttemptAt?: Date | undefined;
  /** While `sending`: when the claim lapses and another dispatcher may take it (crash recovery). */
  readonly leaseUntil?: Date | undefined;
  /**
   * While `sending`: identifies the claim holding the lease. Only that holder may record the attempt
   * (`recordAttempt`), so a dispatcher whose lease lapsed and was taken over cannot overwrite the log.
   */
  readonly leaseToken?: string | undefined;
  /** Set on a replay: the delivery it copies. */
  readonly replayOf?: string | undefined;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/**
 * Delay before attempt n+1 after attempt n failed (Standard Webhooks' example schedule):
 * immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h. The first entry is the first attempt.
 */
export const DEFAULT_RETRY_SCHEDULE_MS: readonly number[] = [0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];

/** Longest `Retry-After` honoured (a receiver cannot park a delivery for days). */
export const MAX_RETRY_AFTER_MS = 24 * 3_600_000;

/**
 * The delay before the next attempt, or undefined when the schedule is exhausted.
 * `jitter` in [-1, 1] spreads retries by up to ±10 % so a recovering receiver is not hit by a herd;
 * a `Retry-After` longer than the scheduled delay wins.
 */
export function nextRetryDelay(
  attemptsMade: number,
  schedule: readonly number[],
  jitter: number,
  retryAfterMs?: number,
): number | undefined {
  const base = schedule[attemptsMade];
  if (base === undefined) return undefined;
  const jittered = Math.round(base * (1 + 0.1 * Math.max(-1, Math.min(1, jitter))));
  return retryAfterMs === undefined ? jittered : Math.max(jittered, Math.min(retryAfterMs, MAX_RETRY_AFTER_MS));
}

/** Parses `Retry-After`: delta seconds or an HTTP date (relative to `now`). */
export function parseRetryAfter(value: string | undefined | null, now: Date): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}
