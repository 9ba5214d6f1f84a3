import { customAlphabet } from "nanoid";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/** Random characters per id: 24 of 62 symbols = 142 bits, well past the 120-bit floor. */
export const ID_RANDOM_LENGTH = 24;
const random = customAlphabet(ALPHABET, ID_RANDOM_LENGTH);
const PREFIX = /^[a-z][a-z0-9]{0,15}$/;

declare const idBrand: unique symbol;
/** A prefixed id such as `ord_3fK9...`, branded by its prefix so an order id is not a user id. */
export type Id<P extends string> = `${P}_${string}` & { readonly [idBrand]: P };

/**
 * A new random id with a Stripe-style prefix: `createId("ord")` -> `ord_<24 random chars>`.
 * Never time-based, so ids made at the same instant on many hosts never collide.
 * @throws TypeError for a prefix that is not 1-16 lower-case letters/digits starting with a letter
 *   (a programming error, not user input).
 * @example
 * ```ts
 * const id = createId("ord"); // "ord_V1StGXR8Z5jdHi6BmyTa9kLp"
 * ```
 */
export function createId<P extends string>(prefix: P): Id<P> {
  if (!PREFIX.test(prefix)) throw new TypeError(`invalid id prefix ${JSON.stringify(prefix)}`);
  return `${prefix}_${random()}` as Id<P>;
}

/** True when `value` is an id with the given prefix and the shape `createId` produces. */
export function isId<P extends string>(value: unknown, prefix: P): value is Id<P> {
  return (
    typeof value === "string" &&
    value.length === prefix.length + 1 + ID_RANDOM_LENGTH &&
    value.startsWith(`${prefix}_`) &&
    /^[0-9A-Za-z]+$/.test(value.slice(prefix.length + 1))
  );
}
