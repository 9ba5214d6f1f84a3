import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { ConfigurationError, ValidationError } from "../errors/errors.js";
import { coreCodes } from "../errors/core-error-codes.js";

/** One page of results. `nextCursor` is null on the last page. */
export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

/** Input of every list method: page size and an opaque cursor from the previous page. */
export interface PageRequest {
  limit?: number;
  cursor?: string | null;
}

/** Schema of {@link PageRequest}: limit 1-100, default 20. */
export const pageRequestSchema = z.object({
  limit: z.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).max(2048).nullish(),
});

/** The shortest configured cursor secret accepted: 32 characters (e.g. `openssl rand -base64 32` gives 44). */
export const MIN_CURSOR_SECRET_LENGTH = 32;

// Without a configured secret each process draws its own: a secret shipped in the package would
// let anyone mint cursors. The price is that a cursor works only on the process that made it,
// so hosts with several app servers configure one shared secret.
const processSecret = randomBytes(32);

/**
 * Encodes and decodes opaque, tamper-checked cursors: base64url JSON plus an HMAC-SHA-256 tag.
 * A forged, edited or truncated cursor, or one from another list, is an `invalid_cursor`
 * ValidationError. Without a secret the codec uses a random one drawn once per process; give
 * every app server the same configured secret so a cursor made on one works on another.
 * @throws ConfigurationError `weak_cursor_secret` when `secret` is shorter than {@link MIN_CURSOR_SECRET_LENGTH}.
 * @example
 * ```ts
 * const codec = new CursorCodec(process.env.CURSOR_SECRET);
 * const cursor = codec.encode("orders.by_customer", [1767225600000, "ord_x"]);
 * ```
 */
export class CursorCodec {
  private readonly secret: string | Buffer;

  constructor(secret?: string) {
    if (secret !== undefined && (typeof secret !== "string" || secret.length < MIN_CURSOR_SECRET_LENGTH)) {
      throw new ConfigurationError(
        coreCodes.weak_cursor_secret,
        `the cursor secret must be a string of at least ${MIN_CURSOR_SECRET_LENGTH} characters`,
        {
          details: { minLength: MIN_CURSOR_SECRET_LENGTH },
        },
      );
    }
    this.secret = secret ?? processSecret;
  }

  /** Makes a cursor for a list `kind` (e.g. `"orders.by_customer"`) from a JSON payload. */
  encode(kind: string, payload: unknown): string {
    const body = Buffer.from(JSON.stringify({ k: kind, p: payload })).toString("base64url");
    return `${body}.${this.tag(body)}`;
  }

  /**
   * Reads a cursor back, checking tag, list kind and payload shape.
   * @throws ValidationError `invalid_cursor`.
   */
  decode<S extends z.ZodType>(kind: string, cursor: string, schema: S): z.output<S> {
    const fail = (why: string): never => {
      throw ValidationError.field(coreCodes.invalid_cursor, "cursor", why);
    };
    const dot = cursor.indexOf(".");
    if (dot <= 0) return fail("malformed cursor");
    const body = cursor.slice(0, dot);
    const tag = Buffer.from(cursor.slice(dot + 1), "base64url");
    const expected = Buffer.from(this.tag(body), "base64url");
    if (tag.length !== expected.length || !timingSafeEqual(tag, expected)) return fail("cursor was altered or forged");
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
    } catch {
      return fail("malformed cursor");
    }
    const envelope = parsed as { k?: unknown; p?: unknown };
    if (envelope.k !== kind) return fail("cursor belongs to another list");
    const result = schema.safeParse(envelope.p);
    if (!result.success) return fail("malformed cursor");
    return result.data;
  }

  private tag(body: string): string {
    return createHmac("sha256", this.secret).update(body).digest().subarray(0, 16).toString("base64url");
  }
}

/** A sort key of a keyset page: a primary value (time in ms, number or string) and the id as tie-breaker. */
export type SortKey = readonly [number | string, string];

const sortKeySchema = z.tuple([z.union([z.number(), z.string()]), z.string()]);

function compareKeys(a: SortKey, b: SortKey): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}

/**
 * Keyset pagination over rows held in memory: sorts by `key` (descending by default),
 * returns the rows strictly after the cursor's key. Stable under concurrent inserts:
 * a row added before the cursor position never shifts later pages.
 * @throws ValidationError `invalid_cursor`.
 */
export function paginate<T>(
  rows: Iterable<T>,
  request: { limit: number; cursor?: string | null | undefined },
  options: { kind: string; key: (row: T) => SortKey; direction?: "asc" | "desc"; codec?: CursorCodec },
): Page<T> {
  const codec = options.codec ?? defaultCursorCodec;
  const sign = options.direction === "asc" ? 1 : -1;
  const after = request.cursor ? codec.decode(options.kind, request.cursor, sortKeySchema) : undefined;
  const keyed: { row: T; key: SortKey }[] = [];
  for (const row of rows) {
    const key = options.key(row);
    if (after && sign * compareKeys(key, after) <= 0) continue;
    keyed.push({ row, key });
  }
  keyed.sort((a, b) => sign * compareKeys(a.key, b.key));
  const page = keyed.slice(0, request.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((k) => k.row),
    nextCursor: keyed.length > request.limit && last ? codec.encode(options.kind, last.key) : null,
  };
}

/** The codec used when none is given: signed with this process's random secret. */
export const defaultCursorCodec = new CursorCodec();
