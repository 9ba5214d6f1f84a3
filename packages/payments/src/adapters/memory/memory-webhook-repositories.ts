import { createId, paginate, type CursorCodec, type MemoryTable } from "@platform/core";
import type { WebhookDelivery } from "../../domain/webhook-delivery.js";
import { eventMatches, type WebhookEndpoint } from "../../domain/webhook-endpoint.js";
import type { DeliveryMessage, PageQuery, WebhookDeliveryRepository, WebhookEndpointRepository } from "../../ports/payment-store.js";

/** Webhook endpoints with an index of the enabled ones. */
export class MemoryWebhookEndpointRepository implements WebhookEndpointRepository {
  constructor(
    private readonly table: MemoryTable<WebhookEndpoint, never, "enabled">,
    private readonly codec: CursorCodec,
  ) {}
  async get(id: string) {
    return this.table.get(id) ?? null;
  }
  async insert(e: WebhookEndpoint) {
    this.table.insert(e);
  }
  async update(e: WebhookEndpoint) {
    this.table.put(e);
  }
  async disable(id: string, url: string, reason: string, now: Date) {
    const cur = this.table.get(id);
    if (!cur || !cur.enabled || cur.url !== url) return false;
    this.table.put({ ...cur, enabled: false, disabledReason: reason, updatedAt: now });
    return true;
  }
  async delete(id: string) {
    return this.table.delete(id);
  }
  async listEnabled() {
    return this.table.findBy("enabled", "1");
  }
  async list(page: PageQuery) {
    return paginate(this.table.values(), page, {
      kind: "webhooks.endpoints",
      key: (e) => [e.createdAt.getTime(), e.id],
      direction: "asc",
      codec: this.codec,
    });
  }
}

/** Deliveries with an index of the active (pending or sending) ones. */
export class MemoryWebhookDeliveryRepository implements WebhookDeliveryRepository {
  constructor(
    private readonly table: MemoryTable<WebhookDelivery, never, "active" | "endpoint">,
    private readonly codec: CursorCodec,
    private readonly endpoints: WebhookEndpointRepository,
  ) {}
  async get(id: string) {
    return this.table.get(id) ?? null;
  }
  async insert(d: WebhookDelivery) {
    this.table.insert(d);
  }
  async insertForEvent(message: DeliveryMessage, now: Date, onWritten: (count: number) => void) {
    let count = 0;
    for (const e of await this.endpoints.listEnabled()) {
      if (!eventMatches(e.events, message.type)) continue;
      this.table.insert({
        id: createId("whd"),
        endpointId: e.id,
        messageId: message.id,
        eventType: message.type,
        payload: message.payload,
        status: "pending",
        attemptCount: 0,
        attempts: [],
        nextAttemptAt: now,
        createdAt: now,
        updatedAt: now,
      });
      count++;
    }
    onWritten(count);
  }
  async update(d: WebhookDelivery) {
    this.table.put(d);
  }
  async claimDue(now: Date, leaseUntil: Date, limit: number, leaseToken: string) {
    const t = now.getTime();
    const due: WebhookDelivery[] = [];
    for (const d of this.table.findBy("active", "1")) {
      const ready = d.status === "pending" ? (d.nextAttemptAt?.getTime() ?? 0) <= t : (d.leaseUntil?.getTime() ?? 0) <= t;
      if (ready) due.push(d);
    }
    due.sort((a, b) => (a.nextAttemptAt?.getTime() ?? 0) - (b.nextAttemptAt?.getTime() ?? 0));
    return due.slice(0, limit).map((d) => this.table.put({ ...d, status: "sending", leaseUntil, leaseToken, updatedAt: now }));
  }
  async claim(id: string, now: Date, leaseUntil: Date, leaseToken: string) {
    const d = this.table.get(id);
    if (!d || (d.status === "sending" && (d.leaseUntil?.getTime() ?? 0) > now.getTime())) return null;
    return this.table.put({ ...d, status: "sending", leaseUntil, leaseToken, updatedAt: now });
  }
  async recordAttempt(d: WebhookDelivery, leaseToken: string) {
    const cur = this.table.get(d.id);
    if (!cur || cur.status !== "sending" || cur.leaseToken !== leaseToken) return false;
    this.table.put(d);
    return true;
  }
  async listByEndpoint(endpointId: string, page: PageQuery) {
    return paginate(this.table.findBy("endpoint", endpointId), page, {
      kind: "webhooks.deliveries",
      key: (d) => [d.createdAt.getTime(), d.id],
      direction: "desc",
      codec: this.codec,
    });
  }
  async nextDueAt() {
    let min: number | undefined;
    for (const d of this.table.findBy("active", "1")) {
      const at = d.status === "pending" ? (d.nextAttemptAt?.getTime() ?? 0) : (d.leaseUntil?.getTime() ?? 0);
      if (min === undefined || at < min) min = at;
    }
    return min === undefined ? null : new Date(min);
  }
  async purgeFinished(before: Date, limit: number) {
    const replayed = new Set<string>();
    for (const d of this.table.values()) if (d.replayOf !== undefined) replayed.add(d.replayOf);
    const doomed: string[] = [];
    for (const d of this.table.values()) {
      if (doomed.length >= limit) break;
      if ((d.status === "succeeded" || d.status === "failed") && d.updatedAt.getTime() <= before.getTime() && !replayed.has(d.id))
        doomed.push(d.id);
    }
    for (const id of doomed) this.table.delete(id);
    return doomed.length;
  }
}
