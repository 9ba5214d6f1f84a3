import { Money, ValidationError } from "@platform/core";
import { paymentsCodes } from "./error-codes.js";
import { coreCodes } from "@platform/core";

/** Stripe's limit, in minor units: 99,999,999 (999,999.99 USD). The default `maxAmount` of a payment system. */
export const DEFAULT_MAX_AMOUNT_MINOR = 99_999_999n;

/**
 * A `maxAmount` option as minor units: a positive safe integer or bigint below 10^18 (core's money limit).
 * @throws ValidationError `invalid_max_amount`.
 */
export function maxAmountOf(value: number | bigint | undefined): bigint {
  if (value === undefined) return DEFAULT_MAX_AMOUNT_MINOR;
  const ok = typeof value === "bigint" || Number.isSafeInteger(value);
  const minor = ok ? BigInt(value) : 0n;
  if (minor <= 0n || minor >= 10n ** 18n)
    throw ValidationError.field(
      paymentsCodes.invalid_max_amount,
      "maxAmount",
      `maxAmount is a positive integer number of minor units below 10^18, got ${String(value)}`,
    );
  return minor;
}

/**
 * Refuses an amount above the system's limit (in the currency's minor units), as Stripe refuses
 * amounts above 99,999,999: such an input is a mistake (or an attack), never a payment to try.
 * @throws ValidationError `amount_too_large` naming `amount`.
 */
export function assertWithinMaxAmount(amount: Money, maxMinor: bigint): void {
  if (amount.toMinor() > maxMinor) {
    const limit = Money.fromMinor(maxMinor, amount.currency);
    throw ValidationError.field(
      coreCodes.amount_too_large,
      "amount",
      `amounts are at most ${limit.toString()} (maxAmount ${maxMinor} minor units), got ${amount.toString()}`,
    );
  }
}
