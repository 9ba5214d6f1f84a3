import { describe, expect, it } from "vitest";
import { Money } from "@platform/core";
import { MAX_LINE_QUANTITY, mergeLines, type CartLine } from "./cart.js";
import { sumByKey } from "./inventory.js";
import { foldText, normalizeSku } from "./text.js";

const line = (productId: string, quantity: number): CartLine => ({
  productId,
  variantId: null,
  quantity,
  addedUnitPrice: Money.of("1", "USD"),
});

describe("cart and inventory rules", () => {
  it("merges guest lines: same items add up, capped; new items append", () => {
    const merged = mergeLines([line("a", 1), line("b", MAX_LINE_QUANTITY - 1)], [line("a", 2), line("b", 5), line("c", 1)]);
    expect(merged.map((l) => [l.productId, l.quantity])).toEqual([
      ["a", 3],
      ["b", MAX_LINE_QUANTITY],
      ["c", 1],
    ]);
  });

  it("sums reservation lines per stock key", () => {
    expect(
      sumByKey([
        { key: "x", quantity: 2 },
        { key: "y", quantity: 1 },
        { key: "x", quantity: 3 },
      ]),
    ).toEqual([
      { key: "x", quantity: 5 },
      { key: "y", quantity: 1 },
    ]);
  });

  it("folds case and accents; SKUs compare upper-cased", () => {
    expect(foldText("Crème BRÛLÉE Ça")).toBe("creme brulee ca");
    expect(normalizeSku(" abc-1 ")).toBe("ABC-1");
  });
});
