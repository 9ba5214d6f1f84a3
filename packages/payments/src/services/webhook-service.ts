import { ConflictError, createId, NotFoundError, pageRequestSchema, parse, ValidationError, type DomainEvent, type Page } from "@platform/core";
import { z } from "zod";
import type { WebhookDelivery } from "../domain/webhook-delivery.js";
import {
  createEndpointSchema,
  updateEndpointSchema,
  urlProblem,
  type CreateEndpointInput,
  type UpdateEndpointInput,
  type UrlPolicy,
  type WebhookEndpoint,
} from "../domain/webhook-endpoint.js";
import { toEndpointView, type CreatedWebhookEndpoint, type WebhookEndpointView } from "../domain/webhook-endpoint-view.js";
import { generateWebhookSecret } from "../domain/webhook-signature.js";
import type { PaymentTx } from "../ports/payment-store.js";
import type { WebhookTransport } from "../ports/webhook-transport.js";
import type { ServiceContext } from "./context.js";
import { WebhookDispatcher } from "./webhook-dispatcher.js";
import type { WebhookOptions } from "./webhook-options.js";
import type { WebhookQueue } from "./webhook-queue.js";

export type { WebhookOptions } from "./webhook-options.js";

const idSchema = z.string().trim().min(1).max(64);

/**
 * Webhooks per the Standard Webhooks specification: endpoints with event filters and `whsec_`
 * secrets (rotation signs with old and new during the overlap), deliveries written in the same
 * transaction as their event (so they survive a restart with a persistent store), sent with
 * retries, backoff and jitter, `Retry-After`, 410 disabling the endpoint, an attempts log,
 * manual retry and replay.
 * @example
 * ```ts
 * const ep = await system.webhooks.createEndpoint({ url: "https://shop.example/hooks", events: ["payment.*"] });
 * // receiver: verifyWebhook(rawBody, req.headers, ep.secrets[0].secret)
 * const stop = system.webhooks.startWorker(); // retries by the clock
 * ```
 */
export class WebhookService {
  private readonly leaseMs: number;
  private readonly policy: UrlPolicy;
  private readonly dispatcher: WebhookDispatcher;

  constructor(
    private readonly ctx: ServiceContext,
    options: WebhookOptions & { transport: WebhookTransport },
    private readonly queue: WebhookQueue,
  ) {
    this.leaseMs = options.leaseMs ?? 60_000;
    this.policy = { allowHttp: options.allowHttp, allowPrivateNetworks: options.allowPrivateNetworks };
    this.dispatcher = new WebhookDispatcher(ctx, options, queue);
  }

  private checkUrl(url: string): void {
    const problem = urlProblem(url, this.policy);
    if (problem) throw ValidationError.field(problem.code, "url", problem.message);
  }

  /**
   * Registers an endpoint; a `whsec_` secret is generated unless given. The answer carries it in
   * `secret`: the only time besides `rotateSecret` that it is shown (reads mask it).
   * @throws ValidationError `invalid_url`, `insecure_url` (not https), `private_url` (loopback/private host), `validation_failed`.
   */
  async createEndpoint(input: CreateEndpointInput): Promise<CreatedWebhookEndpoint> {
    const data = parse(createEndpointSchema, input);
    this.checkUrl(data.url);
    const now = this.ctx.clock.now();
    const endpoint: WebhookEndpoint = {
      id: createId("we"),
      url: data.url,
      events: data.events,
      secrets: [{ secret: data.secret ?? generateWebhookSecret(), createdAt: now }],
      enabled: data.enabled,
      description: data.description,
      createdAt: now,
      updatedAt: now,
    };
    await this.ctx.store.transaction((tx) => tx.webhookEndpoints.insert(endpoint));
    return { ...toEndpointView(endpoint), secret: endpoint.secrets[0]!.secret };
  }

