import { ValidationError, DomainRuleError } from "../errors/errors.js";
import { type CurrencyCode, minorUnits } from "./currencies.js";
import { cachedFormatter, currencyFormat } from "./money-format.js";
import { type AmountInput, assertAmountDigits, currencyOf, parseAmount, powerOfTen } from "./money-input.js";
import { Decimal, type RoundingMode, DEFAULT_ROUNDING, decimalRounding } from "./decimal.js";
import { coreCodes } from "../errors/core-error-codes.js";

/** Money as it crosses an API: the amount as a decimal string, never a binary float. */
export interface MoneyJSON {
  readonly amount: string;
  readonly currency: string;
}

/**
 * An immutable amount of one currency, always held at the currency's scale.
 *
 * Arithmetic across currencies throws `currency_mismatch`; an amount (input or result) beyond
 * `MAX_AMOUNT_DIGITS` (18) digits at the currency's scale throws `amount_too_large`. Operations that can
 * produce sub-minor-unit values (multiply, percentage) round with an explicit mode,
 * {@link DEFAULT_ROUNDING} (half-even) unless told otherwise.
 *
 * @example
 * ```ts
 * const price = Money.of("999.99", "USD");
 * const total = price.add(Money.of("29.99", "USD").times(2)); // 1059.97 USD
 * total.format("en-US"); // "$1,059.97"
 * const [a, b, c] = Money.of("100", "USD").allocate([1, 1, 1]); // 33.34, 33.33, 33.33
 * ```
 */
export class Money {
  /** The amount, with exactly the currency's number of decimals or fewer. */
  readonly amount: Decimal;
  /** ISO 4217 code. */
  readonly currency: CurrencyCode;

  private constructor(amount: Decimal, currency: CurrencyCode) {
    // The invariant of every Money, also of sums and products: at most MAX_AMOUNT_DIGITS digits at
    // the currency's scale, so whatever the SDK computes it can store and read back exactly.
    assertAmountDigits(amount, minorUnits(currency)!, "amount");
    this.amount = amount;
    this.currency = currency;
    Object.freeze(this);
  }

  /**
   * Money from a decimal string, Decimal or exact number.
   * @throws ValidationError `unknown_currency`, `invalid_amount` (NaN, Infinity, "abc"),
   *   `amount_precision` (more decimals than the currency has), `amount_too_large` (more than
   *   `MAX_AMOUNT_DIGITS` (18) digits at the currency's scale).
   */
  static of(amount: AmountInput, currency: string): Money {
    const code = currencyOf(currency, "currency");
    const value = parseAmount(amount, "amount");
    const scale = minorUnits(code)!;
    assertAmountDigits(value, scale, "amount");
    if (value.decimalPlaces() > scale) {
      throw ValidationError.field(coreCodes.amount_precision, "amount", `${code} allows ${scale} decimal places, got ${value.toString()}`);
    }
    return new Money(value.plus(0), code);
  }

  /**
   * Money from an integer number of minor units (cents for USD, yen for JPY).
   * @throws ValidationError `invalid_amount` for a non-integer, `unknown_currency`, `amount_too_large`.
   */
  static fromMinor(minor: number | bigint | string, currency: string): Money {
    const code = currencyOf(currency, "currency");
    const text =
      typeof minor === "bigint"
        ? minor.toString()
        : typeof minor === "number"
          ? Number.isSafeInteger(minor)
            ? String(minor)
            : "x"
          : minor.trim();
    if (!/^[+-]?\d+$/.test(text))
      throw ValidationError.field(coreCodes.invalid_amount, "amount", `minor units must be a safe integer, got ${String(minor)}`);
    const units = new Decimal(text);
    assertAmountDigits(units, 0, "amount");
    return new Money(units.div(powerOfTen(minorUnits(code)!)), code);
  }

  /**
   * Money from any amount, rounding to the currency's scale with an explicit mode.
   * @throws ValidationError `invalid_amount`, `unknown_currency`, `amount_too_large`.
   */
  static rounded(amount: AmountInput, currency: string, mode: RoundingMode = DEFAULT_ROUNDING): Money {
    const code = currencyOf(currency, "currency");
    const value = parseAmount(amount, "amount").toDecimalPlaces(minorUnits(code)!, decimalRounding(mode));
    assertAmountDigits(value, minorUnits(code)!, "amount");
    return new Money(value, code);
  }

