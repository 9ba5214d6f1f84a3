import type { Clock, DomainEvent } from "@platform/core";
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

  /** Writes one delivery per matching enabled endpoint, inside the event's transaction (one statement on PostgreSQL). */
  async enqueue(tx: PaymentTx, event: DomainEvent): Promise<void> {
    const payload = JSON.stringify({ id: event.id, type: event.type, timestamp: event.occurredAt.toISOString(), data: event.data });
    await tx.webhookDeliveries.insertForEvent({ id: event.id, type: event.type, payload }, this.clock.now(), (count) => {
      if (count > 0) this.queued = true;
    });
  }

  /** Whether deliveries were queued since the last call; resets the flag. */
  takeQueued(): boolean {
    const queued = this.queued;
    this.queued = false;
    return queued;
  }
}
