import type { SortKey } from "@platform/core";
import type { Product } from "../../domain/product.js";
import type { ProductSort } from "../../ports/product-repository.js";

/** The sort key of a product under a sort order without text (relevance = 0, so id order). */
export function browseKey(sort: ProductSort, p: Product, score = 0): SortKey {
  switch (sort) {
    case "relevance":
      return [score, p.id];
    case "price_asc":
    case "price_desc":
      return [Number(p.price.toMinor()), p.id];
    case "newest":
      return [p.createdAt.getTime(), p.id];
  }
}

/** Compares two keyset keys (the same order as core's `paginate`). */
function compareKeys(a: SortKey, b: SortKey): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}

/** The direction of a sort order. */
export function directionOf(sort: ProductSort): 1 | -1 {
  return sort === "price_asc" ? 1 : -1;
}

/**
 * Sorted views of the active products for browsing without text or category (the role a
 * B-tree index on price / created_at plays in SQL). A view is rebuilt lazily after writes,
 * so a page read costs a binary search plus the rows of the page, not a sort of the catalog.
 */
export class MemoryProductBrowseIndex {
  private version = 0;
  private readonly views = new Map<ProductSort, { version: number; rows: { key: SortKey; id: string }[] }>();

  /** Marks every view stale (a product was written or a write was rolled back). */
  touch(): void {
    this.version++;
  }

  /** The active products in `sort` order, with their keys. */
  view(sort: ProductSort, active: () => Iterable<Product>): readonly { key: SortKey; id: string }[] {
    const cached = this.views.get(sort);
    if (cached && cached.version === this.version) return cached.rows;
    const dir = directionOf(sort);
    const rows = [...active()].map((p) => ({ key: browseKey(sort, p), id: p.id }));
    rows.sort((a, b) => dir * compareKeys(a.key, b.key));
    this.views.set(sort, { version: this.version, rows });
    return rows;
  }

  /** Index of the first row strictly after `cursor` in the view's order. */
  static startAfter(rows: readonly { key: SortKey }[], cursor: SortKey | null, dir: 1 | -1): number {
    if (cursor === null) return 0;
    let lo = 0;
    let hi = rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (dir * compareKeys(rows[mid]!.key, cursor) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