  /** Zero in a currency. @throws ValidationError `unknown_currency`. */
  static zero(currency: string): Money {
    return new Money(new Decimal(0), currencyOf(currency, "currency"));
  }

  /** Parses `{ amount: "12.30", currency: "EUR" }`. @throws ValidationError as {@link Money.of}. */
  static fromJSON(json: MoneyJSON): Money {
    if (typeof json !== "object" || json === null)
      throw ValidationError.field(coreCodes.invalid_amount, "amount", "money must be an object");
    return Money.of(json.amount, json.currency);
  }

  /** True when `value` is a Money of this module. */
  static isMoney(value: unknown): value is Money {
    return value instanceof Money;
  }

  /** Sum of amounts in one currency; an empty list sums to zero of `currency`. @throws DomainRuleError `currency_mismatch`. */
  static sum(values: readonly Money[], currency: string): Money {
    return values.reduce((acc, m) => acc.add(m), Money.zero(currency));
  }

  /** The smallest of one or more amounts. @throws DomainRuleError `currency_mismatch`. */
  static min(first: Money, ...rest: Money[]): Money {
    return rest.reduce((a, b) => (b.lessThan(a) ? b : a), first);
  }

  /** The largest of one or more amounts. @throws DomainRuleError `currency_mismatch`. */
  static max(first: Money, ...rest: Money[]): Money {
    return rest.reduce((a, b) => (b.greaterThan(a) ? b : a), first);
  }

  /** Number of decimal places of this currency. */
  get scale(): number {
    return minorUnits(this.currency)!;
  }

  private same(other: Money): void {
    if (!(other instanceof Money)) throw ValidationError.field(coreCodes.invalid_amount, "amount", "expected Money");
    if (other.currency !== this.currency) {
      throw new DomainRuleError(coreCodes.currency_mismatch, `cannot combine ${this.currency} with ${other.currency}`, {
        details: { left: this.currency, right: other.currency },
      });
    }
  }

  /** `this + other`. @throws DomainRuleError `currency_mismatch`. */
  add(other: Money): Money {
    this.same(other);
    return new Money(this.amount.plus(other.amount), this.currency);
  }

  /** `this - other`. @throws DomainRuleError `currency_mismatch`. */
  subtract(other: Money): Money {
    this.same(other);
    return new Money(this.amount.minus(other.amount), this.currency);
  }

  /** Multiplies by an integer quantity (exact). @throws ValidationError `invalid_quantity` for a non-integer. */
  times(quantity: number | bigint): Money {
    const q = typeof quantity === "bigint" ? quantity.toString() : quantity;
    if (typeof q === "number" && !Number.isSafeInteger(q))
      throw ValidationError.field(coreCodes.invalid_quantity, "quantity", "quantity must be an integer");
    return new Money(this.amount.times(q), this.currency);
  }

  /**
   * Multiplies by a decimal factor and rounds to the currency's scale.
   * @throws ValidationError `invalid_amount` for a non-finite factor.
   */
  multiply(factor: AmountInput, mode: RoundingMode = DEFAULT_ROUNDING): Money {
    const f = parseAmount(factor, "factor");
    return new Money(this.amount.times(f).toDecimalPlaces(this.scale, decimalRounding(mode)), this.currency);
  }

  /** `percent`% of this amount (`"8.875"` for 8.875 %), rounded to the currency's scale. */
  percentage(percent: AmountInput, mode: RoundingMode = DEFAULT_ROUNDING): Money {
    return this.multiply(parseAmount(percent, "percent").div(100), mode);
  }

