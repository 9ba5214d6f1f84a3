import {
  ConflictError,
  createId,
  NotFoundError,
  pageRequestSchema,
  parse,
  ValidationError,
  type Actor,
  type Page,
  type PageRequest,
} from "@platform/core";
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
import type { WebhookTransport } from "../ports/webhook-transport.js";
import { authorize } from "./authorize.js";
import type { ServiceContext } from "./context.js";
import { WebhookDispatcher } from "./webhook-dispatcher.js";
import type { WebhookOptions } from "./webhook-options.js";
import type { WebhookQueue } from "./webhook-queue.js";
import { paymentsCodes } from "../domain/error-codes.js";

export type { WebhookOptions } from "./webhook-options.js";

const idSchema = z.string().trim().min(1).max(64);
const endpointRefSchema = z.object({ endpointId: idSchema }).strict();
const deliveryRefSchema = z.object({ deliveryId: idSchema }).strict();
const deliveriesSchema = pageRequestSchema.extend({ endpointId: idSchema }).strict();
const rotateSchema = z
  .object({
    endpointId: idSchema,
    overlapSeconds: z
      .number()
      .int()
      .min(0)
      .max(7 * 86_400)
      .default(86_400),
    secret: createEndpointSchema.shape.secret,
  })
  .strict();

