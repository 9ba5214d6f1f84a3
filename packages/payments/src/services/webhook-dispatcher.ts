import { randomInt } from "node:crypto";
import { createId, parse, withSpan, writeLog } from "@platform/core";
import { z } from "zod";
import { DEFAULT_RETRY_SCHEDULE_MS, nextRetryDelay, type DeliveryAttempt, type WebhookDelivery } from "../domain/webhook-delivery.js";
import type { WebhookEndpoint } from "../domain/webhook-endpoint.js";
import type { WebhookTransport } from "../ports/webhook-transport.js";
import type { ServiceContext } from "./context.js";
import { KeyedLimiter } from "./keyed-limiter.js";
import { attemptDelivery, observeAttempt } from "./webhook-attempt.js";
import type { WebhookOptions } from "./webhook-options.js";
import type { WebhookQueue } from "./webhook-queue.js";

/**
 * Queues, signs, sends and reschedules webhook deliveries. Deliveries are rows in the store, so any
 * process can dispatch them; each is claimed with a lease before it is sent.
 */
export class WebhookDispatcher {
  private readonly transport: WebhookTransport;
  private readonly timeoutMs: number;
  private readonly schedule: readonly number[];
  private readonly leaseMs: number;
  private readonly perEndpoint: KeyedLimiter;
  private dispatching: Promise<number> | undefined;
  private again = false;

  constructor(
    private readonly ctx: ServiceContext,
    options: WebhookOptions & { transport: WebhookTransport },
    private readonly queue: WebhookQueue,
  ) {
    this.transport = options.transport;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.schedule = options.retrySchedule ?? DEFAULT_RETRY_SCHEDULE_MS;
    this.leaseMs = options.leaseMs ?? 60_000;
    parse(z.array(z.number().int().min(0)).min(1).max(50), [...this.schedule]);
    this.perEndpoint = new KeyedLimiter(parse(z.number().int().min(1).max(1000).default(10), options.maxConcurrentPerEndpoint));
  }

  /** @internal Called after commits: sends what is due, coalescing bursts into one run. */
  kick(): void {
    if (!this.queue.takeQueued()) return;
    if (this.dispatching) {
      this.again = true;
      return;
    }
    void this.dispatchDue().catch((error: unknown) => writeLog(this.ctx.logger, "error", "webhook dispatch run failed", {}, error));
  }

  /**
   * Sends every delivery due by the clock (first attempts and scheduled retries), in batches of
   * `limit`, and returns how many attempts were made. Safe to run from several workers: each
   * delivery is claimed with a lease before it is sent.
   */
  async dispatchDue(options: { limit?: number; maxBatches?: number } = {}): Promise<number> {
    const limit = parse(z.number().int().min(1).max(1000).default(100), options.limit);
    const maxBatches = parse(z.number().int().min(1).optional(), options.maxBatches) ?? Infinity;
    // The previous run's failure belongs to (and is reported by) its own caller.
    if (this.dispatching) await this.dispatching.catch(() => undefined);
    const run = (async () => {
      let sent = 0;
      for (let batches = 1; ; batches++) {
        this.again = false;
        const now = this.ctx.clock.now();
        const batch = await this.ctx.store.transaction((tx) =>
          tx.webhookDeliveries.claimDue(now, new Date(now.getTime() + this.leaseMs), limit, createId("wls")),
        );
        // One read of the batch's endpoints instead of one transaction per delivery.
        const endpoints = await this.ctx.store.transaction(async (tx) => {
          const map = new Map<string, WebhookEndpoint | null>();
          for (const id of new Set(batch.map((d) => d.endpointId))) map.set(id, await tx.webhookEndpoints.get(id));
          return map;
        });
        const attempted = await Promise.all(batch.map((d) => this.send(d, false, endpoints.get(d.endpointId) ?? null)));
        sent += attempted.filter((a) => a.attempted).length;
        if ((batch.length < limit && !this.again) || batches >= maxBatches) return sent;
      }
    })();
    this.dispatching = run;
    try {
      return await run;
    } finally {
      if (this.dispatching === run) this.dispatching = undefined;
    }
  }

  /**
   * Runs `dispatchDue()` every `intervalMs` (default 1 s) until the returned function is called.
   * The timer does not keep the process alive.
   */
  startWorker(options: { intervalMs?: number } = {}): () => void {
    const ms = parse(z.number().int().min(10).max(3_600_000).default(1000), options.intervalMs);
    const timer = setInterval(
      () => void this.dispatchDue().catch((error: unknown) => writeLog(this.ctx.logger, "error", "webhook dispatch run failed", {}, error)),
      ms,
    );
    timer.unref?.();
    return () => clearInterval(timer);
  }

  /**
   * Sends one claimed delivery and records the attempt and what comes next. `previous`: the status
   * before a manual retry claimed it (a retry of one that gave up does not restart the schedule).
   */
  async deliver(
    d: WebhookDelivery,
    manual: boolean,
    preloaded?: WebhookEndpoint | null,
    previous?: WebhookDelivery["status"],
  ): Promise<WebhookDelivery> {
    return (await this.send(d, manual, preloaded, previous)).delivery;
  }

