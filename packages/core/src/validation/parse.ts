import type { z } from "zod";
import { ValidationError, type ValidationIssue } from "../errors/errors.js";

function toIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((i) => {
    const custom = (i as { params?: { code?: unknown } }).params?.code;
    return {
      path: i.path.map((p) => (typeof p === "symbol" ? String(p) : p)),
      message: i.message,
      code: typeof custom === "string" ? custom : i.code,
    };
  });
}

/**
 * Validates `input` against a zod schema and returns the typed, normalised value.
 *
 * The error's `code` is the issues' shared custom code when they all agree (for
 * example `amount_precision`), else `validation_failed`; every issue keeps its path.
 * Any string or record key of the value holding NUL (`nul_character`) or an unpaired
 * surrogate (`invalid_text`) is refused too: no store could keep it exactly.
 * @throws ValidationError naming every bad field.
 * @example
 * ```ts
 * const input = parse(registerSchema, req.body); // typed, emails lower-cased
 * ```
 */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) {
    const unstorable = unstorableText(result.data);
    if (unstorable.length > 0) return reject(unstorable);
    return result.data;
  }
  return reject(toIssues(result.error));
}

// NUL cannot be stored by PostgreSQL (text or jsonb) and a lone surrogate is re-encoded as U+FFFD
// or refused as JSON: neither could come back exactly, so every input refuses them on every store.
const NUL = /\u0000/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function textIssue(value: string, path: (string | number)[]): ValidationIssue | null {
  if (NUL.test(value)) return { path, message: "may not contain NUL (U+0000) characters", code: "nul_character" };
  if (LONE_SURROGATE.test(value)) return { path, message: "may not contain unpaired surrogate characters", code: "invalid_text" };
  return null;
}

/** Every string (and object key) of a parsed input that no store could keep exactly, with its path. */
function unstorableText(value: unknown, path: (string | number)[] = [], out: ValidationIssue[] = [], depth = 0): ValidationIssue[] {
  if (typeof value === "string") {
    const issue = textIssue(value, path);
    if (issue) out.push(issue);
  } else if (Array.isArray(value)) {
    if (depth < 64) value.forEach((v, i) => unstorableText(v, [...path, i], out, depth + 1));
  } else if (value !== null && typeof value === "object") {
    // Plain records only: Money, Date and other class instances hold no client text.
    const proto = Object.getPrototypeOf(value);
    if ((proto === Object.prototype || proto === null) && depth < 64) {
      for (const key of Object.keys(value)) {
        const keyIssue = textIssue(key, [...path, key]);
        if (keyIssue) out.push(keyIssue);
        unstorableText((value as Record<string, unknown>)[key], [...path, key], out, depth + 1);
      }
    }
  }
  return out;
}

function reject(issues: ValidationIssue[]): never {
  const codes = new Set(issues.map((i) => i.code));
  const [only] = codes;
  const code =
    codes.size === 1 && only !== undefined && /^[a-z]+(_[a-z]+)+$/.test(only) && !ZOD_CODES.has(only) ? only : "validation_failed";
  const summary = issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; ");
  return throwValidation(summary, issues, code);
}

const ZOD_CODES = new Set([
  "invalid_type",
  "too_big",
  "too_small",
  "invalid_format",
  "not_multiple_of",
  "unrecognized_keys",
  "invalid_union",
  "invalid_key",
  "invalid_element",
  "invalid_value",
  "custom",
]);

function throwValidation(message: string, issues: ValidationIssue[], code: string): never {
  throw new ValidationError(code, message, { issues });
}
