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
 * @throws ValidationError naming every bad field.
 * @example
 * ```ts
 * const input = parse(registerSchema, req.body); // typed, emails lower-cased
 * ```
 */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = toIssues(result.error);
  const codes = new Set(issues.map((i) => i.code));
  const [only] = codes;
  const code = codes.size === 1 && only !== undefined && /^[a-z]+(_[a-z]+)+$/.test(only) && !ZOD_CODES.has(only) ? only : "validation_failed";
  const summary = issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; ");
  return throwValidation(summary, issues, code);
}

const ZOD_CODES = new Set(["invalid_type", "too_big", "too_small", "invalid_format", "not_multiple_of", "unrecognized_keys", "invalid_union", "invalid_key", "invalid_element", "invalid_value", "custom"]);

function throwValidation(message: string, issues: ValidationIssue[], code: string): never {
  throw new ValidationError(message, issues, code);
}
