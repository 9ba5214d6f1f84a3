import { describe, expect, it } from "vitest";
import { Money } from "@platform/core";
import { routeGateways } from "./routing.js";

const rules = [
  { gateway: "adyen", currencies: ["EUR"], fallback: ["stripe"] },
  { gateway: "big", minAmount: { amount: "1000", currency: "USD" } },
  { gateway: "cards", methods: ["card"] },
];
const opts = { defaultGateway: "test", fallback: ["backup"] };

describe("routeGateways", () => {
  it("picks by currency with the rule's fallback", () => {
    expect(routeGateways(rules, { amount: Money.of("10", "EUR"), paymentMethod: "pm_card_visa", methodType: "card" }, opts)).toEqual([
      "adyen",
      "stripe",
    ]);
  });
  it("picks by amount, then by method, else the default", () => {
    expect(routeGateways(rules, { amount: Money.of("1500", "USD"), paymentMethod: "pm_x", methodType: "card" }, opts)).toEqual([
      "big",
      "backup",
    ]);
    expect(routeGateways(rules, { amount: Money.of("15", "USD"), paymentMethod: "pm_x", methodType: "card" }, opts)).toEqual([
      "cards",
      "backup",
    ]);
    expect(routeGateways(rules, { amount: Money.of("15", "USD"), paymentMethod: "pm_x", methodType: "bank" }, opts)).toEqual([
      "test",
      "backup",
    ]);
  });
  it("a forced gateway has no fallback", () => {
    expect(
      routeGateways(rules, { amount: Money.of("10", "EUR"), paymentMethod: "pm_card_visa", methodType: "card" }, { ...opts, forced: "x" }),
    ).toEqual(["x"]);
  });
});
