import { ConflictError, paginate, type MemoryTable, type MemoryTransaction, type Page, type SortKey } from "@platform/core";
import type { Product } from "../../domain/product.js";
import { skusOf } from "../../domain/product.js";
import { available, type StockLevel } from "../../domain/inventory.js";
import { foldText, normalizeSku } from "../../domain/text.js";
import type { ProductHit, ProductRepository, ProductSearchQuery } from "../../ports/product-repository.js";
import type { MemoryProductSearchIndex } from "./memory-product-search-index.js";

/** A row of the SKU registry: one per product or variant SKU. */
export interface SkuRow {
  readonly sku: string;
  readonly productId: string;
}

/** Tables the memory product repository works on. */
export interface MemoryProductTables {
  products: MemoryTable<Product, never, "category" | "status">;
  skus: MemoryTable<SkuRow>;
  stock: MemoryTable<StockLevel, never, "product">;
  searchIndex: MemoryProductSearchIndex;
}

/** {@link ProductRepository} on memory tables and a MiniSearch inverted index. */
export class MemoryProductRepository implements ProductRepository {
  constructor(
    private readonly t: MemoryProductTables,
    private readonly tx: MemoryTransaction,
  ) {}

  async get(id: string): Promise<Product | null> {
    return this.t.products.get(id) ?? null;
  }

  async getMany(ids: readonly string[]): Promise<Map<string, Product>> {
    const out = new Map<string, Product>();
    for (const id of ids) {
      const p = this.t.products.get(id);
      if (p) out.set(id, p);
    }
    return out;
  }

  async getBySku(sku: string): Promise<Product | null> {
    const row = this.t.skus.get(normalizeSku(sku));
    return row ? (this.t.products.get(row.productId) ?? null) : null;
  }

  async insert(product: Product): Promise<void> {
    this.claimSkus(product, null);
    this.t.products.insert(product);
    this.reindex(product, null);
  }

  async update(product: Product, expectedVersion: number): Promise<void> {
    const current = this.t.products.get(product.id);
    if (!current || current.version !== expectedVersion) {
      throw new ConflictError(`product ${product.id} was changed by someone else`, "version_conflict", {
        details: { id: product.id, expectedVersion, actualVersion: current?.version ?? null },
      });
    }
    this.claimSkus(product, current);
    this.t.products.put(product);
    this.reindex(product, current);
  }

  private claimSkus(next: Product, previous: Product | null): void {
    const wanted = skusOf(next).map(normalizeSku);
    if (new Set(wanted).size !== wanted.length) throw new ConflictError("a SKU repeats within the product", "sku_taken", { details: { productId: next.id } });
    for (const sku of wanted) {
      const holder = this.t.skus.get(sku);
      if (holder && holder.productId !== next.id) throw new ConflictError(`SKU ${sku} is taken`, "sku_taken", { details: { sku } });
    }
    const keep = new Set(wanted);
    for (const sku of previous ? skusOf(previous).map(normalizeSku) : []) if (!keep.has(sku)) this.t.skus.delete(sku);
    for (const sku of wanted) this.t.skus.put({ sku, productId: next.id });
  }

  private reindex(next: Product, previous: Product | null): void {
    const index = this.t.searchIndex;
    index.put(next);
    // The table journals itself; the index needs the same undo step.
    this.tx.journal(() => (previous ? index.put(previous) : index.drop(next.id)));
  }

  async search(q: ProductSearchQuery): Promise<Page<ProductHit>> {
    const scores = new Map<string, number>();
    let candidateIds: Iterable<string>;
    if (q.text !== null) {
      for (const hit of this.t.searchIndex.search(q.text)) scores.set(hit.id, hit.score);
      candidateIds = scores.keys();
    } else if (q.categoryIds !== null) {
      candidateIds = q.categoryIds.flatMap((c) => [...this.t.products.idsBy("category", c)]);
    } else {
      candidateIds = [...this.t.products.idsBy("status", "active")];
    }
    const categories = q.categoryIds ? new Set(q.categoryIds) : null;
    const attrs = Object.entries(q.attributes).map(([k, v]) => [k, foldText(v)] as const);
    const hits: ProductHit[] = [];
    for (const id of candidateIds) {
      const p = this.t.products.get(id);
      if (!p || p.status !== "active") continue;
      if (categories && (p.categoryId === null || !categories.has(p.categoryId))) continue;
      if (q.minPrice && (p.price.currency !== q.minPrice.currency || p.price.lessThan(q.minPrice))) continue;
      if (q.maxPrice && (p.price.currency !== q.maxPrice.currency || p.price.greaterThan(q.maxPrice))) continue;
      if (attrs.some(([k, v]) => p.attributes[k] === undefined || foldText(p.attributes[k]!) !== v)) continue;
      if (q.inStockOnly && !this.inStock(p)) continue;
      hits.push({ product: p, score: scores.get(id) ?? 0 });
    }
    const key = sortKey(q.sort);
    return paginate(hits, { limit: q.limit, cursor: q.cursor }, { kind: `products.search.${q.sort}`, key, direction: q.sort === "price_asc" ? "asc" : "desc" });
  }

  private inStock(p: Product): boolean {
    const keys = p.variants.length > 0 ? p.variants.map((v) => v.id) : [p.id];
    return keys.some((k) => {
      const level = this.t.stock.get(k);
      return level !== undefined && available(level) > 0;
    });
  }
}

function sortKey(sort: ProductSearchQuery["sort"]): (h: ProductHit) => SortKey {
  switch (sort) {
    case "relevance":
      return (h) => [h.score, h.product.id];
    case "price_asc":
    case "price_desc":
      return (h) => [Number(h.product.price.toMinor()), h.product.id];
    case "newest":
      return (h) => [h.product.createdAt.getTime(), h.product.id];
  }
}
