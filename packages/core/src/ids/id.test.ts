import { describe, expect, it } from "vitest";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { createId, isId } from "./id.js";

describe("createId", () => {
  it("makes prefixed random ids that never repeat", () => {
    const ids = new Set(Array.from({ length: 20_000 }, () => createId("ord")));
    expect(ids.size).toBe(20_000);
    for (const id of [...ids].slice(0, 10)) expect(isId(id, "ord")).toBe(true);
  });

  it("draws every one of the 62 symbols about equally often", () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 10_000; i++) for (const c of createId("ord").slice(4)) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(62);
    const expected = (10_000 * 24) / 62;
    for (const n of counts.values()) expect(Math.abs(n - expected) / expected).toBeLessThan(0.1);
  });

  it("checks prefix and shape", () => {
    const id = createId("usr");
    expect(isId(id, "ord")).toBe(false);
    expect(isId(`${id}x`, "usr")).toBe(false);
    expect(isId("usr_1234", "usr")).toBe(false);
    expect(isId(42, "usr")).toBe(false);
    expect(() => createId("Bad-Prefix")).toThrow(TypeError);
  });
});

describe("createId memory", () => {
  it("returns flat strings: an id kept costs its characters, not a tree of cons-string nodes", () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const n = 20_000;
    gc();
    const before = process.memoryUsage().heapUsed;
    const kept = Array.from({ length: n }, () => createId("post"));
    gc();
    const perId = (process.memoryUsage().heapUsed - before) / n;
    // A flat 29-character string is 48 bytes, plus 8 for the array slot; the cons-string tree of a
    // concatenated id was ~400.
    expect(perId).toBeLessThan(150);
    expect(kept).toHaveLength(n);
  });
});
