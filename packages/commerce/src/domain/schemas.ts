import { coreCodes } from "@platform/core";
import type { Actor as CoreActor } from "@platform/core";
import { z } from "zod";
import { commerceCodes } from "./error-codes.js";

/**
 * A line quantity: a safe positive integer up to `max`.
 * Zero, negative and fractional values answer `invalid_quantity`; values above `max`
 * answer `quantity_too_large`, so callers can tell "nonsense" from "too many".
 */
export function lineQuantitySchema(max = 999) {
  return z.unknown().transform((value, ctx) => {
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
      ctx.addIssue({ code: "custom", message: "quantity must be a positive integer", params: { code: coreCodes.invalid_quantity } });
      return z.NEVER;
    }
    if (value > max) {
      ctx.addIssue({ code: "custom", message: `quantity must be at most ${max}`, params: { code: commerceCodes.quantity_too_large } });
      return z.NEVER;
    }
    return value;
  });
}

/** A non-empty trimmed string with a custom error code (so each bad input has its own code). */
export function codedString(min: number, max: number, code: string) {
  return z
    .string({ error: "must be a string" })
    .trim()
    .superRefine((v, ctx) => {
      if (v.length < min || v.length > max) ctx.addIssue({ code: "custom", message: `must be ${min}-${max} characters`, params: { code } });
    });
}

/** An id string as stored (any prefix); shape checks stay loose so foreign ids answer `not_found`. */
export const refSchema = z.string().trim().min(1).max(64);

/** Roles an actor may hold. */
export const roleSchema = z.enum(["customer", "admin"]);
/** A role of an {@link Actor}. */
export type Role = z.infer<typeof roleSchema>;

/**
 * Who is calling: core's `Actor` with commerce's roles. A signed-in customer's actor comes from
 * `users.authenticate(ANONYMOUS_ACTOR, { token })` (`id` is the customer id); a back-office actor
 * holds the `admin` role. Roles are trusted as given: never build actors from request data.
 */
export type Actor = CoreActor<Role>;

/** The back-office actor: reads any order, manages catalog, stock and fulfilment. Host apps hand it to admin routes only. */
export const ADMIN_ACTOR: Actor = Object.freeze({ id: null, roles: Object.freeze(["admin"]) as readonly Role[] });

// NUL cannot be stored by PostgreSQL and a lone surrogate would be re-encoded as U+FFFD: neither
// could come back exactly, so both stores refuse them alike (core's parse() checks every input too;
// here the refinement keeps the code on keys, where zod would report its own invalid_key).
const NUL = /\u0000/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A trimmed string of `min`-`max` characters that both stores keep exactly (`nul_character` for NUL, `invalid_text` for a lone surrogate). */
export function storableText(min: number, max: number) {
  return z
    .string()
    .trim()
    .min(min)
    .max(max)
    .refine((v) => !NUL.test(v), { message: "may not contain NUL (U+0000) characters", params: { code: coreCodes.nul_character } })
    .refine((v) => !LONE_SURROGATE.test(v), {
      message: "may not contain unpaired surrogate characters",
      params: { code: coreCodes.invalid_text },
    });
}
