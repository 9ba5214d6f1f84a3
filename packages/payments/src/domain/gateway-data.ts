/** A JSON value: what provider data may hold. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/**
 * Provider data (the specification's `GatewayData`): an opaque JSON record a gateway returns with a
 * result (Stripe's charge id, risk level, network transaction id ...), kept on the payment and on the
 * ledger transaction the result produced. The SDK never interprets it.
 */
export type GatewayData = { readonly [key: string]: JsonValue };

/** The largest provider data kept, as UTF-8 JSON: 16 KiB. */
export const GATEWAY_DATA_MAX_BYTES = 16_384;
/** The deepest nesting of provider data kept (the record itself is depth 1). */
export const GATEWAY_DATA_MAX_DEPTH = 16;

/** Why provider data was not kept, or the checked copy. */
export type GatewayDataCheck = { ok: true; data: GatewayData } | { ok: false; reason: string };

// A plain JSON tree only: no class instances, accessors, symbols, undefined, non-finite numbers or
// NUL characters (PostgreSQL's jsonb refuses them), so both stores keep exactly the same value.
function problem(value: unknown, depth: number): string | undefined {
  if (value === null || typeof value === "boolean") return undefined;
  if (typeof value === "string") return value.includes("\u0000") ? "a string holds a NUL character" : undefined;
  if (typeof value === "number") return Number.isFinite(value) ? undefined : "a number is not finite";
  if (typeof value !== "object") return `a ${typeof value} is not JSON`;
  if (depth > GATEWAY_DATA_MAX_DEPTH) return `nested deeper than ${GATEWAY_DATA_MAX_DEPTH}`;
  const proto = Object.getPrototypeOf(value);
  if (Array.isArray(value)) {
    if (proto !== Array.prototype) return "an array is not a plain array";
    for (let i = 0; i < value.length; i++) {
      if (!Object.prototype.hasOwnProperty.call(value, i)) return "an array has holes";
      const p = problem(value[i], depth + 1);
      if (p) return p;
    }
    return undefined;
  }
  if (proto !== Object.prototype && proto !== null) return "an object is not a plain object";
  for (const key of Reflect.ownKeys(value)) {
    if (typeof key === "symbol") return "a key is a symbol";
    if (key.includes("\u0000")) return "a key holds a NUL character";
    const d = Object.getOwnPropertyDescriptor(value, key)!;
    if (!("value" in d) || !d.enumerable) return `key ${JSON.stringify(key)} is not a plain data property`;
    const p = problem(d.value, depth + 1);
    if (p) return p;
  }
  return undefined;
}

/**
 * Checks provider data and returns a deep copy: a plain JSON record of at most
 * {@link GATEWAY_DATA_MAX_BYTES} bytes and {@link GATEWAY_DATA_MAX_DEPTH} levels. Keys such as
 * `__proto__` or `constructor` are kept as ordinary own keys (the copy is made by `JSON.parse`, which
 * never touches a prototype).
 */
export function checkGatewayData(value: unknown): GatewayDataCheck {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return { ok: false, reason: "provider data must be a JSON object" };
  const p = problem(value, 1);
  if (p) return { ok: false, reason: p };
  const text = JSON.stringify(value);
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > GATEWAY_DATA_MAX_BYTES) return { ok: false, reason: `${bytes} bytes, more than ${GATEWAY_DATA_MAX_BYTES}` };
  return { ok: true, data: JSON.parse(text) as GatewayData };
}

/**
 * The provider data of a gateway result to keep: the checked copy, or `undefined` when there is none
 * or it is not acceptable. A result is never refused for its provider data: the money outcome it
 * reports must be recorded whatever the gateway attached to it.
 */
export function gatewayDataOf(value: unknown): GatewayData | undefined {
  if (value === undefined || value === null) return undefined;
  const check = checkGatewayData(value);
  return check.ok ? check.data : undefined;
}
