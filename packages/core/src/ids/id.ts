import { randomFillSync } from "node:crypto";

const ALPHABET = Buffer.from("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", "latin1");
/** Random characters per id: 24 of 62 symbols = 142 bits, well past the 120-bit floor. */
export const ID_RANDOM_LENGTH = 24;
const PREFIX = /^[a-z][a-z0-9]{0,15}$/;
const UNDERSCORE = 0x5f;
// Random bytes are drawn from the CSPRNG a pool at a time (as nanoid does): one system call per
// ~130 ids instead of one per id.
const pool = Buffer.alloc(4096);
let poolAt = pool.length;
const scratch = Buffer.alloc(16 + 1 + ID_RANDOM_LENGTH);

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
  // Written into one buffer and decoded once, the id is a flat string. Concatenation (`prefix_` +
  // nanoid's character-by-character build) made a tree of cons-string nodes, ~490 bytes per id
  // kept as a map key instead of ~90, which every in-memory table paid for every row.
  let at = scratch.write(prefix, 0, "latin1");
  scratch[at++] = UNDERSCORE;
  const end = at + ID_RANDOM_LENGTH;
  while (at < end) {
    if (poolAt === pool.length) {
      randomFillSync(pool);
      poolAt = 0;
    }
    // 6 bits give 0-63; rejecting 62 and 63 keeps the 62 symbols uniform.
    const bits = pool[poolAt++]! & 63;
    if (bits < 62) scratch[at++] = ALPHABET[bits]!;
  }
  return scratch.toString("latin1", 0, end) as Id<P>;
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
