import { checkStep, CURRENCY_RULES, invalidParam, type FormObject, type FormValue } from "./stripe-wire.js";

/** A string parameter, or undefined. */
export const str = (v: FormValue | undefined): string | undefined => (typeof v === "string" ? v : undefined);
/** The string entries of an object parameter (`metadata[key]=value`). */
export const record = (v: FormValue | undefined): Record<string, string> =>
  typeof v === "object" ? Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === "string")) : {};

/** A non-negative integer parameter. */
export function positiveInt(v: FormValue | undefined, param: string): number {
  if (typeof v !== "string" || !/^\d+$/.test(v)) throw invalidParam(param, `Invalid integer: ${String(v)}`, "parameter_invalid_integer");
  return Number(v);
}

/** The amount and currency of a request, checked against Stripe's currency rules. */
export function checkAmount(form: FormObject, param = "amount"): { amount: number; currency: string } {
  const currency = str(form.currency) ?? "";
  if (currency !== currency.toLowerCase() || !CURRENCY_RULES[currency])
    throw invalidParam(
      "currency",
      `Invalid currency: ${currency}. Currencies are three-letter lower-case ISO codes Stripe supports.`,
      "parameter_invalid",
    );
  const amount = positiveInt(form[param], param);
  const rule = CURRENCY_RULES[currency]!;
  checkStep(currency, amount, param);
  if (amount < rule.minimum)
    throw invalidParam(param, `Amount must be at least ${rule.minimum} ${currency} minor units.`, "amount_too_small");
  if (amount > (currency === "idr" ? 999_999_999_999 : 99_999_999))
    throw invalidParam(param, "Amount must be no more than 99999999.", "amount_too_large");
  return { amount, currency };
}
