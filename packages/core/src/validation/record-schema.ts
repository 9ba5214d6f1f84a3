import { z } from "zod";
import { coreCodes } from "../errors/core-error-codes.js";

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * A string-keyed record like `z.record`, but safe for untrusted keys: every own key is kept,
 * `__proto__` included (zod's record drops it silently), and the result has no prototype, so
 * `record.constructor` or `record.toString` is `undefined` unless the caller set that key.
 * Issues keep their key in the path and their custom `params.code`.
 * @example
 * ```ts
 * const attributes = recordSchema(z.string().trim().min(1).max(60), z.string().max(300));
 * parse(attributes, JSON.parse('{"__proto__":"kept"}'))["__proto__"]; // "kept"
 * ```
 */
export function recordSchema<K extends z.ZodType<string, string>, V extends z.ZodType>(key: K, value: V) {
  return z.custom<Record<string, z.input<V>>>(isPlainObject, { message: "expected an object of named values" }).transform((input, ctx) => {
    const out = Object.create(null) as Record<z.output<K>, z.output<V>>;
    let valid = true;
    for (const name of Object.keys(input)) {
      const k = key.safeParse(name);
      const v = value.safeParse(input[name]);
      for (const issue of [...(k.success ? [] : k.error.issues), ...(v.success ? [] : v.error.issues)]) {
        ctx.addIssue({ ...issue, path: [name, ...issue.path] } as Parameters<typeof ctx.addIssue>[0]);
        valid = false;
      }
      if (k.success && v.success) {
        if (Object.hasOwn(out, k.data)) {
          ctx.addIssue({
            code: "custom",
            message: `duplicate key "${k.data}" after normalisation`,
            path: [name],
            params: { code: coreCodes.duplicate_key },
          });
          valid = false;
        }
        out[k.data] = v.data as z.output<V>;
      }
    }
    return valid ? out : z.NEVER;
  });
}
