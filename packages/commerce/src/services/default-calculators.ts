import { Money, parse } from "@platform/core";
import { z } from "zod";
import type { PricingContext, ShippingCalculator, TaxCalculator } from "../ports/pricing-ports.js";

/** Options of {@link FlatRateShippingCalculator}. */
export interface FlatRateOptions {
  /** Charge per order, as a decimal string in the order's currency. Default "0". */
  amount?: string;
  /** Orders whose subtotal reaches this are shipped free. */
  freeOver?: string;
}

/**
 * Flat-rate shipping: one charge per order in the order's currency, optionally free above a
 * subtotal. Empty orders ship free.
 * @example new FlatRateShippingCalculator({ amount: "4.99", freeOver: "50" })
 */
export class FlatRateShippingCalculator implements ShippingCalculator {
  private readonly amount: string;
  private readonly freeOver: string | undefined;

  constructor(options: FlatRateOptions = {}) {
    const o = parse(
      z.object({
        amount: z
          .string()
          .regex(/^\d+(\.\d+)?$/)
          .default("0"),
        freeOver: z
          .string()
          .regex(/^\d+(\.\d+)?$/)
          .optional(),
      }),
      options,
    );
    this.amount = o.amount;
    this.freeOver = o.freeOver;
  }

  shipping(ctx: PricingContext): Money {
    if (ctx.lines.length === 0) return Money.zero(ctx.currency);
    if (this.freeOver !== undefined && ctx.subtotal.greaterThanOrEqual(Money.rounded(this.freeOver, ctx.currency)))
      return Money.zero(ctx.currency);
    return Money.rounded(this.amount, ctx.currency);
  }
}

/** Options of {@link PercentageTaxCalculator}. */
export interface PercentageTaxOptions {
  /**
   * Rates in percent by `COUNTRY` or `COUNTRY-REGION` (the more specific wins),
   * e.g. `{ "US-NY": "8.875", DE: "19" }`.
   */
  rates?: Record<string, string>;
  /** Rate when no key matches or the address is unknown. Default "0". */
  defaultRate?: string;
  /** Whether shipping is taxed too. Default false. */
  taxShipping?: boolean;
}

/**
 * Percentage tax by destination country/region, rounded half-even to the currency's scale.
 * @example new PercentageTaxCalculator({ rates: { "US-NY": "8.875" } })
 */
export class PercentageTaxCalculator implements TaxCalculator {
  private readonly rates: Map<string, string>;
  private readonly defaultRate: string;
  private readonly taxShipping: boolean;

  constructor(options: PercentageTaxOptions = {}) {
    const rate = z.string().regex(/^\d+(\.\d+)?$/);
    const o = parse(
      z.object({ rates: z.record(z.string(), rate).default({}), defaultRate: rate.default("0"), taxShipping: z.boolean().default(false) }),
      options,
    );
    this.rates = new Map(Object.entries(o.rates).map(([k, v]) => [k.toUpperCase(), v]));
    this.defaultRate = o.defaultRate;
    this.taxShipping = o.taxShipping;
  }

  /** The rate that applies to an address, in percent. */
  rateFor(address: PricingContext["shippingAddress"]): string {
    if (!address) return this.defaultRate;
    const country = address.country.toUpperCase();
    return (address.region && this.rates.get(`${country}-${address.region.toUpperCase()}`)) ?? this.rates.get(country) ?? this.defaultRate;
  }

  tax(ctx: PricingContext & { shipping: Money }): Money {
    const base = this.taxShipping ? ctx.subtotal.add(ctx.shipping) : ctx.subtotal;
    return base.percentage(this.rateFor(ctx.shippingAddress));
  }
}
