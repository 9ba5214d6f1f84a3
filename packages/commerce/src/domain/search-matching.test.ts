import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { deletionNeighbourhood, osaDistance, searchWords, typoBudget } from "./search-matching.js";

describe("search matching", () => {
  it("counts a swap of adjacent letters as one typo (optimal string alignment)", () => {
    expect(osaDistance("keybaord", "keyboard", 2)).toBe(1);
    expect(osaDistance("keyboard", "keyboard", 2)).toBe(0);
    expect(osaDistance("kyebaord", "keyboard", 2)).toBe(2);
    expect(osaDistance("mouse", "house", 1)).toBe(1);
    expect(osaDistance("ca", "abc", 3)).toBe(3); // OSA, not unrestricted Damerau (which says 2)
    expect(osaDistance("abcdef", "a", 2)).toBe(3); // capped at max + 1
  });

  it("gives typos by word length as Meilisearch does, none to words holding a digit", () => {
    expect(["mous", "mouse", "keyboard", "bluetooth", "x1000", "rechargeable"].map(typoBudget)).toEqual([0, 1, 1, 2, 0, 2]);
    expect(searchWords("Crème-Brûlée, x1000!")).toEqual(["creme", "brulee", "x1000"]);
  });

  it("finds every pair within k edits through their deletion neighbourhoods", () => {
    const word = fc.string({ unit: fc.constantFrom("a", "b", "c", "d"), minLength: 0, maxLength: 7 });
    fc.assert(
      fc.property(word, word, fc.integer({ min: 0, max: 2 }), (a, b, k) => {
        const d = osaDistance(a, b, k);
        const na = deletionNeighbourhood(a, k);
        const meet = [...deletionNeighbourhood(b, k)].some((x) => na.has(x));
        if (d <= k) expect(meet).toBe(true);
        // The distance agrees with a plain OSA computation.
        expect(d).toBe(Math.min(reference(a, b), k + 1));
      }),
      { numRuns: 400 },
    );
  });
});

function reference(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}