  /** As `deliver`; `attempted` is false when the delivery went back to the queue unsent. */
  private async send(
    d: WebhookDelivery,
    manual: boolean,
    preloaded?: WebhookEndpoint | null,
    previous?: WebhookDelivery["status"],
  ): Promise<{ delivery: WebhookDelivery; attempted: boolean }> {
    const endpoint =
      preloaded !== undefined ? (preloaded ?? undefined) : await this.ctx.store.transaction((tx) => tx.webhookEndpoints.get(d.endpointId));
    let attempt: DeliveryAttempt;
    let status: number | undefined;
    let retryAfter: number | undefined;
    if (!endpoint || !endpoint.enabled) {
      attempt = { at: this.ctx.clock.now(), error: endpoint ? "endpoint disabled" : "endpoint deleted", durationMs: 0, manual };
      observeAttempt(this.ctx, d, attempt, undefined);
    } else {
      const waited = await this.perEndpoint.acquire(endpoint.id);
      const left = (d.leaseUntil?.getTime() ?? 0) - this.ctx.clock.now().getTime();
      if (waited && !manual && left < Math.min(this.timeoutMs, this.leaseMs / 2)) {
        this.perEndpoint.release(endpoint.id);
        return { delivery: await this.handBack(d), attempted: false };
      }
      try {
        ({ attempt, status, retryAfter } = await withSpan(
          "payments.webhook.deliver",
          {
            "platform.webhook_delivery.id": d.id,
            "platform.webhook_endpoint.id": d.endpointId,
            "platform.event.id": d.messageId,
            "platform.event.type": d.eventType,
            "platform.attempt": d.attemptCount + 1,
            "platform.manual": manual,
          },
          async (span) => {
            const result = await attemptDelivery(this.ctx, { transport: this.transport, timeoutMs: this.timeoutMs }, d, endpoint, manual);
            const outcome = observeAttempt(this.ctx, d, result.attempt, result.status);
            span.setAttributes({ "http.response.status_code": result.status, "platform.outcome": outcome });
            if (outcome !== "delivered") span.setError(outcome);
            return result;
          },
        ));
      } finally {
        this.perEndpoint.release(endpoint.id);
      }
    }
    const delivery = await this.record(d, attempt, status, retryAfter, endpoint, manual, previous);
    return { delivery, attempted: true };
  }

  /** Puts a claimed delivery back in the queue, due now, without an attempt (only under our lease). */
  private handBack(d: WebhookDelivery): Promise<WebhookDelivery> {
    return this.ctx.store.transaction(async (tx) => {
      const cur = await tx.webhookDeliveries.get(d.id);
      if (!cur || cur.status !== "sending" || d.leaseToken === undefined || cur.leaseToken !== d.leaseToken) return cur ?? d;
      const now = this.ctx.clock.now();
      const next: WebhookDelivery = {
        ...cur,
        status: "pending",
        nextAttemptAt: now,
        leaseUntil: undefined,
        leaseToken: undefined,
        updatedAt: now,
      };
      return (await tx.webhookDeliveries.recordAttempt(next, d.leaseToken)) ? next : ((await tx.webhookDeliveries.get(d.id)) ?? cur);
    });
  }

  /** Records an attempt and what comes next, under the claim's lease token. */
  private record(
    d: WebhookDelivery,
    attempt: DeliveryAttempt,
    status: number | undefined,
    retryAfter: number | undefined,
    endpoint: WebhookEndpoint | null | undefined,
    manual: boolean,
    previous?: WebhookDelivery["status"],
  ): Promise<WebhookDelivery> {
    return this.ctx.store.transaction(async (tx) => {
      const cur = await tx.webhookDeliveries.get(d.id);
      // Our lease lapsed and another claim took the delivery over (or it is gone): its holder records
      // the outcome, not us. recordAttempt re-checks the token in the write itself (SQL: no row lock here).
      if (!cur || cur.status !== "sending" || d.leaseToken === undefined || cur.leaseToken !== d.leaseToken) return cur ?? d;
      const now = this.ctx.clock.now();
      const attemptCount = cur.attemptCount + 1;
      const base = {
        ...cur,
        attemptCount,
        attempts: [...cur.attempts, attempt],
        leaseUntil: undefined,
        leaseToken: undefined,
        updatedAt: now,
      };
      let next: WebhookDelivery;
      if (status !== undefined && status >= 200 && status < 300) {
        next = { ...base, status: "succeeded", nextAttemptAt: undefined };
      } else if (status === 410 || !endpoint || !endpoint.enabled) {
        next = { ...base, status: "failed", nextAttemptAt: undefined };
      } else {
        // A manual retry of a delivery that had given up does not restart the schedule.
        const delay =
          manual && (previous ?? cur.status) === "failed"
            ? undefined
            : nextRetryDelay(attemptCount, this.schedule, randomInt(-1000, 1001) / 1000, retryAfter);
        next =
          delay === undefined
            ? { ...base, status: "failed", nextAttemptAt: undefined }
            : { ...base, status: "pending", nextAttemptAt: new Date(now.getTime() + delay) };
      }
      if (!(await tx.webhookDeliveries.recordAttempt(next, d.leaseToken))) return (await tx.webhookDeliveries.get(d.id)) ?? cur;
      // Only the flag, on the row as it is now: the copy read before the request may be stale (a
      // concurrent edit must survive), and a 410 from a URL since replaced says nothing about the new one.
      if (status === 410 && endpoint) await tx.webhookEndpoints.disable(endpoint.id, endpoint.url, "gone", now);
      return next;
    });
  }
}
