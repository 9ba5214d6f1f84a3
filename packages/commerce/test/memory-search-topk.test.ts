import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Money } from "@platform/core";
import type { Product } from "../src/domain/product.js";
import { MemoryProductSearchIndex } from "../src/adapters/memory/memory-product-search-index.js";

// Words close to each other (typos, prefixes) so queries hit several relevance levels at once.
const VOCAB = [
  "mouse",
  "house",
  "mousse",
  "moose",
  "keyboard",
  "keybaord",
  "keyboards",
  "board",
  "wireless",
  "wirelss",
  "rechargeable",
  "rechargable",
  "lamp",
  "lampshade",
  "blue",
  "bluetooth",
];

function product(i: number, name: string, description: string, colour: string, status: Product["status"] = "active"): Product {
  const at = new Date(Date.UTC(2026, 0, 1));
  return {
    id: `prod_${String(i).padStart(4, "0")}`,
    sku: `T-${i}`,
    name,
    description,
    price: Money.fromMinor(100, "USD"),
    categoryId: null,
    status,
    images: [],
    attributes: { colour },
    variants: [],
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
}

const words = (min: number, max: number) => fc.array(fc.constantFrom(...VOCAB), { minLength: min, maxLength: max }).map((w) => w.join(" "));
const doc = fc.record({ name: words(1, 3), description: words(0, 4), colour: fc.constantFrom(...VOCAB) });
const query = fc
  .tuple(fc.array(fc.constantFrom(...VOCAB, "mous", "keyb", "wirel", "blu", "kyeboard", "rechrgaeble"), { minLength: 1, maxLength: 3 }))
  .map(([w]) => w.join(" "));

describe("memory search index: top-k equals the full ranking", () => {
  it("pages by relevance with a filter give exactly the fully ranked, filtered matches, after re-indexing and drops", () => {
    fc.assert(
      fc.property(
        fc.array(doc, { minLength: 1, maxLength: 60 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        query,
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 5 }),
        (docs, edits, text, limit, modulo) => {
          const index = new MemoryProductSearchIndex();
          const products = docs.map((d, i) => product(i, d.name, d.description, d.colour));
          for (const p of products) index.put(p);
          // Re-index older documents with other text, archive some, drop some: in-place inserts and removals.
          for (const e of edits) {
            const i = e % products.length;
            const other = docs[(e >> 3) % docs.length]!;
            const p = product(i, other.name, other.description, other.colour, e % 5 === 0 ? "archived" : "active");
            products[i] = p;
            if (e % 7 === 0) index.drop(p.id);
            else index.put(p);
          }
          const accept = (id: string) => Number(id.slice(5)) % modulo !== 0 || modulo === 1;
          const plan = index.plan(text);
          const expected = index.search(text).filter((h) => accept(h.id));
          const got: { id: string; score: number }[] = [];
          let after: { id: string; score: number } | null = null;
          for (let guard = 0; guard < 100; guard++) {
            const page: { id: string; score: number }[] = index.top(plan, limit, after, accept)!;
            got.push(...page);
            if (page.length < limit) break;
            after = page[page.length - 1]!;
          }
          expect(got).toEqual(expected);
          // Every match matches every word's requirement: no archived product, scores consistent.
          for (const h of got) expect(index.score(plan, h.id)).toBe(h.score);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("ranks an exact word above a typo, a typo above two, the name above the description", () => {
    const index = new MemoryProductSearchIndex();
    index.put(product(1, "Mouse pad", "", "red"));
    index.put(product(2, "House plant", "", "red"));
    index.put(product(3, "Lamp", "a mouse shaped lamp", "red"));
    expect(index.search("mouse").map((h) => h.id)).toEqual(["prod_0001", "prod_0003", "prod_0002"]);
    index.put(product(4, "Rechargeable lamp", "", "red"));
    index.put(product(5, "Rechargable lamp", "", "red"));
    expect(index.search("rechargeable").map((h) => h.id)).toEqual(["prod_0004", "prod_0005"]);
    expect(index.search("rechrgaeble").map((h) => h.id)).toEqual(["prod_0005", "prod_0004"]); // 1 typo from the second, 2 from the first
  });
});
