import type { CursorCodec, Page } from "@platform/core";
import { z } from "zod";

const seqPayload = z.object({ s: z.number().int().nonnegative() });

/** Cursor of a keyset list: the seq of the last item returned, tamper-checked by the codec. */
function encodeSeq(codec: CursorCodec, kind: string, seq: number): string {
  return codec.encode(kind, { s: seq });
}

/** Reads a cursor back. @throws ValidationError `invalid_cursor` (forged, altered or from another list). */
export function decodeSeq(codec: CursorCodec, kind: string, cursor: string | null | undefined): number | null {
  if (cursor === null || cursor === undefined) return null;
  return codec.decode(kind, cursor, seqPayload).s;
}

/** Rows `collectPage` reads per batch for a page of `limit`: the page, one more, and room for hidden rows. */
export function batchSize(limit: number): number {
  return Math.min(200, limit + 1 + (limit >> 1));
}

/**
 * Reads a keyset-ordered source batch by batch, keeps the rows `accept` maps to a value, and stops
 * after `limit` of them. Filtering (visibility, blocks, mutes) happens here, so a page is full even
 * when many rows are hidden, and the cursor is the seq of the last returned row: rows hidden now
 * are never returned later out of order.
 */
export async function collectPage<T, R>(options: {
  limit: number;
  start: number | null;
  fetch: (cursor: number | null, n: number) => Promise<T[]>;
  seqOf: (row: T) => number;
  accept: (row: T) => Promise<R | null> | R | null;
  codec: CursorCodec;
  kind: string;
}): Promise<Page<R>> {
  const { limit, fetch, seqOf, accept } = options;
  const items: R[] = [];
  let lastSeq: number | null = null;
  let cursor = options.start;
  const batch = batchSize(limit);
  for (;;) {
    const rows = await fetch(cursor, batch);
    for (const row of rows) {
      const value = await accept(row);
      if (value === null) continue;
      if (items.length === limit) return { items, nextCursor: lastSeq === null ? null : encodeSeq(options.codec, options.kind, lastSeq) };
      items.push(value);
      lastSeq = seqOf(row);
    }
    if (rows.length < batch) return { items, nextCursor: null };
    cursor = seqOf(rows[rows.length - 1]!);
  }
}
