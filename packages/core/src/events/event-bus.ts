import { EventEmitter } from "eventemitter3";
import { writeLog, type Logger } from "../observability/logger.js";
import type { AnyEventOf, DomainEvent, EventMap } from "./domain-event.js";

/** A subscriber; it may be async. Its failures never reach the command that raised the event. */
export type EventHandler<E> = (event: E) => unknown;

/** Called when a subscriber throws or rejects. */
export type EventErrorHook = (error: unknown, event: DomainEvent) => void;

/** Options of an {@link EventBus}. */
export interface EventBusOptions {
  /** Receives subscriber failures; defaults to a `logger` line when a logger is given, else `console.error`. */
  onError?: EventErrorHook;
  /** Where subscriber failures are logged (level error, with `code`, `eventType` and `eventId`) when no `onError` is given. */
  logger?: Logger;
}

const ANY = "*";

/**
 * A typed, per-instance event bus. Events reach it only after their transaction commits.
 * A subscriber that throws (or rejects) is isolated: the others still run and the
 * error goes to `onError`.
 * @example
 * ```ts
 * platform.events.on("order.placed", (e) => console.log(e.data.orderId));
 * platform.events.onAny((e) => audit(e.type));
 * ```
 */
export class EventBus<M extends EventMap> {
  private readonly emitter = new EventEmitter();
  private readonly onError: EventErrorHook;

  constructor(options: EventBusOptions = {}) {
    const logger = options.logger;
    this.onError =
      options.onError ??
      (logger
        ? (error, event) => writeLog(logger, "error", "event subscriber failed", { eventType: event.type, eventId: event.id }, error)
        : (error, event) => console.error(`[@platform] subscriber of ${event.type} failed`, error));
  }

  /** Subscribes to one event type; returns an unsubscribe function. */
  on<K extends keyof M & string>(type: K, handler: EventHandler<DomainEvent<K, M[K]>>): () => void {
    return this.add(type, handler as EventHandler<DomainEvent>, false);
  }

  /** Subscribes to the next event of one type only. */
  once<K extends keyof M & string>(type: K, handler: EventHandler<DomainEvent<K, M[K]>>): () => void {
    return this.add(type, handler as EventHandler<DomainEvent>, true);
  }

  /** Subscribes to every event (webhooks, audit logs, outboxes). */
  onAny(handler: EventHandler<AnyEventOf<M>>): () => void {
    return this.add(ANY, handler as EventHandler<DomainEvent>, false);
  }

  /** Number of subscribers of a type (or of `"*"`). */
  listenerCount(type: (keyof M & string) | "*"): number {
    return this.emitter.listenerCount(type);
  }

  /**
   * Delivers events to their subscribers and to `onAny` subscribers, in order.
   * Stores call this after commit; host code rarely needs it.
   */
  publish(events: readonly DomainEvent[]): void {
    for (const event of events) {
      this.emitter.emit(event.type, event);
      this.emitter.emit(ANY, event);
    }
  }

  private add(type: string, handler: EventHandler<DomainEvent>, once: boolean): () => void {
    const safe = (event: DomainEvent): void => {
      try {
        const result = handler(event);
        if (result instanceof Promise) {
          result.then(undefined, (error: unknown) => this.report(error, event));
        }
      } catch (error) {
        this.report(error, event);
      }
    };
    if (once) this.emitter.once(type, safe);
    else this.emitter.on(type, safe);
    return () => {
      this.emitter.off(type, safe);
    };
  }

  private report(error: unknown, event: DomainEvent): void {
    try {
      this.onError(error, event);
    } catch {
      // An error hook that throws must not break delivery either.
    }
  }
}
