import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PlatformError } from "../errors/platform-error.js";
import { CURRENCY_CODES, minorUnits } from "./currencies.js";
import { Money } from "./money.js";

const HALF_LIMIT = (10n ** 18n - 1n) / 2n;

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return PlatformError.is(e) ? e.code : "not_platform_error";
  }
  return undefined;
}

describe("Money", () => {
  it("knows ISO 4217 minor units", () => {
    expect([minorUnits("JPY"), minorUnits("USD"), minorUnits("KWD"), minorUnits("CLF")]).toEqual([0, 2, 3, 4]);
    expect(CURRENCY_CODES.length).toBeGreaterThan(150);
    // ISO 4217 list one still lists the Cuban convertible peso.
    expect(minorUnits("CUC")).toBe(2);
    expect(Money.of("12.50", "CUC").toString()).toBe("12.50 CUC");
  });

  it("adds 0.1 and 0.2 to exactly 0.3", () => {
    expect(Money.of("0.1", "USD").add(Money.of("0.2", "USD")).equals(Money.of("0.3", "USD"))).toBe(true);
    expect(Money.of(0.1, "USD").add(Money.of(0.2, "USD")).toFixed()).toBe("0.30");
  });

  it("refuses amounts past 18 digits at the currency's scale instead of rounding them (amount_too_large)", () => {
    expect(code(() => Money.of("9".repeat(61) + ".99", "USD"))).toBe("amount_too_large");
    expect(code(() => Money.of("-" + "9".repeat(61), "USD"))).toBe("amount_too_large");
    expect(code(() => Money.of("1" + "0".repeat(16), "USD"))).toBe("amount_too_large");
    expect(code(() => Money.of("1" + "0".repeat(18), "JPY"))).toBe("amount_too_large");
    expect(code(() => Money.of("1" + "0".repeat(14), "CLF"))).toBe("amount_too_large");
    expect(code(() => Money.of(1e300, "USD"))).toBe("amount_too_large");
    expect(code(() => Money.fromMinor(10n ** 18n, "USD"))).toBe("amount_too_large");
    expect(code(() => Money.rounded("9".repeat(61) + ".999", "USD"))).toBe("amount_too_large");
    expect(code(() => Money.fromJSON({ amount: "9".repeat(19), currency: "JPY" }))).toBe("amount_too_large");
    // Results are held to the same limit: what the SDK computes it can store and read back.
    const max = Money.of("9999999999999999.99", "USD");
    expect(code(() => max.add(Money.of("0.01", "USD")))).toBe("amount_too_large");
    expect(code(() => max.times(2))).toBe("amount_too_large");
    expect(code(() => max.negate().subtract(Money.of("1", "USD")))).toBe("amount_too_large");
    // The largest amounts are kept exactly.
    expect(Money.of("9999999999999999.99", "USD").toFixed()).toBe("9999999999999999.99");
    expect(Money.of("-9999999999999999.99", "USD").toFixed()).toBe("-9999999999999999.99");
    expect(Money.of("9".repeat(18), "JPY").toFixed()).toBe("9".repeat(18));
    expect(Money.fromMinor(10n ** 18n - 1n, "USD").toMinor()).toBe(10n ** 18n - 1n);
    expect(Money.rounded("9999999999999999.994", "USD").toFixed()).toBe("9999999999999999.99");
  });

  it("rejects bad input with specific codes", () => {
    expect(code(() => Money.of("abc", "USD"))).toBe("invalid_amount");
    expect(code(() => Money.of(Number.NaN, "USD"))).toBe("invalid_amount");
    expect(code(() => Money.of(Number.POSITIVE_INFINITY, "USD"))).toBe("invalid_amount");
    expect(code(() => Money.of("1e5", "USD"))).toBe("invalid_amount");
    expect(code(() => Money.of("1.001", "USD"))).toBe("amount_precision");
    expect(code(() => Money.of("1.5", "JPY"))).toBe("amount_precision");
    expect(code(() => Money.of(0.1 + 0.2, "USD"))).toBe("amount_precision");
    expect(code(() => Money.of("1", "XXX"))).toBe("unknown_currency");
    expect(code(() => Money.fromMinor(1.5, "USD"))).toBe("invalid_amount");
    expect(code(() => Money.of("1", "USD").add(Money.of("1", "EUR")))).toBe("currency_mismatch");
    expect(code(() => Money.of("1", "USD").allocate([]))).toBe("invalid_ratios");
    expect(code(() => Money.of("1", "USD").allocate([0, 0]))).toBe("invalid_ratios");
    expect(code(() => Money.of("1", "USD").allocate([1, -1]))).toBe("invalid_ratios");
  });

  it("accepts lower-case currency and numbers exact at the scale", () => {
    const m = Money.of(29.99, "usd");
    expect(m.currency).toBe("USD");
    expect(m.toFixed()).toBe("29.99");
    expect(Money.of("1.230", "KWD").toFixed()).toBe("1.230");
    expect(Money.fromMinor(1234, "USD").toFixed()).toBe("12.34");
    expect(Money.fromMinor(500, "JPY").toFixed()).toBe("500");
    expect(Money.of("12.34", "USD").toMinor()).toBe(1234n);
  });

  it("multiplies with explicit rounding", () => {
    const m = Money.of("10.05", "USD");
    expect(m.multiply("0.5").toFixed()).toBe("5.02"); // half-even: 5.025 -> 5.02
    expect(m.multiply("0.5", "half_up").toFixed()).toBe("5.03");
    expect(Money.of("100", "USD").percentage("8.875").toFixed()).toBe("8.88");
    expect(Money.of("29.99", "USD").times(2).toFixed()).toBe("59.98");
  });

  it("allocates 100 USD three ways without losing a cent", () => {
    expect(
      Money.of("100", "USD")
        .allocate([1, 1, 1])
        .map((m) => m.toFixed()),
    ).toEqual(["33.34", "33.33", "33.33"]);
    expect(
      Money.of("-0.05", "USD")
        .allocate([1, 1])
        .map((m) => m.toFixed()),
    ).toEqual(["-0.03", "-0.02"]);
    expect(
      Money.of("5", "JPY")
        .allocate([70, 30])
        .map((m) => m.toFixed()),
    ).toEqual(["4", "1"]);
  });

  it("formats via Intl without floats", () => {
    expect(Money.of("1059.97", "USD").format("en-US")).toBe("$1,059.97");
    expect(Money.of("1234.5", "EUR").format("de-DE")).toBe("1.234,50\u00a0€");
    expect(Money.of("1000", "JPY").format("ja-JP")).toMatch(/1,000/);
    expect(Money.of("90071992547409.93", "USD").format("en-US")).toBe("$90,071,992,547,409.93");
  });

  it("compares, sums and picks min/max", () => {
    const a = Money.of("1", "EUR");
    const b = Money.of("2", "EUR");
    expect(a.lessThan(b)).toBe(true);
    expect(Money.max(a, b).equals(b)).toBe(true);
    expect(Money.min(a, b).equals(a)).toBe(true);
    expect(Money.sum([a, b, b], "EUR").toFixed()).toBe("5.00");
    expect(Money.sum([], "EUR").isZero()).toBe(true);
  });

  const currency = fc.constantFrom(...CURRENCY_CODES);
  const moneyArb = currency.chain((c) => fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }).map((minor) => Money.fromMinor(minor, c)));

  it("property: allocation sums back exactly for any amount, ratios and scale", () => {
    fc.assert(
      fc.property(
        moneyArb,
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 12 }).filter((r) => r.some((x) => x > 0)),
        (m, ratios) => {
          const parts = m.allocate(ratios);
          expect(parts).toHaveLength(ratios.length);
          expect(Money.sum(parts, m.currency).equals(m)).toBe(true);
          for (const p of parts) expect(p.amount.decimalPlaces()).toBeLessThanOrEqual(m.scale);
          // No part is more than one minor unit away from its exact share.
          const total = ratios.reduce((a, b) => a + b, 0);
          parts.forEach((p, i) => {
            const exact = m.amount.times(ratios[i]!).div(total);
            expect(p.amount.minus(exact).abs().lessThan(Money.fromMinor(1, m.currency).amount)).toBe(true);
          });
        },
      ),
    );
  });

  it("property: add and subtract are inverse", () => {
    fc.assert(
      // Halves of the money limit (fewer than 10^18 minor units), so every sum is a valid amount.
      fc.property(
        currency,
        fc.bigInt({ min: -HALF_LIMIT, max: HALF_LIMIT }),
        fc.bigInt({ min: -HALF_LIMIT, max: HALF_LIMIT }),
        (c, x, y) => {
          const a = Money.fromMinor(x, c);
          const b = Money.fromMinor(y, c);
          expect(a.add(b).subtract(b).equals(a)).toBe(true);
          expect(a.add(b).toMinor()).toBe(x + y);
        },
      ),
    );
  });

  it("property: JSON round-trips", () => {
    fc.assert(
      fc.property(moneyArb, (m) => {
        const back = Money.fromJSON(JSON.parse(JSON.stringify(m)));
        expect(back.equals(m)).toBe(true);
        expect(back.toFixed()).toBe(m.toFixed());
      }),
    );
  });
});
