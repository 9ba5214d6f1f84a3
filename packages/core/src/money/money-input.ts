import { ValidationError } from "../errors/errors.js";
import { type CurrencyCode, isCurrencyCode } from "./currencies.js";
import { Decimal } from "./decimal.js";
import { coreCodes } from "../errors/core-error-codes.js";

/** Amount inputs: a decimal string, a Decimal, or a number exactly representable at the currency's scale. */
export type AmountInput = string | number | Decimal;

/** The upper-cased ISO code. @throws ValidationError `unknown_currency` naming `path`. */
export function currencyOf(code: unknown, path: string): CurrencyCode {
  const upper = typeof code === "string" ? code.trim().toUpperCase() : code;
  if (!isCurrencyCode(upper)) {
    throw ValidationError.field(coreCodes.unknown_currency, path, `unknown currency ${JSON.stringify(code)}`);
  }
  return upper;
}

/**
 * The most digits an amount may have at its currency's scale (integer and decimal digits together):
 * 18, i.e. fewer than 10^18 minor units (9,999,999,999,999,999.99 USD). Every amount fits PostgreSQL's
 * `bigint` minor-unit columns exactly, and sums and products of amounts stay far inside the 60
 * significant digits the SDK's decimals keep, so nothing is ever rounded silently. Larger amounts
 * are refused with `amount_too_large`.
 */
export const MAX_AMOUNT_DIGITS = 18;

/**
 * Refuses an amount with more than {@link MAX_AMOUNT_DIGITS} digits at `scale` decimals, before it is
 * rounded or stored anywhere.
 * @throws ValidationError `amount_too_large` naming `path`.
 */
export function assertAmountDigits(value: Decimal, scale: number, path: string): void {
  if (value.abs().greaterThanOrEqualTo(powerOfTen(MAX_AMOUNT_DIGITS - scale))) {
    throw ValidationError.field(
      coreCodes.amount_too_large,
      path,
      `amounts have at most ${MAX_AMOUNT_DIGITS} digits at the currency's scale (${MAX_AMOUNT_DIGITS - scale} before the point)`,
    );
  }
}

/** A plain decimal: optional sign, digits and one point; no exponent, no thousands separators. */
// Every Money checks its digits on creation: 10^n is computed once per n (Decimal pow is costly).
const POWERS_OF_TEN: Decimal[] = [];

/**
 * 10 to the power `n` (a non-negative integer), cached.
 * @internal
 */
export function powerOfTen(n: number): Decimal {
  return (POWERS_OF_TEN[n] ??= new Decimal(10).pow(n));
}

const DECIMAL_STRING = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/**
 * A finite Decimal from an amount input (numbers via their shortest round-trip text).
 * @throws ValidationError `invalid_amount` naming `path`.
 */
export function parseAmount(value: AmountInput, path: string): Decimal {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw ValidationError.field(coreCodes.invalid_amount, path, `amount must be finite, got ${value}`);
    // String(n) is the shortest decimal that round-trips the double; it is exact at the
    // currency scale only when it has no more decimals than the scale (checked below).
    return new Decimal(String(value));
  }
  if (typeof value === "string") {
    const s = value.trim();
    if (!DECIMAL_STRING.test(s))
      throw ValidationError.field(coreCodes.invalid_amount, path, `amount must be a decimal string, got ${JSON.stringify(value)}`);
    return new Decimal(s);
  }
  if (value instanceof Object && typeof (value as Decimal).isFinite === "function") {
    const d = new Decimal(value);
    if (!d.isFinite()) throw ValidationError.field(coreCodes.invalid_amount, path, "amount must be finite");
    return d;
  }
  throw ValidationError.field(coreCodes.invalid_amount, path, "amount must be a decimal string or number");
}
