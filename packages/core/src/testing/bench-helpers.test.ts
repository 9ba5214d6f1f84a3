import { describe, expect, it } from "vitest";
import { summarizeLatencies } from "./bench-helpers.js";

describe("summarizeLatencies", () => {
  it("takes nearest-rank percentiles", () => {
    const s = summarizeLatencies(Array.from({ length: 100 }, (_, i) => 100 - i));
    expect([s.count, s.p50, s.p90, s.p99, s.max, s.mean]).toEqual([100, 50, 90, 99, 100, 50.5]);
    expect(summarizeLatencies([7]).p99).toBe(7);
  });
});
