/** What replaces a secret value in a log line. */
export const REDACTED = "[redacted]";

// Field names whose values are credentials or card data, in any casing and with - or _.
// `key` alone is not here: idempotency keys are ids, useful in logs and not secret.
const SECRET_KEY =
  /pass(word|phrase)?|secret|token|authori[sz]ation|cookie|api_?key|private_?key|signature|card|cvc|cvv|^pan$|iban|payment_?method$|credential|session_?id|^dsn$|connection_?string/i;

// Values that look like credentials wherever they appear: provider keys, webhook secrets and
// bearer tokens. Card numbers (Luhn-valid runs of 13-19 digits) and URL passwords are handled apart.
// Payment method tokens (`pm_`, `tok_`, `src_`) and client secrets (`pi_..._secret_...`) go too:
// a gateway's error message may echo the token it refused.
const SECRET_TEXT: readonly RegExp[] = [
  /\b(sk|rk)_(live|test)_[A-Za-z0-9]{6,}/g,
  /\bwhsec_[A-Za-z0-9+/=_-]{6,}/g,
  /\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /\b[A-Za-z0-9]+_[A-Za-z0-9]+_secret_[A-Za-z0-9]+/g,
  /\b(pm|tok|src)_[A-Za-z0-9_]{3,}/g,
];
const DIGIT_RUN = /\b\d(?:[ -]?\d){12,18}\b/g;
const URL_PASSWORD = /(\/\/[^/\s:@]+:)[^@\s/]+@/g;

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/** True when a field of this name holds a secret (password, token, signing secret, card data ...). */
export function isSecretField(name: string): boolean {
  return SECRET_KEY.test(name.replace(/-/g, "_"));
}

/** Masks credential-looking substrings (provider keys, webhook secrets, bearer tokens, card numbers, URL passwords). */
export function redactText(text: string): string {
  let out = text.replace(URL_PASSWORD, `$1${REDACTED}@`);
  for (const pattern of SECRET_TEXT) out = out.replace(pattern, REDACTED);
  return out.replace(DIGIT_RUN, (run) => (luhn(run.replace(/[ -]/g, "")) ? REDACTED : run));
}

/**
 * A copy of `value` safe to log: fields named like secrets ({@link isSecretField}) are replaced by
 * `"[redacted]"`, strings are scrubbed with {@link redactText}, and depth is bounded so a cyclic or
 * huge object cannot stall logging.
 * @example
 * ```ts
 * redact({ email: "a@b.co", password: "hunter2" }); // { email: "a@b.co", password: "[redacted]" }
 * ```
 */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return redactText(value);
  if (value === null || typeof value !== "object") return value;
  if (depth >= 6) return "[truncated]";
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => redact(v, depth + 1));
  if (value instanceof Date) return value.toISOString();
  // Money, Decimal and other value objects log through their JSON form.
  const json = (value as { toJSON?: () => unknown }).toJSON;
  if (typeof json === "function" && !(value instanceof Error)) return redact(json.call(value), depth + 1);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = isSecretField(k) ? REDACTED : redact(v, depth + 1);
  return out;
}