  /**
   * Splits into parts proportional to `ratios` without losing or inventing a minor unit:
   * the parts always sum to this amount. Leftover minor units go one each to the parts
   * with the largest remainders (earlier parts first on ties).
   * @throws ValidationError `invalid_ratios` for an empty list, a negative ratio or all zeros.
   */
  allocate(ratios: readonly AmountInput[]): Money[] {
    if (ratios.length === 0) throw ValidationError.field(coreCodes.invalid_ratios, "ratios", "at least one ratio is required");
    const rs = ratios.map((r, i) => {
      const d = parseAmount(r, `ratios.${i}`);
      if (d.isNegative()) throw ValidationError.field(coreCodes.invalid_ratios, ["ratios", i], "ratios must not be negative");
      return d;
    });
    const total = rs.reduce((a, b) => a.plus(b), new Decimal(0));
    if (total.isZero()) throw ValidationError.field(coreCodes.invalid_ratios, "ratios", "ratios must not all be zero");
    const unit = new Decimal(10).pow(this.scale);
    const minor = this.amount.times(unit);
    const sign = minor.isNegative() ? -1 : 1;
    const whole = minor.abs();
    const exact = rs.map((r) => whole.times(r).div(total));
    const parts = exact.map((e) => e.floor());
    let left = whole.minus(parts.reduce((a, b) => a.plus(b), new Decimal(0))).toNumber();
    const order = exact.map((e, i) => ({ i, rem: e.minus(parts[i]!) })).sort((a, b) => b.rem.comparedTo(a.rem) || a.i - b.i);
    for (let k = 0; left > 0; k = (k + 1) % order.length, left--) {
      const idx = order[k]!.i;
      parts[idx] = parts[idx]!.plus(1);
    }
    return parts.map((p) => new Money(p.times(sign).div(unit), this.currency));
  }

  /** Rounds to `places` decimals (at most the currency's scale) with an explicit mode. */
  round(places: number = this.scale, mode: RoundingMode = DEFAULT_ROUNDING): Money {
    return new Money(this.amount.toDecimalPlaces(Math.min(places, this.scale), decimalRounding(mode)), this.currency);
  }

  /** `-this`. */
  negate(): Money {
    return new Money(this.amount.negated().plus(0), this.currency);
  }

  /** `|this|`. */
  abs(): Money {
    return new Money(this.amount.abs(), this.currency);
  }

  /** -1, 0 or 1. @throws DomainRuleError `currency_mismatch`. */
  compare(other: Money): -1 | 0 | 1 {
    this.same(other);
    return this.amount.comparedTo(other.amount) as -1 | 0 | 1;
  }

  /** Same currency and amount (never throws). */
  equals(other: Money): boolean {
    return other instanceof Money && other.currency === this.currency && this.amount.equals(other.amount);
  }

  greaterThan(other: Money): boolean {
    return this.compare(other) > 0;
  }
  greaterThanOrEqual(other: Money): boolean {
    return this.compare(other) >= 0;
  }
  lessThan(other: Money): boolean {
    return this.compare(other) < 0;
  }
  lessThanOrEqual(other: Money): boolean {
    return this.compare(other) <= 0;
  }
  isZero(): boolean {
    return this.amount.isZero();
  }
  isPositive(): boolean {
    return this.amount.greaterThan(0);
  }
  isNegative(): boolean {
    return this.amount.lessThan(0);
  }

  /** The amount in minor units as a bigint (1234n for 12.34 USD). */
  toMinor(): bigint {
    return BigInt(this.amount.times(powerOfTen(this.scale)).toFixed(0));
  }

  /** The amount with exactly the currency's decimals: `"12.30"`, `"1000"` for JPY. */
  toFixed(): string {
    return this.amount.toFixed(this.scale);
  }

  /** `"12.30 EUR"`. */
  toString(): string {
    return `${this.toFixed()} ${this.currency}`;
  }

  /**
   * Localised text via Intl, exact (the decimal string is formatted, never a float).
   * @example Money.of("1234.5", "EUR").format("de-DE") // "1.234,50 €"
   */
  format(locale = "en-US", options?: Intl.NumberFormatOptions): string {
    const fmt = options
      ? new Intl.NumberFormat(locale, { ...currencyFormat(this.currency, this.scale), ...options })
      : cachedFormatter(locale, this.currency, this.scale);
    // Intl.NumberFormat v3 formats decimal strings exactly (no float conversion).
    return fmt.format(this.toFixed() as unknown as number);
  }

  /** `{ "amount": "12.30", "currency": "EUR" }`. */
  toJSON(): MoneyJSON {
    return { amount: this.toFixed(), currency: this.currency };
  }
}

export { type AmountInput };
