import { PlatformError } from "../errors/platform-error.js";

/**
 * The `code` of the PlatformError that `work` rejects or throws with: tests assert on codes, never
 * on messages. `work` is a promise or a function (sync or async) that is called.
 * @throws Error when `work` completes without an error; anything that is not a PlatformError is rethrown.
 * @example
 * ```ts
 * expect(await codeOf(() => shop.orders.checkout(actor, input))).toBe("empty_cart");
 * expect(await codeOf(social.users.create({ username: "admin", email, name }))).toBe("username_reserved");
 * ```
 */
export async function codeOf(work: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof work === "function" ? work() : work);
  } catch (e) {
    if (PlatformError.is(e)) return e.code;
    throw e;
  }
  throw new Error("expected a PlatformError, but the operation completed");
}
