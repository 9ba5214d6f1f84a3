import { randomBytes } from "node:crypto";

/** A form-encoded body or query string, nested by Stripe's bracket notation (`metadata[k]=v`, `expand[0]=x`). */
export type FormValue = string | FormObject;
export interface FormObject {
  [key: string]: FormValue;
}

/** Parses `a[b][c]=v` pairs into nested objects (array indexes stay object keys; see {@link listOf}). */
export function parseForm(text: string): FormObject {
  const out: FormObject = {};
  for (const [rawKey, value] of new URLSearchParams(text)) {
    const segments = rawKey.split("[").map((s) => s.replace(/]$/, ""));
    let node = out;
    segments.forEach((seg, i) => {
      const key = seg === "" ? String(Object.keys(node).length) : seg;
      if (i === segments.length - 1) node[key] = value;
      else node = (node[key] = typeof node[key] === "object" ? node[key] : {}) as FormObject;
    });
  }
  return out;
}

/** The values of a form list (`expand[0]=a&expand[1]=b` or `expand[]=a`). */
export function listOf(value: FormValue | undefined): string[] {
  if (value === undefined) return [];
  if (typeof value === "string") return [value];
  return Object.values(value).filter((v): v is string => typeof v === "string");
}

/** A Stripe error answer: the HTTP status and the `error` object of Stripe's wire format. */
export class StripeWireError extends Error {
  constructor(
    readonly status: number,
    readonly error: { type: string; code?: string; decline_code?: string; param?: string; message: string; [k: string]: unknown },
    /** False for errors Stripe raises before the endpoint starts executing: their result is not kept for the key. */
    readonly executed = true,
  ) {
    super(error.message);
  }
}

/** A 400 `invalid_request_error` raised while checking parameters (not kept for the idempotency key). */
export function invalidParam(param: string, message: string, code = "parameter_invalid"): StripeWireError {
  return new StripeWireError(400, { type: "invalid_request_error", code, param, message }, false);
}

/** A Stripe-like object id (`pi_3Q...`). */
/** Now, in Unix seconds (Stripe's `created`). */
export const unixNow = (): number => Math.floor(Date.now() / 1000);

export function stripeId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString("base64url").replace(/[-_]/g, "x")}`;
}

/** How a test PaymentMethod behaves, by Stripe's documented test tokens. */
export interface TestCard {
  brand: string;
  last4: string;
  country: string;
  behaviour: "succeed" | "decline" | "requires_action" | "refund_fail" | "refund_pending";
  code?: string;
  declineCode?: string;
  message?: string;
}

const declined = (last4: string, code: string, declineCode: string, message: string): TestCard => ({
  brand: "visa",
  last4,
  country: "US",
  behaviour: "decline",
  code,
  declineCode,
  message,
});

/** Stripe's test PaymentMethod tokens the local server knows. */
export const TEST_CARDS: Readonly<Record<string, TestCard>> = {
  pm_card_visa: { brand: "visa", last4: "4242", country: "US", behaviour: "succeed" },
  pm_card_visa_debit: { brand: "visa", last4: "5556", country: "US", behaviour: "succeed" },
  pm_card_mastercard: { brand: "mastercard", last4: "4444", country: "US", behaviour: "succeed" },
  pm_card_amex: { brand: "amex", last4: "8431", country: "US", behaviour: "succeed" },
  pm_card_de: { brand: "visa", last4: "0016", country: "DE", behaviour: "succeed" },
  pm_card_chargeDeclined: declined("0002", "card_declined", "generic_decline", "Your card was declined."),
  pm_card_chargeDeclinedInsufficientFunds: declined("9995", "card_declined", "insufficient_funds", "Your card has insufficient funds."),
  pm_card_visa_chargeDeclinedInsufficientFunds: declined(
    "9995",
    "card_declined",
    "insufficient_funds",
    "Your card has insufficient funds.",
  ),
  pm_card_chargeDeclinedLostCard: declined("9987", "card_declined", "lost_card", "Your card was declined."),
  pm_card_chargeDeclinedExpiredCard: declined("0069", "expired_card", "expired_card", "Your card has expired."),
  pm_card_chargeDeclinedIncorrectCvc: declined("0127", "incorrect_cvc", "incorrect_cvc", "Your card's security code is incorrect."),
  pm_card_threeDSecure2Required: { brand: "visa", last4: "3220", country: "US", behaviour: "requires_action" },
  pm_card_authenticationRequired: { brand: "visa", last4: "3184", country: "US", behaviour: "requires_action" },
  pm_card_refundFail: { brand: "visa", last4: "5126", country: "US", behaviour: "refund_fail" },
  pm_card_pendingRefund: { brand: "visa", last4: "7726", country: "US", behaviour: "refund_pending" },
};

/**
 * Stripe's presentment rules the server checks for the currencies it knows: decimals of `amount`, minimum
 * (minor units) and the step every amount must be a multiple of (three-decimal currencies end in 0; ISK and
 * UGX are zero-decimal but taken as two-decimal integers, so they move in steps of 100: 5 ISK is `500`).
 */
export const CURRENCY_RULES: Readonly<Record<string, { decimals: number; minimum: number; step: number }>> = {
  usd: { decimals: 2, minimum: 50, step: 1 },
  eur: { decimals: 2, minimum: 50, step: 1 },
  gbp: { decimals: 2, minimum: 30, step: 1 },
  cad: { decimals: 2, minimum: 50, step: 1 },
  aud: { decimals: 2, minimum: 50, step: 1 },
  chf: { decimals: 2, minimum: 50, step: 1 },
  sek: { decimals: 2, minimum: 300, step: 1 },
  dkk: { decimals: 2, minimum: 250, step: 1 },
  nok: { decimals: 2, minimum: 300, step: 1 },
  pln: { decimals: 2, minimum: 200, step: 1 },
  czk: { decimals: 2, minimum: 1500, step: 1 },
  huf: { decimals: 2, minimum: 17500, step: 1 },
  twd: { decimals: 2, minimum: 1, step: 1 },
  jpy: { decimals: 0, minimum: 50, step: 1 },
  krw: { decimals: 0, minimum: 1, step: 1 },
  clp: { decimals: 0, minimum: 1, step: 1 },
  vnd: { decimals: 0, minimum: 1, step: 1 },
  mga: { decimals: 0, minimum: 1, step: 1 },
  kwd: { decimals: 3, minimum: 10, step: 10 },
  bhd: { decimals: 3, minimum: 10, step: 10 },
  jod: { decimals: 3, minimum: 10, step: 10 },
  omr: { decimals: 3, minimum: 10, step: 10 },
  tnd: { decimals: 3, minimum: 10, step: 10 },
  isk: { decimals: 2, minimum: 100, step: 100 },
  ugx: { decimals: 2, minimum: 100, step: 100 },
  mxn: { decimals: 2, minimum: 1000, step: 1 },
  idr: { decimals: 2, minimum: 1, step: 1 },
};

/** Refuses an amount that is not a multiple of its currency's step, as Stripe does. */
export function checkStep(currency: string, amount: number, param: string): void {
  const step = CURRENCY_RULES[currency]!.step;
  if (amount % step === 0) return;
  const why = step === 10 ? "Three-decimal currency amounts must end in 0." : `${currency} amounts must be divisible by ${step}.`;
  throw invalidParam(param, why, "parameter_invalid");
}
