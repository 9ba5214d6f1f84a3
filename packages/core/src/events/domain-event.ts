import type { Clock } from "../clock/clock.js";
import { createId } from "../ids/id.js";

/** Map of event type -> payload, e.g. `{ "order.placed": { orderId: string } }`. */
export type EventMap = { [type: string]: unknown };

/** The envelope every event travels in. */
export interface DomainEvent<T extends string = string, D = unknown> {
  /** `evt_...`, unique; webhook deliveries and outbox rows reuse it for de-duplication. */
  readonly id: string;
  /** `<aggregate>.<past_tense>`, e.g. `payment.succeeded`. */
  readonly type: T;
  /** When the change happened, from the injected clock. */
  readonly occurredAt: Date;
  /** The payload: plain JSON-safe data. */
  readonly data: D;
}

/** The union of envelopes of an event map. */
export type AnyEventOf<M extends EventMap> = { [K in keyof M & string]: DomainEvent<K, M[K]> }[keyof M & string];

/** Builds an event envelope with a fresh `evt_` id and the clock's time. */
export function createEvent<T extends string, D>(type: T, data: D, clock: Clock): DomainEvent<T, D> {
  return Object.freeze({ id: createId("evt"), type, occurredAt: clock.now(), data });
}
