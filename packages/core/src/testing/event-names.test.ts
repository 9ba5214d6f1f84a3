import { describe, expect, it } from "vitest";
import { eventNamesInSource, eventNameViolations } from "./event-names.js";

describe("event name rule", () => {
  it("accepts past-tense facts, regular and the listed irregular ones", () => {
    expect(
      eventNameViolations([
        "order.placed",
        "order.paid",
        "feed.rebuilt",
        "customer.logged_in",
        "inventory.low_stock_reached",
        "follow_request.canceled",
      ]),
    ).toEqual([]);
  });
  it("refuses present tense, nouns, British spelling and bad shapes", () => {
    expect(
      eventNameViolations([
        "payment.processing",
        "inventory.low_stock",
        "payment.requires_action",
        "follow_request.cancelled",
        "Order.placed",
        "placed",
      ]),
    ).toEqual([
      "payment.processing: not in the past tense",
      "inventory.low_stock: not in the past tense",
      "payment.requires_action: not in the past tense",
      'follow_request.cancelled: British spelling "cancelled"',
      "Order.placed: not <aggregate>.<snake_case fact>",
      "placed: not <aggregate>.<snake_case fact>",
    ]);
  });
  it("reads the keys of an event map from its source", () => {
    expect(
      eventNamesInSource('export type M = {\n  "a.created": { x: 1 };\n  /** doc */\n  "b_c.moved": X;\n  [type: string]: unknown;\n};'),
    ).toEqual(["a.created", "b_c.moved"]);
  });
});
