/**
 * Building blocks of the columnar memory tables: growable typed-array columns and interning.
 * A row is an index into parallel columns, so a million rows cost a handful of large arrays
 * instead of millions of small objects the garbage collector would have to trace on every
 * major collection (the cause of the multi-millisecond feed pauses at a million posts).
 */

type NumericArray = Float64Array | Int32Array | Uint8Array;

/** A copy of `column` with room for at least `size` rows (grown by half, so appends stay amortised O(1)). */
export function grown<A extends NumericArray>(column: A, size: number): A {
  if (size <= column.length) return column;
  const next = new (column.constructor as new (n: number) => A)(Math.max(size, Math.ceil(column.length * 1.5), 64));
  next.set(column);
  return next;
}

/** Dates live in Float64 columns as epoch milliseconds; NaN stands for null. */
export const dateOrNull = (ms: number): Date | null => (Number.isNaN(ms) ? null : new Date(ms));
export const msOrNaN = (d: Date | null | undefined): number => (d ? d.getTime() : Number.NaN);

const ANY = /$/;

/**
 * Returns `value` after making V8 store it as one flat string. Strings built by concatenation
 * (a host's ids, template literals) are trees of cons-string nodes: an id of
 * 26 characters held that way costs about 360 bytes instead of 48. A regular-expression test
 * flattens its subject in place, and the next collection drops the tree.
 */
export function flatten(value: string): string {
  ANY.test(value);
  return value;
}

const EMPTY: readonly string[] = Object.freeze([]);

/**
 * Shares one frozen array per distinct list of strings (hashtags, mentions, images): most posts
 * carry none or a common one, and a post's lists are never mutated in place. Entries are never
 * evicted: a list outlives the post that introduced it, which costs one array per distinct list.
 */
export class ListInterner {
  private readonly lists = new Map<string, readonly string[]>();

  intern(list: readonly string[]): readonly string[] {
    if (list.length === 0) return EMPTY;
    // \u0000 cannot occur in a hashtag, an id or a URL that passed validation, so keys never collide.
    const key = list.length === 1 ? list[0]! : list.join("\u0000");
    let shared = this.lists.get(key);
    if (shared === undefined || shared.length !== list.length || shared.some((v, i) => v !== list[i])) {
      shared = Object.freeze(list.map(flatten));
      this.lists.set(key, shared);
    }
    return shared;
  }
}

/**
 * Small integers for repeated strings (user ids): a column holds 4 bytes per row instead of a
 * reference, and look-ups by user compare integers. Ids are never forgotten (a user id stays
 * valid while any row refers to it), so the interner only grows with the number of users.
 */
export class StringInterner {
  private readonly codes = new Map<string, number>();
  private readonly strings: string[] = [];

  /** The code of `value`, assigning the next one if it is new. */
  intern(value: string): number {
    let code = this.codes.get(value);
    if (code === undefined) {
      code = this.strings.length;
      this.strings.push(flatten(value));
      this.codes.set(value, code);
    }
    return code;
  }

  /** The code of `value`, or -1 if it was never interned. */
  find(value: string): number {
    return this.codes.get(value) ?? -1;
  }

  value(code: number): string {
    return this.strings[code]!;
  }
}
