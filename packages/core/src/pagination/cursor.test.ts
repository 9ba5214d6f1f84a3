import { describe, expect, it } from "vitest";
import { PlatformError } from "../errors/platform-error.js";
import { legacyCursor } from "../testing/legacy-cursor.js";
import { CursorCodec, defaultCursorCodec, paginate } from "./cursor.js";

const rows = Array.from({ length: 25 }, (_, i) => ({ id: `r${String(i).padStart(2, "0")}`, at: Math.floor(i / 3) }));

describe("cursors", () => {
  it("pages through every row once, newest first", () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: ReturnType<typeof paginate<(typeof rows)[number]>> = paginate(
        rows,
        { limit: 4, cursor },
        { kind: "test", key: (r) => [r.at, r.id] },
      );
      seen.push(...page.items.map((r) => r.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...rows].reverse().map((r) => r.id));
  });

  it("is stable when rows are inserted ahead of the cursor", () => {
    const live = [...rows];
    const first = paginate(live, { limit: 5 }, { kind: "test", key: (r) => [r.at, r.id] });
    live.push({ id: "r99", at: 100 });
    const second = paginate(live, { limit: 5, cursor: first.nextCursor }, { kind: "test", key: (r) => [r.at, r.id] });
    expect(second.items.map((r) => r.id)).toEqual(["r19", "r18", "r17", "r16", "r15"]);
  });

  it("rejects forged, corrupted and foreign cursors", () => {
    const codec = new CursorCodec("s3cret-s3cret-s3cret-s3cret-s3cret");
    const good = codec.encode("orders", [1, "a"]);
    const [body, tag] = good.split(".");
    const forgedBody = Buffer.from(JSON.stringify({ k: "orders", p: [999, "z"] })).toString("base64url");
    for (const bad of [
      `${forgedBody}.${tag}`,
      `${body}.AAAA${tag}`,
      "garbage",
      good.slice(0, -2),
      new CursorCodec("other-other-other-other-other-other").encode("orders", [1, "a"]),
    ]) {
      expect(() => codec.decode("orders", bad, PlatformErrorShape)).toThrow(expect.objectContaining({ code: "invalid_cursor" }));
    }
    expect(() => codec.decode("posts", good, PlatformErrorShape)).toThrow(expect.objectContaining({ code: "invalid_cursor" }));
    expect(
      PlatformError.is(
        catchIt(() => codec.decode("orders", "x.y", PlatformErrorShape)),
        "invalid_cursor",
      ),
    ).toBe(true);
  });

  it("ships no secret: a cursor minted with the old built-in constant is refused, and short secrets are refused", () => {
    // What anyone could compute from the published package before: the constant secret of 0.x.
    const forged = legacyCursor("orders", [1, "a"]);
    expect(() => defaultCursorCodec.decode("orders", forged, PlatformErrorShape)).toThrow(
      expect.objectContaining({ code: "invalid_cursor" }),
    );
    expect(() => new CursorCodec().decode("orders", forged, PlatformErrorShape)).toThrow(
      expect.objectContaining({ code: "invalid_cursor" }),
    );
    // Codecs without a configured secret agree within the process.
    expect(new CursorCodec().decode("orders", defaultCursorCodec.encode("orders", [1, "a"]), PlatformErrorShape)).toEqual([1, "a"]);
    for (const weak of ["", "s3cret", "x".repeat(31)])
      expect(
        PlatformError.is(
          catchIt(() => new CursorCodec(weak)),
          "weak_cursor_secret",
        ),
      ).toBe(true);
    const shared = "a-shared-secret-of-at-least-32-chars";
    expect(new CursorCodec(shared).decode("orders", new CursorCodec(shared).encode("orders", [1, "a"]), PlatformErrorShape)).toEqual([
      1,
      "a",
    ]);
  });
});

import { z } from "zod";
const PlatformErrorShape = z.tuple([z.number(), z.string()]);
function catchIt(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}