  /** An endpoint, secrets masked. @throws NotFoundError `endpoint_not_found`. */
  async getEndpoint(id: string): Promise<WebhookEndpointView> {
    const eid = parse(idSchema, id);
    const e = await this.ctx.store.transaction((tx) => tx.webhookEndpoints.get(eid));
    if (!e) throw NotFoundError.of("endpoint_not_found", "webhook endpoint", eid);
    return toEndpointView(e);
  }

  /** Endpoints, oldest first, secrets masked. */
  async listEndpoints(page: { limit?: number; cursor?: string | null } = {}): Promise<Page<WebhookEndpointView>> {
    const p = parse(pageRequestSchema, page);
    const result = await this.ctx.store.transaction((tx) => tx.webhookEndpoints.list(p));
    return { ...result, items: result.items.map(toEndpointView) };
  }

  /**
   * Changes url, filters or the enabled flag; answers the endpoint with secrets masked.
   * @throws ValidationError as createEndpoint; NotFoundError `endpoint_not_found`.
   */
  async updateEndpoint(id: string, input: UpdateEndpointInput): Promise<WebhookEndpointView> {
    const eid = parse(idSchema, id);
    const data = parse(updateEndpointSchema, input);
    if (data.url !== undefined) this.checkUrl(data.url);
    return this.ctx.store.transaction(async (tx) => {
      const e = await tx.webhookEndpoints.get(eid);
      if (!e) throw NotFoundError.of("endpoint_not_found", "webhook endpoint", eid);
      const next: WebhookEndpoint = {
        ...e,
        ...Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined)),
        disabledReason: data.enabled === true ? undefined : data.enabled === false ? "manual" : e.disabledReason,
        updatedAt: this.ctx.clock.now(),
      };
      await tx.webhookEndpoints.update(next);
      return toEndpointView(next);
    });
  }

  /** Removes an endpoint. @throws NotFoundError `endpoint_not_found`. */
  async deleteEndpoint(id: string): Promise<void> {
    const eid = parse(idSchema, id);
    await this.ctx.store.transaction(async (tx) => {
      if (!(await tx.webhookEndpoints.delete(eid))) throw NotFoundError.of("endpoint_not_found", "webhook endpoint", eid);
    });
  }

  /**
   * Adds a new secret; the current ones keep signing for `overlapSeconds` (default 24 h), so
   * receivers can switch without losing a message. Returns the endpoint (secrets masked, the new one
   * last) with the new secret in clear in `secret`: the only read of it after this call.
   * @throws NotFoundError `endpoint_not_found`.
   */
  async rotateSecret(id: string, options: { overlapSeconds?: number; secret?: string } = {}): Promise<CreatedWebhookEndpoint> {
    const eid = parse(idSchema, id);
    const o = parse(z.object({ overlapSeconds: z.number().int().min(0).max(7 * 86_400).default(86_400), secret: createEndpointSchema.shape.secret }).strict(), options);
    return this.ctx.store.transaction(async (tx) => {
      const e = await tx.webhookEndpoints.get(eid);
      if (!e) throw NotFoundError.of("endpoint_not_found", "webhook endpoint", eid);
      const now = this.ctx.clock.now();
      const until = new Date(now.getTime() + o.overlapSeconds * 1000);
      const kept = e.secrets
        .filter((s) => !s.expiresAt || s.expiresAt.getTime() > now.getTime())
        .map((s) => ({ ...s, expiresAt: s.expiresAt && s.expiresAt.getTime() < until.getTime() ? s.expiresAt : until }));
      const secret = o.secret ?? generateWebhookSecret();
      const next: WebhookEndpoint = { ...e, secrets: [...kept, { secret, createdAt: now }], updatedAt: now };
      await tx.webhookEndpoints.update(next);
      return { ...toEndpointView(next), secret };
    });
  }

  /** @internal Writes one delivery per matching enabled endpoint, inside the event's transaction. */
  enqueue(tx: PaymentTx, event: DomainEvent): Promise<void> {
    return this.queue.enqueue(tx, event);
  }

  /** @internal Called after commits. */
  kick(): void {
    this.dispatcher.kick();
  }

  /**
   * Sends every delivery due by the clock (first attempts and scheduled retries), in batches of
   * `limit` (1-1000, default 100), and returns how many attempts were made. Safe to run from several
   * workers: each delivery is claimed with a lease before it is sent. `maxBatches` stops after that
   * many batches (the worker takes one at a time, so a stop never waits for a whole backlog).
   * @throws ValidationError for a bad `limit` or `maxBatches`.
   */
  dispatchDue(options: { limit?: number; maxBatches?: number } = {}): Promise<number> {
    return this.dispatcher.dispatchDue(options);
  }

  /**
   * Runs `dispatchDue()` every `intervalMs` (default 1 s) until the returned function is called.
   * The timer does not keep the process alive.
   */
  startWorker(options: { intervalMs?: number } = {}): () => void {
    return this.dispatcher.startWorker(options);
  }

  /**
   * Sends a delivery now, outside its schedule (also one that gave up, or already `succeeded`).
   * It is claimed with a lease first, as a dispatcher claims it, so it is never sent by two at once.
   * Returns it after the attempt.
   * @throws NotFoundError `delivery_not_found`.
   * @throws ConflictError `delivery_in_flight` while a dispatcher's lease on it is live (retry after `leaseUntil`).
   */
  async retry(deliveryId: string): Promise<WebhookDelivery> {
    const id = parse(idSchema, deliveryId);
    const { claimed, previous } = await this.ctx.store.transaction(async (tx) => {
      const cur = await tx.webhookDeliveries.get(id);
      if (!cur) throw NotFoundError.of("delivery_not_found", "webhook delivery", id);
      const now = this.ctx.clock.now();
      const d = await tx.webhookDeliveries.claim(id, now, new Date(now.getTime() + this.leaseMs), createId("wls"));
      if (!d) {
        throw new ConflictError("delivery_in_flight", `webhook delivery ${id} is being sent by a dispatcher`, { details: { deliveryId: id, leaseUntil: cur.leaseUntil?.toISOString() ?? null } });
      }
      return { claimed: d, previous: cur.status };
    });
    return this.dispatcher.deliver(claimed, true, undefined, previous);
  }

  /**
   * Queues a new delivery of the same message (same `webhook-id`, so receivers can de-duplicate)
   * and sends it now. @throws NotFoundError `delivery_not_found`.
   */
  async replay(deliveryId: string): Promise<WebhookDelivery> {
    const id = parse(idSchema, deliveryId);
    const copy = await this.ctx.store.transaction(async (tx) => {
      const cur = await tx.webhookDeliveries.get(id);
      if (!cur) throw NotFoundError.of("delivery_not_found", "webhook delivery", id);
      const now = this.ctx.clock.now();
      const d: WebhookDelivery = { ...cur, id: createId("whd"), status: "sending", attemptCount: 0, attempts: [], nextAttemptAt: now, leaseUntil: new Date(now.getTime() + this.leaseMs), leaseToken: createId("wls"), replayOf: cur.id, createdAt: now, updatedAt: now };
      await tx.webhookDeliveries.insert(d);
      return d;
    });
    return this.dispatcher.deliver(copy, true);
  }

  /** A delivery with its attempts log. @throws NotFoundError `delivery_not_found`. */
  async getDelivery(id: string): Promise<WebhookDelivery> {
    const did = parse(idSchema, id);
    const d = await this.ctx.store.transaction((tx) => tx.webhookDeliveries.get(did));
    if (!d) throw NotFoundError.of("delivery_not_found", "webhook delivery", did);
    return d;
  }

  /** Deliveries of an endpoint, newest first. */
  async listDeliveries(endpointId: string, page: { limit?: number; cursor?: string | null } = {}): Promise<Page<WebhookDelivery>> {
    const eid = parse(idSchema, endpointId);
    const p = parse(pageRequestSchema, page);
    return this.ctx.store.transaction((tx) => tx.webhookDeliveries.listByEndpoint(eid, p));
  }
}
