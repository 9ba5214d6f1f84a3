import { describe, expect, it } from "vitest";
import { PlatformError } from "@platform/core";
import { assertTransition, fulfilmentStatus, isCancelable, ORDER_TRANSITIONS, type OrderLine, type OrderStatus } from "./order.js";

describe("order state machine", () => {
  it("allows only listed transitions", () => {
    const all = Object.keys(ORDER_TRANSITIONS) as OrderStatus[];
    for (const from of all) {
      for (const to of all) {
        const allowed = ORDER_TRANSITIONS[from].includes(to);
        let code: string | null = null;
        try {
          assertTransition(from, to);
        } catch (e) {
          code = PlatformError.is(e) ? e.code : "other";
        }
        expect(code).toBe(allowed ? null : "invalid_transition");
      }
    }
    expect(ORDER_TRANSITIONS.canceled).toEqual([]);
  });

  it("can cancel until shipped", () => {
    expect(["pending", "paid", "partially_fulfilled", "fulfilled"].every((s) => isCancelable(s as OrderStatus))).toBe(true);
    expect(["shipped", "delivered", "canceled", "refunded"].some((s) => isCancelable(s as OrderStatus))).toBe(false);
  });

  it("derives the fulfilment status from the lines", () => {
    const line = (q: number, f: number) => ({ quantity: q, fulfilledQuantity: f }) as OrderLine;
    expect(fulfilmentStatus([line(2, 2), line(1, 1)])).toBe("fulfilled");
    expect(fulfilmentStatus([line(2, 1), line(1, 1)])).toBe("partially_fulfilled");
  });
});