/**
 * Webhooks per the Standard Webhooks specification: endpoints with event filters and `whsec_`
 * secrets (rotation signs with old and new during the overlap), deliveries written in the same
 * transaction as their event (so they survive a restart with a persistent store), sent with
 * retries, backoff and jitter, `Retry-After`, 410 disabling the endpoint, an attempts log,
 * manual retry and replay. Reads need `payments:read`; endpoint changes, retry and replay need `admin`.
 * @example
 * ```ts
 * const ep = await system.webhooks.createEndpoint(admin, { url: "https://shop.example/hooks", events: ["payment.*"] });
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
    queue: WebhookQueue,
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
   * @throws ForbiddenError `role_required` (needs `admin`).
   */
  async createEndpoint(actor: Actor, input: CreateEndpointInput): Promise<CreatedWebhookEndpoint> {
    authorize(actor, "admin");
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

  /** An endpoint, secrets masked (`payments:read`). @throws NotFoundError `endpoint_not_found`; ForbiddenError `role_required`. */
  async getEndpoint(actor: Actor, input: { endpointId: string }): Promise<WebhookEndpointView> {
    authorize(actor, "payments:read");
    const eid = parse(endpointRefSchema, input).endpointId;
    const e = await this.ctx.store.transaction((tx) => tx.webhookEndpoints.get(eid));
    if (!e) throw NotFoundError.of(paymentsCodes.endpoint_not_found, "webhook endpoint", eid);
    return toEndpointView(e);
  }

  /** Endpoints, oldest first, secrets masked (`payments:read`). @throws ValidationError `invalid_cursor`; ForbiddenError `role_required`. */
  async listEndpoints(actor: Actor, input: PageRequest = {}): Promise<Page<WebhookEndpointView>> {
    authorize(actor, "payments:read");
    const p = parse(pageRequestSchema.strict(), input);
    const result = await this.ctx.store.transaction((tx) => tx.webhookEndpoints.list(p));
    return { ...result, items: result.items.map(toEndpointView) };
  }

  /**
   * Changes url, filters or the enabled flag; answers the endpoint with secrets masked.
   * @throws ValidationError as createEndpoint; NotFoundError `endpoint_not_found`; ForbiddenError `role_required` (needs `admin`).
   */
  async updateEndpoint(actor: Actor, input: { endpointId: string } & UpdateEndpointInput): Promise<WebhookEndpointView> {
    authorize(actor, "admin");
    const { endpointId: eid, ...changes } = parse(z.object({ endpointId: idSchema }).passthrough(), input);
    const data = parse(updateEndpointSchema, changes);
    if (data.url !== undefined) this.checkUrl(data.url);
    return this.ctx.store.transaction(async (tx) => {
      const e = await tx.webhookEndpoints.get(eid);
      if (!e) throw NotFoundError.of(paymentsCodes.endpoint_not_found, "webhook endpoint", eid);
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

  /** Removes an endpoint (`admin`). @throws NotFoundError `endpoint_not_found`; ForbiddenError `role_required`. */
  async deleteEndpoint(actor: Actor, input: { endpointId: string }): Promise<void> {
    authorize(actor, "admin");
    const eid = parse(endpointRefSchema, input).endpointId;
    await this.ctx.store.transaction(async (tx) => {
      if (!(await tx.webhookEndpoints.delete(eid))) throw NotFoundError.of(paymentsCodes.endpoint_not_found, "webhook endpoint", eid);
    });
  }

  /**
   * Adds a new secret; the current ones keep signing for `overlapSeconds` (default 24 h), so
   * receivers can switch without losing a message. Returns the endpoint (secrets masked, the new one
   * last) with the new secret in clear in `secret`: the only read of it after this call.
   * @throws NotFoundError `endpoint_not_found`; ForbiddenError `role_required` (needs `admin`).
   */
  async rotateSecret(
    actor: Actor,
    input: { endpointId: string; overlapSeconds?: number; secret?: string },
  ): Promise<CreatedWebhookEndpoint> {
    authorize(actor, "admin");
    const o = parse(rotateSchema, input);
    const eid = o.endpointId;
    return this.ctx.store.transaction(async (tx) => {
      const e = await tx.webhookEndpoints.get(eid);
      if (!e) throw NotFoundError.of(paymentsCodes.endpoint_not_found, "webhook endpoint", eid);
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
   * @throws ForbiddenError `role_required` (needs `admin`).
   */
  async retry(actor: Actor, input: { deliveryId: string }): Promise<WebhookDelivery> {
    authorize(actor, "admin");
    const id = parse(deliveryRefSchema, input).deliveryId;
    const { claimed, previous } = await this.ctx.store.transaction(async (tx) => {
      const cur = await tx.webhookDeliveries.get(id);
      if (!cur) throw NotFoundError.of(paymentsCodes.delivery_not_found, "webhook delivery", id);
      const now = this.ctx.clock.now();
      const d = await tx.webhookDeliveries.claim(id, now, new Date(now.getTime() + this.leaseMs), createId("wls"));
      if (!d) {
        throw new ConflictError(paymentsCodes.delivery_in_flight, `webhook delivery ${id} is being sent by a dispatcher`, {
          details: { deliveryId: id, leaseUntil: cur.leaseUntil?.toISOString() ?? null },
        });
      }
      return { claimed: d, previous: cur.status };
    });
    return this.dispatcher.deliver(claimed, true, undefined, previous);
  }

  /**
   * Queues a new delivery of the same message (same `webhook-id`, so receivers can de-duplicate)
   * and sends it now (`admin`). @throws NotFoundError `delivery_not_found`; ForbiddenError `role_required`.
   */
  async replay(actor: Actor, input: { deliveryId: string }): Promise<WebhookDelivery> {
    authorize(actor, "admin");
    const id = parse(deliveryRefSchema, input).deliveryId;
    const copy = await this.ctx.store.transaction(async (tx) => {
      const cur = await tx.webhookDeliveries.get(id);
      if (!cur) throw NotFoundError.of(paymentsCodes.delivery_not_found, "webhook delivery", id);
      const now = this.ctx.clock.now();
      const d: WebhookDelivery = {
        ...cur,
        id: createId("whd"),
        status: "sending",
        attemptCount: 0,
        attempts: [],
        nextAttemptAt: now,
        leaseUntil: new Date(now.getTime() + this.leaseMs),
        leaseToken: createId("wls"),
        replayOf: cur.id,
        createdAt: now,
        updatedAt: now,
      };
      await tx.webhookDeliveries.insert(d);
      return d;
    });
    return this.dispatcher.deliver(copy, true);
  }

  /** A delivery with its attempts log (`payments:read`). @throws NotFoundError `delivery_not_found`; ForbiddenError `role_required`. */
  async getDelivery(actor: Actor, input: { deliveryId: string }): Promise<WebhookDelivery> {
    authorize(actor, "payments:read");
    const did = parse(deliveryRefSchema, input).deliveryId;
    const d = await this.ctx.store.transaction((tx) => tx.webhookDeliveries.get(did));
    if (!d) throw NotFoundError.of(paymentsCodes.delivery_not_found, "webhook delivery", did);
    return d;
  }

  /** Deliveries of an endpoint, newest first (`payments:read`). @throws ValidationError `invalid_cursor`; ForbiddenError `role_required`. */
  async listDeliveries(actor: Actor, input: { endpointId: string } & PageRequest): Promise<Page<WebhookDelivery>> {
    authorize(actor, "payments:read");
    const { endpointId, ...page } = parse(deliveriesSchema, input);
    return this.ctx.store.transaction((tx) => tx.webhookDeliveries.listByEndpoint(endpointId, page));
  }
}
