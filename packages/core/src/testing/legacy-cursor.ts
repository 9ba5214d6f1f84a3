import { createHmac } from "node:crypto";

/**
 * A cursor signed the way 0.x signed every cursor: with a constant shipped in the package, so
 * anyone could compute it. Tests use it to prove that such a forged cursor is refused now.
 * @example
 * ```ts
 * await expect(platform.orders.list(actor, { cursor: legacyCursor("orders.by_customer", [Date.now(), "ord_x"]) })).rejects.toMatchObject({ code: "invalid_cursor" });
 * ```
 */
export function legacyCursor(kind: string, payload: unknown): string {
  const body = Buffer.from(JSON.stringify({ k: kind, p: payload })).toString("base64url");
  const tag = createHmac("sha256", "@platform/core cursor v1").update(body).digest().subarray(0, 16).toString("base64url");
  return `${body}.${tag}`;
}
