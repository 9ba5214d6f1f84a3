import { ValidationError } from "../errors/errors.js";
import { type CurrencyCode, isCurrencyCode } from "./currencies.js";
import { Decimal } from "./decimal.js";

/** Amount inputs: a decimal string, a Decimal, or a number exactly representable at the currency's scale. */
export type AmountInput = string | number | Decimal;

/** The upper-cased ISO code. @throws ValidationError `unknown_currency` naming `path`. */
export function currencyOf(code: unknown, path: string): CurrencyCode {
  const upper = typeof code === "string" ? code.trim().toUpperCase() : code;
  if (!isCurrencyCode(upper)) {
    throw ValidationError.field(path, `unknown currency ${JSON.stringify(code)}`, "unknown_currency");
  }
  return upper;
}

/** A plain decimal: optional sign, digits and one point; no exponent, no thousands separators. */
export const DECIMAL_STRING = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/**
 * A finite Decimal from an amount input (numbers via their shortest round-trip text).
 * @throws ValidationError `invalid_amount` naming `path`.
 */
export function parseAmount(value: AmountInput, path: string): Decimal {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw ValidationError.field(path, `amount must be finite, got ${value}`, "invalid_amount");
    // String(n) is the shortest decimal that round-trips the double; it is exact at the
    // currency scale only when it has no more decimals than the scale (checked below).
    return new Decimal(String(value));
  }
  if (typeof value === "string") {
    const s = value.trim();
    if (!DECIMAL_STRING.test(s)) throw ValidationError.field(path, `amount must be a decimal string, got ${JSON.stringify(value)}`, "invalid_amount");
    return new Decimal(s);
  }
  if (value instanceof Object && typeof (value as Decimal).isFinite === "function") {
    const d = new Decimal(value);
    if (!d.isFinite()) throw ValidationError.field(path, "amount must be finite", "invalid_amount");
    return d;
  }
  throw ValidationError.field(path, "amount must be a decimal string or number", "invalid_amount");
}

