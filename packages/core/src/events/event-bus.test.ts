import { describe, expect, it, vi } from "vitest";
import { ManualClock } from "../clock/clock.js";
import { createEvent } from "./domain-event.js";
import { EventBus } from "./event-bus.js";

type Events = { "order.placed": { orderId: string }; "order.paid": { orderId: string } };

describe("EventBus", () => {
  const clock = new ManualClock("2026-01-01T00:00:00Z");

  it("delivers typed events in order, to type and wildcard subscribers", () => {
    const bus = new EventBus<Events>();
    const seen: string[] = [];
    bus.on("order.placed", (e) => seen.push(`placed:${e.data.orderId}`));
    bus.onAny((e) => seen.push(`any:${e.type}`));
    bus.publish([createEvent("order.placed", { orderId: "o1" }, clock), createEvent("order.paid", { orderId: "o1" }, clock)]);
    expect(seen).toEqual(["placed:o1", "any:order.placed", "any:order.paid"]);
  });

  it("isolates throwing and rejecting subscribers and reports them", async () => {
    const onError = vi.fn();
    const bus = new EventBus<Events>({ onError });
    const after = vi.fn();
    bus.on("order.placed", () => {
      throw new Error("boom");
    });
    bus.on("order.placed", async () => {
      throw new Error("async boom");
    });
    bus.on("order.placed", after);
    const event = createEvent("order.placed", { orderId: "o2" }, clock);
    expect(() => bus.publish([event])).not.toThrow();
    await new Promise((r) => setTimeout(r, 0));
    expect(after).toHaveBeenCalledOnce();
    expect(onError).toHaveBeenCalledTimes(2);
    expect(onError.mock.calls[0]![1]).toBe(event);
  });

  it("unsubscribes and supports once", () => {
    const bus = new EventBus<Events>();
    const h = vi.fn();
    const off = bus.on("order.paid", h);
    const once = vi.fn();
    bus.once("order.paid", once);
    bus.publish([createEvent("order.paid", { orderId: "a" }, clock)]);
    off();
    bus.publish([createEvent("order.paid", { orderId: "b" }, clock)]);
    expect(h).toHaveBeenCalledOnce();
    expect(once).toHaveBeenCalledOnce();
    expect(bus.listenerCount("order.paid")).toBe(0);
  });
});
