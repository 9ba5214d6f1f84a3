import { otelApi, type Attributes } from "./telemetry-api.js";

/** Names of the SDK's metric instruments (stable; see docs/observability.md). */
export const METRICS = {
  checkouts: "platform.commerce.checkouts",
  payments: "platform.payments.payments",
  webhookAttempts: "platform.payments.webhook.attempts",
  dutyLag: "platform.worker.duty.lag",
} as const;

const DESCRIPTIONS: Record<string, { description: string; unit?: string }> = {
  [METRICS.checkouts]: { description: "Checkouts by outcome (placed, or the error code)" },
  [METRICS.payments]: { description: "Payments reaching a status, by status" },
  [METRICS.webhookAttempts]: { description: "Webhook delivery attempts by outcome" },
  [METRICS.dutyLag]: { description: "How late a background duty run started after it was due", unit: "ms" },
};

interface Cached {
  provider: unknown;
  instrument: { add?(v: number, a?: Attributes): void; record?(v: number, a?: Attributes): void };
}
const cache = new Map<string, Cached>();

// Instruments are created on first use and re-created when the host swaps the global meter
// provider (the metrics API has no proxy provider, unlike tracing).
function instrument(name: string, kind: "counter" | "histogram"): Cached["instrument"] | undefined {
  const api = otelApi();
  if (!api) return undefined;
  const provider = api.metrics.getMeterProvider();
  const hit = cache.get(name);
  if (hit && hit.provider === provider) return hit.instrument;
  const meter = api.metrics.getMeter(`@platform/${name.split(".")[1] ?? "core"}`);
  const options = DESCRIPTIONS[name] ?? { description: name };
  const created = kind === "counter" ? meter.createCounter(name, options) : meter.createHistogram(name, options);
  cache.set(name, { provider, instrument: created });
  return created;
}

/**
 * Adds `value` to the counter `name` (one of {@link METRICS}) with `attributes`. A no-op without
 * `@opentelemetry/api` or a registered meter provider; never throws.
 * @example
 * ```ts
 * countMetric(METRICS.webhookAttempts, { "platform.outcome": "delivered" });
 * ```
 */
export function countMetric(name: string, attributes: Attributes, value = 1): void {
  try {
    instrument(name, "counter")?.add?.(value, attributes);
  } catch {
    // Metrics never break a command.
  }
}

/**
 * Records the lag of one duty run (ms between when it was due and when it started) on the
 * `platform.worker.duty.lag` histogram, for the worker. A no-op without `@opentelemetry/api`.
 * @example
 * ```ts
 * recordDutyLag("webhooks.dispatch_due", Date.now() - dueAt);
 * ```
 */
export function recordDutyLag(duty: string, lagMs: number): void {
  try {
    instrument(METRICS.dutyLag, "histogram")?.record?.(Math.max(0, lagMs), { "platform.duty": duty });
  } catch {
    // Metrics never break a duty.
  }
}
