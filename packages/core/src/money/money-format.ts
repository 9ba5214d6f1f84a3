// Building an Intl.NumberFormat costs far more than formatting with one: money keeps one per
// locale and currency.

/** Intl options that show exactly the currency's minor units. */
export function currencyFormat(currency: string, scale: number): Intl.NumberFormatOptions {
  return { style: "currency", currency, minimumFractionDigits: scale, maximumFractionDigits: scale };
}

// Bounded, since locales and currencies are small sets in practice.
const formatters = new Map<string, Intl.NumberFormat>();
/** The shared formatter of a locale and currency. */
export function cachedFormatter(locale: string, currency: string, scale: number): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let fmt = formatters.get(key);
  if (!fmt) {
    if (formatters.size > 500) formatters.clear();
    fmt = new Intl.NumberFormat(locale, currencyFormat(currency, scale));
    formatters.set(key, fmt);
  }
  return fmt;
}
