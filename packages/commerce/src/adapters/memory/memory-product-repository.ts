import { z } from "zod";
import { ConflictError, paginate, type CursorCodec, type MemoryTable, type MemoryTransaction, type Money, type Page } from "@platform/core";
import type { Product } from "../../domain/product.js";
import { skusOf } from "../../domain/product.js";
import { available, type StockLevel } from "../../domain/inventory.js";
import { foldText, normalizeSku } from "../../domain/text.js";
import type { ProductHit, ProductRepository, ProductSearchQuery } from "../../ports/product-repository.js";
import type { MemoryProductSearchIndex } from "./memory-product-search-index.js";
import { browseKey, directionOf, MemoryProductBrowseIndex } from "./memory-product-browse-index.js";
import { commerceCodes } from "../../domain/error-codes.js";

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
  browseIndex: MemoryProductBrowseIndex;
  cursorCodec: CursorCodec;
}

const sortKeySchema = z.tuple([z.union([z.number(), z.string()]), z.string()]);

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
      throw new ConflictError(commerceCodes.version_conflict, `product ${product.id} was changed by someone else`, {
        details: { id: product.id, expectedVersion, actualVersion: current?.version ?? null },
      });
    }
    this.claimSkus(product, current);
    this.t.products.put(product);
    this.reindex(product, current);
  }

  private claimSkus(next: Product, previous: Product | null): void {
    const wanted = skusOf(next).map(normalizeSku);
    if (new Set(wanted).size !== wanted.length) throw new ConflictError(commerceCodes.sku_taken, "a SKU repeats within the product", { details: { productId: next.id } });
    for (const sku of wanted) {
      const holder = this.t.skus.get(sku);
      if (holder && holder.productId !== next.id) throw new ConflictError(commerceCodes.sku_taken, `SKU ${sku} is taken`, { details: { sku } });
    }
    const keep = new Set(wanted);
    for (const sku of previous ? skusOf(previous).map(normalizeSku) : []) if (!keep.has(sku)) this.t.skus.delete(sku);
    for (const sku of wanted) this.t.skus.put({ sku, productId: next.id });
  }

  private reindex(next: Product, previous: Product | null): void {
    const index = this.t.searchIndex;
    index.put(next);
    this.t.browseIndex.touch();
    // The table journals itself; the indexes need the same undo step.
    this.tx.journal(() => {
      if (previous) index.put(previous);
      else index.drop(next.id);
      this.t.browseIndex.touch();
    });
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
      return this.browse(q);
    }
    const categories = q.categoryIds ? new Set(q.categoryIds) : null;
    const hits: ProductHit[] = [];
    for (const id of candidateIds) {
      const p = this.t.products.get(id);
      if (p && this.matches(p, q, categories)) hits.push({ product: p, score: scores.get(id) ?? 0 });
    }
    return paginate(hits, { limit: q.limit, cursor: q.cursor }, {
      kind: `products.search.${q.sort}`,
      key: (h) => browseKey(q.sort, h.product, h.score),
      direction: directionOf(q.sort) === 1 ? "asc" : "desc",
      codec: this.t.cursorCodec,
    });
  }

  /** Browsing the whole catalog: walk a sorted view from the cursor until the page is full. */
  private browse(q: ProductSearchQuery): Page<ProductHit> {
    const kind = `products.search.${q.sort}`;
    const after = q.cursor ? this.t.cursorCodec.decode(kind, q.cursor, sortKeySchema) : null;
    const dir = directionOf(q.sort);
    const rows = this.t.browseIndex.view(q.sort, () => this.t.products.findBy("status", "active"));
    const items: ProductHit[] = [];
    let last: (typeof rows)[number] | undefined;
    let more = false;
    for (let i = MemoryProductBrowseIndex.startAfter(rows, after, dir); i < rows.length; i++) {
      const p = this.t.products.get(rows[i]!.id);
      if (!p || !this.matches(p, q, null)) continue;
      if (items.length === q.limit) {
        more = true;
        break;
      }
      items.push({ product: p, score: 0 });
      last = rows[i];
    }
    return { items, nextCursor: more && last ? this.t.cursorCodec.encode(kind, last.key) : null };
  }

  private matches(p: Product, q: ProductSearchQuery, categories: ReadonlySet<string> | null): boolean {
    if (p.status !== "active") return false;
    if (categories && (p.categoryId === null || !categories.has(p.categoryId))) return false;
    // A product is in a price range when its base price or one of its variants' prices is (both
    // bounds on the same price); a variant without its own price sells at the base price.
    if ((q.minPrice || q.maxPrice) && !pricesOf(p).some((m) => inPriceRange(m, q))) return false;
    // Own keys only: a filter on "constructor" must not reach Object.prototype.
    for (const [k, v] of Object.entries(q.attributes)) if (!Object.hasOwn(p.attributes, k) || foldText(p.attributes[k]!) !== foldText(v)) return false;
    return !q.inStockOnly || this.inStock(p);
  }

  private inStock(p: Product): boolean {
    const keys = p.variants.length > 0 ? p.variants.map((v) => v.id) : [p.id];
    return keys.some((k) => {
      const level = this.t.stock.get(k);
      return level !== undefined && available(level) > 0;
    });
  }
}

function pricesOf(p: Product): Money[] {
  return [p.price, ...p.variants.flatMap((v) => (v.price ? [v.price] : []))];
}

function inPriceRange(m: Money, q: ProductSearchQuery): boolean {
  if (q.minPrice && (m.currency !== q.minPrice.currency || m.lessThan(q.minPrice))) return false;
  if (q.maxPrice && (m.currency !== q.maxPrice.currency || m.greaterThan(q.maxPrice))) return false;
  return true;
}
