import { durationMs, parse, purgeOptionsSchema, type DurationInput, type PurgeOptions } from "@platform/core";
import { z } from "zod";
import type { ServiceContext } from "./context.js";

/** How long finished records are kept before the purges of {@link MaintenanceService} remove them. */
export interface RetentionOptions {
  /**
   * Minimum age (since creation) of an expired idempotency key before it is purged. A key is always
   * kept while live (24 h, as Stripe's); default 7 days, so a key can be traced for a week.
   */
  idempotencyKeys?: DurationInput;
  /** How long a finished (succeeded or failed) webhook delivery and its attempt log are kept after its last attempt. Default 30 days. */
  webhookDeliveries?: DurationInput;
  /**
   * How long a provider event applied (a Stripe webhook, `gatewayEvents`) is remembered by its id.
   * Default 30 days; at least 3 days, as Stripe redelivers an event for up to 3 days.
   */
  gatewayEvents?: DurationInput;
}

/** Default retentions, in ms. */
export const DEFAULT_RETENTION = Object.freeze({
  idempotencyKeysMs: 7 * 24 * 3_600_000,
  webhookDeliveriesMs: 30 * 24 * 3_600_000,
  gatewayEventsMs: 30 * 24 * 3_600_000,
});

const retentionSchema = z.object({
  idempotencyKeysMs: z.number().int().min(0),
  webhookDeliveriesMs: z.number().int().min(0),
  gatewayEventsMs: z
    .number()
    .int()
    .min(3 * 24 * 3_600_000),
});

/**
 * Retention purges of the payment system (`system.maintenance`), for a background worker: each call
 * removes at most `limit` rows and returns how many, so a worker calls it again while it returns
 * `limit`. Safe to run from several processes at once (bounded `FOR UPDATE SKIP LOCKED` batches).
 * @example
 * ```ts
 * setInterval(async () => {
 *   while ((await system.maintenance.purgeIdempotencyKeys({ limit: 1000 })) === 1000);
 *   while ((await system.maintenance.purgeWebhookDeliveries({ limit: 1000 })) === 1000);
 * }, 60_000);
 * ```
 */
export class MaintenanceService {
  private readonly retention: { idempotencyKeysMs: number; webhookDeliveriesMs: number; gatewayEventsMs: number };

  /** @throws ValidationError when a retention is negative or not a whole number of ms, or `gatewayEvents` is under 3 days. */
  constructor(
    private readonly ctx: ServiceContext,
    retention: RetentionOptions = {},
  ) {
    this.retention = parse(retentionSchema, {
      idempotencyKeysMs:
        retention.idempotencyKeys === undefined ? DEFAULT_RETENTION.idempotencyKeysMs : durationMs(retention.idempotencyKeys),
      webhookDeliveriesMs:
        retention.webhookDeliveries === undefined ? DEFAULT_RETENTION.webhookDeliveriesMs : durationMs(retention.webhookDeliveries),
      gatewayEventsMs: retention.gatewayEvents === undefined ? DEFAULT_RETENTION.gatewayEventsMs : durationMs(retention.gatewayEvents),
    });
  }

  /**
   * Deletes up to `limit` idempotency keys that have expired and are older than the retention.
   * A replay after that runs as a new request, exactly as after the key expired.
   * @throws ValidationError `invalid_limit`.
   */
  async purgeIdempotencyKeys(options?: PurgeOptions): Promise<number> {
    const { limit } = parse(purgeOptionsSchema, options);
    const now = this.ctx.clock.now();
    const createdBefore = new Date(now.getTime() - this.retention.idempotencyKeysMs);
    return this.ctx.store.transaction((tx) => tx.idempotency.purgeExpired(now, createdBefore, limit));
  }

  /**
   * Deletes up to `limit` finished webhook deliveries (with their attempt logs) whose last change is
   * older than the retention. Deliveries still pending or sending are never touched.
   * @throws ValidationError `invalid_limit`.
   */
  async purgeWebhookDeliveries(options?: PurgeOptions): Promise<number> {
    const { limit } = parse(purgeOptionsSchema, options);
    const before = new Date(this.ctx.clock.now().getTime() - this.retention.webhookDeliveriesMs);
    return this.ctx.store.transaction((tx) => tx.webhookDeliveries.purgeFinished(before, limit));
  }

  /**
   * Deletes up to `limit` records of provider events (Stripe webhooks applied) received longer ago
   * than the retention. An event redelivered after that is applied again, which moves nothing: a
   * payment only moves forward and a settled refund stays settled.
   * @throws ValidationError `invalid_limit`.
   */
  async purgeGatewayEvents(options?: PurgeOptions): Promise<number> {
    const { limit } = parse(purgeOptionsSchema, options);
    const before = new Date(this.ctx.clock.now().getTime() - this.retention.gatewayEventsMs);
    return this.ctx.store.transaction((tx) => tx.gatewayEvents.purgeBefore(before, limit));
  }
}
