import { createEvent, type Clock, type DomainEvent, type Logger } from "@platform/core";
import type { PaymentEventMap } from "../domain/events.js";
import type { PaymentStore, PaymentTx } from "../ports/payment-store.js";
import type { GatewayRegistry } from "./gateway-registry.js";

/** Hook that turns an event into webhook deliveries inside the same transaction. */
type DeliveryEnqueuer = (tx: PaymentTx, event: DomainEvent) => Promise<void>;

/** What every service of one payment system shares. */
export interface ServiceContext {
  readonly store: PaymentStore;
  readonly clock: Clock;
  readonly gateways: GatewayRegistry;
  /** Where failures the services recover from are logged. */
  readonly logger: Logger;
  /** The largest amount accepted on create, capture and refund, in the currency's minor units. */
  readonly maxAmountMinor: bigint;
  /** Writes the webhook deliveries of an event in its transaction (the system's webhook queue). */
  readonly enqueueDeliveries: DeliveryEnqueuer;
}

/**
 * Records an event in the transaction: it reaches the bus only after commit, and its webhook
 * deliveries are written in the same transaction, so a rolled-back change announces nothing and a
 * committed one is never lost between commit and delivery.
 */
export async function recordEvent<K extends keyof PaymentEventMap & string>(
  ctx: ServiceContext,
  tx: PaymentTx,
  type: K,
  data: PaymentEventMap[K],
): Promise<void> {
  const event = createEvent(type, data, ctx.clock);
  tx.outbox.add(event);
  await ctx.enqueueDeliveries(tx, event);
}
