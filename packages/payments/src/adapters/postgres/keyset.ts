import type { CursorCodec, Page, SortKey } from "@platform/core";
import { z } from "zod";

const sortKeySchema = z.tuple([z.union([z.number(), z.string()]), z.string()]);

/**
 * The sort key a cursor points after (same opaque, HMAC-tagged format as the memory adapter's),
 * or undefined on the first page.
 * @throws ValidationError `invalid_cursor`.
 */
export function afterKey(codec: CursorCodec, kind: string, cursor: string | null | undefined): SortKey | undefined {
  return cursor ? (codec.decode(kind, cursor, sortKeySchema) as SortKey) : undefined;
}

/** A page from `limit + 1` fetched rows: the extra row only says that there is a next page. */
export function toPage<T>(codec: CursorCodec, rows: T[], limit: number, kind: string, key: (row: T) => SortKey): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? codec.encode(kind, key(last)) : null };
}
