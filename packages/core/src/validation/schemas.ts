import { z } from "zod";
import { PlatformError } from "../errors/platform-error.js";
import { isId, type Id } from "../ids/id.js";
import type { Decimal } from "../money/decimal.js";
import { Money } from "../money/money.js";
import { recordSchema } from "./record-schema.js";
import { coreCodes } from "../errors/core-error-codes.js";

/**
 * An email address, trimmed and lower-cased so uniqueness checks are case-insensitive.
 */
export const emailSchema = z.string().trim().max(254).toLowerCase().pipe(z.email());

/** A trimmed string of `min`..`max` characters. */
export function boundedString(min: number, max: number) {
  return z.string().trim().min(min).max(max);
}

/** A positive integer quantity up to `max` (default 10,000). */
export function quantitySchema(max = 10_000) {
  return z.number().int().positive().max(max);
}

/** An absolute http(s) URL, or https only when `httpsOnly`. */
export function urlSchema(options: { httpsOnly?: boolean; max?: number } = {}) {
  const protocols = options.httpsOnly ? ["https:"] : ["http:", "https:"];
  return z
    .string()
    .trim()
    .max(options.max ?? 2048)
    .refine(
      (value) => {
        try {
          return protocols.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      },
      { message: options.httpsOnly ? "must be an https URL" : "must be an http(s) URL", params: { code: coreCodes.invalid_url } },
    );
}

/** A prefixed id made by `createId(prefix)`. */
export function idSchema<P extends string>(prefix: P) {
  return z.custom<Id<P>>((v) => isId(v, prefix), { message: `must be a ${prefix}_ id`, params: { code: coreCodes.invalid_id } });
}

// A decimal.js value (a Money's own `amount`), also from another copy of decimal.js.
const decimalLike = z.custom<Decimal>(
  (v) =>
    typeof v === "object" && v !== null && typeof (v as Decimal).isFinite === "function" && typeof (v as Decimal).toFixed === "function",
  {
    message: "amount must be a decimal string or number",
  },
);

/**
 * Money as it crosses an API: `{ amount: "12.30", currency: "EUR" }`, or a {@link Money} itself
 * (e.g. `capture({ amount: payment.amountAuthorized })`), parsed to a {@link Money}. Every amount
 * input of every package goes through it, so they all take both forms and the same limits.
 * Codes: `invalid_amount`, `amount_precision`, `amount_too_large`, `unknown_currency`.
 */
export const moneyInputSchema = z
  .object({ amount: z.union([z.string(), z.number(), decimalLike]), currency: z.string() })
  .transform((value, ctx) => {
    try {
      return Money.of(value.amount, value.currency);
    } catch (e) {
      if (!PlatformError.is(e)) throw e;
      const field = e.code === "unknown_currency" ? "currency" : "amount";
      ctx.addIssue({ code: "custom", message: e.message, path: [field], params: { code: e.code } });
      return z.NEVER;
    }
  });

/** Money input that must be greater than zero (`amount_not_positive` otherwise). */
export const positiveMoneySchema = moneyInputSchema.refine((m) => m.isPositive(), {
  message: "amount must be greater than zero",
  path: ["amount"],
  params: { code: coreCodes.amount_not_positive },
});

/** Free-form string metadata, Stripe-style: up to 50 keys, keys <= 40 chars, values <= 500 chars. */
export const metadataSchema = recordSchema(z.string().min(1).max(40), z.string().max(500)).refine((m) => Object.keys(m).length <= 50, {
  message: "at most 50 metadata keys",
});

/**
 * Gives every issue of `schema` one error code, so `parse` throws a `ValidationError`
 * with that code (zod's built-in checks such as `.int()` or `.regex()` carry no custom code).
 * @example
 * ```ts
 * const usernameSchema = withErrorCode(z.string().regex(/^[a-z0-9_]{3,30}$/i), "invalid_username");
 * ```
 */
export function withErrorCode<S extends z.ZodType>(schema: S, code: string) {
  return z.unknown().transform((value, ctx): z.output<S> => {
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      ctx.addIssue({
        code: "custom",
        message: issue.message,
        path: issue.path.map((p) => (typeof p === "symbol" ? String(p) : p)),
        params: { code },
      });
    }
    return z.NEVER;
  });
}

/** Rows a purge removes per call unless told otherwise. */
export const DEFAULT_PURGE_LIMIT = 1_000;

/**
 * Options of every retention purge (`users.purgeEndedSessions`, `maintenance.purgeIdempotencyKeys`,
 * `store.purgeOutbox` ...): `limit` is the batch size, 1-10,000 (default 1,000); a bad one
 * answers `invalid_limit`.
 */
export const purgeOptionsSchema = z
  .object({ limit: withErrorCode(z.number().int().min(1).max(10_000), coreCodes.invalid_limit).optional() })
  .optional()
  .transform((o) => ({ limit: o?.limit ?? DEFAULT_PURGE_LIMIT }));

/** Options of a retention purge: how many rows at most this call removes. */
export interface PurgeOptions {
  /** Batch size, 1-10,000 (default 1,000). Call again while it returns `limit`. */
  limit?: number;
}
