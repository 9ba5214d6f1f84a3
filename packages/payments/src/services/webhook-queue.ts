import { createId, type Clock, type DomainEvent } from "@platform/core";
import { eventMatches } from "../domain/webhook-endpoint.js";
import type { PaymentTx } from "../ports/payment-store.js";

/**
 * @internal Writes webhook deliveries inside the event's transaction. Built before the service
 * context (whose `enqueueDeliveries` it is), so the context is complete when built; the dispatcher
 * reads {@link takeQueued} to skip dispatch runs after commits that queued nothing.
 */
export class WebhookQueue {
  // Set when a transaction queued deliveries, so commits that queued none trigger no dispatch run.
  private queued = false;

  constructor(private readonly clock: Clock) {}

  /** Writes one delivery per matching enabled endpoint, inside the event's transaction. */
  async enqueue(tx: PaymentTx, event: DomainEvent): Promise<void> {
    const endpoints = await tx.webhookEndpoints.listEnabled();
    if (endpoints.length === 0) return;
    const payload = JSON.stringify({ id: event.id, type: event.type, timestamp: event.occurredAt.toISOString(), data: event.data });
    const now = this.clock.now();
    for (const e of endpoints) {
      if (!eventMatches(e.events, event.type)) continue;
      this.queued = true;
      await tx.webhookDeliveries.insert({
        id: createId("whd"),
        endpointId: e.id,
        messageId: event.id,
        eventType: event.type,
        payload,
        status: "pending",
        attemptCount: 0,
        attempts: [],
        nextAttemptAt: now,
        createdAt: now,
        updatedAt: now,
      });
    }
  }

  /** Whether deliveries were queued since the last call; resets the flag. */
  takeQueued(): boolean {
    const queued = this.queued;
    this.queued = false;
    return queued;
  }
}
