import { describe, expect, it } from "vitest";
import { Money } from "@platform/core";
import { codeOf } from "@platform/core/testing";
import { FlatRateShippingCalculator, PercentageTaxCalculator } from "./default-calculators.js";

const ctx = (subtotal: string, address: { country: string; region: string | null } | null = null) => ({
  currency: "USD",
  subtotal: Money.of(subtotal, "USD"),
  lines: [{ productId: "p", variantId: null, quantity: 1, lineTotal: Money.of(subtotal, "USD") }],
  shippingAddress: address ? { name: "n", line1: "l", line2: null, city: "c", postalCode: "1", phone: null, ...address } : null,
});

describe("default calculators", () => {
  it("flat rate, free over a threshold", () => {
    const s = new FlatRateShippingCalculator({ amount: "4.99", freeOver: "50" });
    expect(s.shipping(ctx("10")).toFixed()).toBe("4.99");
    expect(s.shipping(ctx("50")).toFixed()).toBe("0.00");
    expect(s.shipping({ ...ctx("0"), lines: [] }).toFixed()).toBe("0.00");
  });

  it("percentage tax by region, then country, then default, rounded half-even", () => {
    const t = new PercentageTaxCalculator({ rates: { US: "5", "US-NY": "8.875" }, defaultRate: "20" });
    const zero = Money.zero("USD");
    expect(t.tax({ ...ctx("100", { country: "US", region: "NY" }), shipping: zero }).toFixed()).toBe("8.88");
    expect(t.tax({ ...ctx("100", { country: "US", region: "CA" }), shipping: zero }).toFixed()).toBe("5.00");
    expect(t.tax({ ...ctx("100", { country: "FR", region: null }), shipping: zero }).toFixed()).toBe("20.00");
    expect(t.tax({ ...ctx("0.10"), shipping: zero }).toFixed()).toBe("0.02");
    const withShipping = new PercentageTaxCalculator({ defaultRate: "10", taxShipping: true });
    expect(withShipping.tax({ ...ctx("100"), shipping: Money.of("10", "USD") }).toFixed()).toBe("11.00");
  });

  it("refuses malformed rates and amounts with validation_failed", async () => {
    expect(await codeOf(() => new PercentageTaxCalculator({ rates: { US: "five" } }))).toBe("validation_failed");
    expect(await codeOf(() => new PercentageTaxCalculator({ defaultRate: "-1" }))).toBe("validation_failed");
    expect(await codeOf(() => new FlatRateShippingCalculator({ amount: "4,99" }))).toBe("validation_failed");
  });
});
