import { Decimal, Money, ValidationError } from "@platform/core";
import { paymentsCodes } from "../../domain/error-codes.js";
import { coreCodes } from "@platform/core";

// Stripe's presentment currencies (lower case, as the API wants them).
const SUPPORTED = new Set(
  (
    "usd aed afn all amd ang aoa ars aud awg azn bam bbd bdt bgn bhd bif bmd bnd bob brl bsd bwp byn bzd cad cdf chf clp cny cop crc cve czk " +
    "djf dkk dop dzd egp etb eur fjd fkp gbp gel gip gmd gnf gtq gyd hkd hnl htg huf idr ils inr isk jmd jod jpy kes kgs khr kmf krw kwd kyd " +
    "kzt lak lbp lkr lrd lsl mad mdl mga mkd mmk mnt mop mur mvr mwk mxn myr mzn nad ngn nio nok npr nzd omr pab pen pgk php pkr pln pyg qar " +
    "ron rsd rub rwf sar sbd scr sek sgd shp sle sos srd szl thb tjs tnd top try ttd twd tzs uah ugx uyu uzs vnd vuv wst xaf xcd xof xpf yer zar zmw"
  ).split(" "),
);

/** Sent as whole units: no multiplication. (UGX is zero-decimal too, but one of Stripe's special cases: see below.) */
const ZERO_DECIMAL = new Set(["bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "vnd", "vuv", "xaf", "xof", "xpf"]);
/** Sent x1000, and Stripe's acquirers need the last digit to be 0. */
const THREE_DECIMAL = new Set(["bhd", "jod", "kwd", "omr", "tnd"]);
/**
 * Stripe's special cases: zero-decimal currencies that Stripe's API still takes as two-decimal integers for
 * backwards compatibility, so the amount is sent x100 and must be a multiple of 100 (5 ISK is `500`).
 * (HUF and TWD, Stripe's other special cases, are two-decimal for charges and whole units only in payouts,
 * which this gateway does not make.)
 */
const WHOLE_UNITS_AS_TWO_DECIMAL = new Set(["isk", "ugx"]);

/** The step, in Stripe's minor units, every amount of the currency must be a multiple of. */
function stripeStep(currency: string): number {
  if (THREE_DECIMAL.has(currency)) return 10;
  if (WHOLE_UNITS_AS_TWO_DECIMAL.has(currency)) return 100;
  return 1;
}

/**
 * Stripe's minimum charge per currency, in the currency (its table for the currencies it lists; for the
 * others the minimum depends on the settlement currency, so Stripe itself decides: `amount_too_small`).
 */
const MINIMUM: Readonly<Record<string, string>> = {
  usd: "0.50",
  aed: "2.00",
  aud: "0.50",
  bgn: "1.00",
  brl: "0.50",
  cad: "0.50",
  chf: "0.50",
  czk: "15.00",
  dkk: "2.50",
  eur: "0.50",
  gbp: "0.30",
  hkd: "4.00",
  huf: "175.00",
  inr: "0.50",
  jpy: "50",
  mxn: "10",
  myr: "2",
  nok: "3.00",
  nzd: "0.50",
  pln: "2.00",
  ron: "2.00",
  sek: "3.00",
  sgd: "0.50",
  thb: "10",
};

/** Stripe's amount field holds up to eight digits (twelve for IDR). */
const MAX_MINOR = (currency: string): bigint => (currency === "idr" ? 999_999_999_999n : 99_999_999n);

/** How many decimals Stripe expects in `amount` for a currency (ISK and UGX: two, though they are zero-decimal). */
export function stripeDecimals(currency: string): number {
  const c = currency.toLowerCase();
  if (ZERO_DECIMAL.has(c)) return 0;
  if (THREE_DECIMAL.has(c)) return 3;
  return 2;
}

/** True when Stripe can charge in the currency. */
export function isStripeCurrency(currency: string): boolean {
  return SUPPORTED.has(currency.toLowerCase());
}

/**
 * Our money as Stripe's `amount` (integer minor units by Stripe's rules) and lower-case `currency`.
 * Never rounds: an amount Stripe cannot carry exactly is refused, so a customer is never charged a
 * different amount than the payment records. `minimum: false` skips the minimum (captures and refunds
 * may be any part of a charge).
 * @throws ValidationError `currency_not_supported` (Stripe does not charge in it), `amount_precision_unsupported`
 *   (more decimals than Stripe takes: a fractional zero-decimal amount, a fractional ISK or UGX amount, or a
 *   three-decimal amount whose last digit is not 0), `amount_below_gateway_minimum`, `amount_above_gateway_maximum`
 *   (eight digits of Stripe's minor units: 999999 ISK or UGX, since those are sent x100).
 * @example
 * ```ts
 * toStripeAmount(Money.of("12.340", "KWD")); // { amount: 12340, currency: "kwd" }
 * toStripeAmount(Money.of("500", "JPY"));    // { amount: 500, currency: "jpy" }
 * toStripeAmount(Money.of("5000", "UGX"));   // { amount: 500000, currency: "ugx" }
 * ```
 */
export function toStripeAmount(money: Money, options: { minimum?: boolean } = {}): { amount: number; currency: string } {
  const currency = money.currency.toLowerCase();
  if (!SUPPORTED.has(currency)) {
    throw ValidationError.field(
      paymentsCodes.currency_not_supported,
      "amount.currency",
      `Stripe does not accept payments in ${money.currency}`,
    );
  }
  const decimals = stripeDecimals(currency);
  const scaled = money.amount.times(new Decimal(10).pow(decimals));
  const step = stripeStep(currency);
  if (!scaled.isInteger() || !scaled.mod(step).isZero()) {
    const unit = new Decimal(step).div(new Decimal(10).pow(decimals)).toFixed(decimals === 0 || step === 100 ? 0 : decimals);
    throw ValidationError.field(
      paymentsCodes.amount_precision_unsupported,
      "amount.amount",
      `Stripe charges ${money.currency} in steps of ${unit}; ${money.amount.toString()} is not one`,
    );
  }
  const minor = BigInt(scaled.toFixed(0));
  const min = MINIMUM[currency];
  if (options.minimum !== false && min !== undefined && money.amount.lessThan(min)) {
    throw ValidationError.field(
      paymentsCodes.amount_below_gateway_minimum,
      "amount.amount",
      `Stripe's minimum charge in ${money.currency} is ${min}`,
    );
  }
  if (minor > MAX_MINOR(currency)) {
    throw ValidationError.field(
      paymentsCodes.amount_above_gateway_maximum,
      "amount.amount",
      `Stripe's largest ${money.currency} amount is ${MAX_MINOR(currency)} minor units`,
    );
  }
  if (minor <= 0n) throw ValidationError.field(coreCodes.amount_not_positive, "amount.amount", "Stripe amounts are positive");
  return { amount: Number(minor), currency };
}

/** Stripe's `amount` and `currency` back as our money, exactly. @throws ValidationError `unknown_currency`. */
export function fromStripeAmount(amount: number, currency: string): Money {
  const code = currency.toUpperCase();
  return Money.of(new Decimal(amount).div(new Decimal(10).pow(stripeDecimals(code))), code);
}
