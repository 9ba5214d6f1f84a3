import MiniSearch from "minisearch";
import type { Product } from "../../domain/product.js";
import { foldText } from "../../domain/text.js";

interface IndexedDoc {
  id: string;
  name: string;
  description: string;
  attributes: string;
  sku: string;
}

function toDoc(p: Product): IndexedDoc {
  const attributes = Object.entries(p.attributes)
    .map(([k, v]) => `${k} ${v}`)
    .join(" ");
  const variantText = p.variants.map((v) => Object.values(v.options).join(" ")).join(" ");
  return { id: p.id, name: p.name, description: p.description, attributes: `${attributes} ${variantText}`, sku: [p.sku, ...p.variants.map((v) => v.sku)].join(" ") };
}

/**
 * The inverted index behind product search (MiniSearch, BM25 ranking). Terms are folded
 * (case and accents removed) on both sides, so "Creme" finds "Crème". Only active products
 * are indexed. Not transactional by itself: the memory product repository journals every
 * change so a rollback restores the index too.
 */
export class MemoryProductSearchIndex {
  private readonly ms = new MiniSearch<IndexedDoc>({
    fields: ["name", "description", "attributes", "sku"],
    storeFields: [],
    processTerm: (term) => {
      const folded = foldText(term);
      return folded.length > 0 ? folded : null;
    },
    searchOptions: {
      boost: { name: 3, sku: 2, attributes: 1.5 },
      // Search-as-you-type: only the last term may be a prefix; typo tolerance only for longer
      // words (fuzzy matching walks the whole radix tree and dominates latency on big catalogs).
      prefix: (term, i, terms) => i === terms.length - 1 && term.length >= 3,
      fuzzy: (term) => (term.length >= 6 ? 0.15 : false),
      combineWith: "AND",
    },
  });

  /** Indexes or re-indexes a product (or drops it when not active). */
  put(product: Product): void {
    this.drop(product.id);
    if (product.status === "active") this.ms.add(toDoc(product));
  }

  /** Removes a product from the index. */
  drop(id: string): void {
    if (this.ms.has(id)) this.ms.discard(id);
  }

  /** Ids and BM25 scores of the products matching every term, best first. */
  search(text: string): { id: string; score: number }[] {
    return this.ms.search(text).map((r) => ({ id: String(r.id), score: r.score }));
  }
}
