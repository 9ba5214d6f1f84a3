import { z } from "zod";
import {
  ConflictError,
  paginate,
  ValidationError,
  type CursorCodec,
  type MemoryTable,
  type MemoryTransaction,
  type Money,
  type Page,
} from "@platform/core";
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

/** A text matching at most this many products (an upper bound) is sorted by price / date in full. */
const MATERIALISE_BELOW = 4_096;
/** Rows of a sorted view walked for a text before materialising its matches instead. */
const WALK_BUDGET = 20_000;

/** {@link ProductRepository} on memory tables and a top-k inverted index. */
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
    if (new Set(wanted).size !== wanted.length)
      throw new ConflictError(commerceCodes.sku_taken, "a SKU repeats within the product", { details: { productId: next.id } });
    for (const sku of wanted) {
      const holder = this.t.skus.get(sku);
      if (holder && holder.productId !== next.id)
        throw new ConflictError(commerceCodes.sku_taken, `SKU ${sku} is taken`, { details: { sku } });
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
    const categories = q.categoryIds ? new Set(q.categoryIds) : null;
    if (q.text !== null) return this.searchText(q, q.text, categories);
    if (q.categoryIds === null) return this.browse(q, null);
    const candidateIds = q.categoryIds.flatMap((c) => [...this.t.products.idsBy("category", c)]);
    const hits: ProductHit[] = [];
    for (const id of candidateIds) {
      const p = this.t.products.get(id);
      if (p && this.matches(p, q, categories)) hits.push({ product: p, score: 0 });
    }
    return this.paginateHits(q, hits);
  }

  private paginateHits(q: ProductSearchQuery, hits: ProductHit[]): Page<ProductHit> {
    return paginate(
      hits,
      { limit: q.limit, cursor: q.cursor },
      {
        kind: `products.search.${q.sort}`,
        key: (h) => browseKey(q.sort, h.product, h.score),
        direction: directionOf(q.sort) === 1 ? "asc" : "desc",
        codec: this.t.cursorCodec,
      },
    );
  }

  /**
   * Text search. By relevance: the index's top-k (it never scores every match). By price or
   * newest: a rare text materialises its matches and sorts them; a common one walks the sorted
   * view and tests each row against the index, falling back to materialising when the walk
   * finds too few.
   */
  private searchText(q: ProductSearchQuery, text: string, categories: ReadonlySet<string> | null): Page<ProductHit> {
    const index = this.t.searchIndex;
    const plan = index.plan(text);
    const accept = (id: string): boolean => {
      const p = this.t.products.get(id);
      return p !== undefined && this.matches(p, q, categories);
    };
    if (q.sort === "relevance") {
      const kind = "products.search.relevance";
      const after = q.cursor ? this.t.cursorCodec.decode(kind, q.cursor, sortKeySchema) : null;
      if (after && typeof after[0] !== "number") throw new ValidationError("invalid_cursor", "the cursor does not belong to this search");
      const top = index.top(plan, q.limit + 1, after ? { score: after[0] as number, id: after[1] } : null, accept);
      if (top === null) throw new ValidationError("invalid_cursor", "the cursor names a product this store never indexed");
      const page = top.slice(0, q.limit);
      const last = page[page.length - 1];
      return {
        items: page.map((h) => ({ product: this.t.products.get(h.id)!, score: h.score })),
        nextCursor: top.length > q.limit && last ? this.t.cursorCodec.encode(kind, [last.score, last.id]) : null,
      };
    }
    const materialise = (): Page<ProductHit> =>
      this.paginateHits(
        q,
        index.matches(plan).flatMap((h) => (accept(h.id) ? [{ product: this.t.products.get(h.id)!, score: h.score }] : [])),
      );
    if (index.bound(plan) <= MATERIALISE_BELOW) return materialise();
    return this.browse(q, (p) => index.score(plan, p.id), categories) ?? materialise();
  }

  /**
   * Walks a sorted view from the cursor until the page is full. With `score` (a text), rows the
   * text does not match are skipped, and after {@link WALK_BUDGET} rows without a full page the
   * walk gives up (null): the caller materialises the matches instead.
   */
  private browse(q: ProductSearchQuery, score: null, categories?: null): Page<ProductHit>;
  private browse(
    q: ProductSearchQuery,
    score: (p: Product) => number | null,
    categories: ReadonlySet<string> | null,
  ): Page<ProductHit> | null;
  private browse(
    q: ProductSearchQuery,
    score: ((p: Product) => number | null) | null,
    categories: ReadonlySet<string> | null = null,
  ): Page<ProductHit> | null {
    const kind = `products.search.${q.sort}`;
    const after = q.cursor ? this.t.cursorCodec.decode(kind, q.cursor, sortKeySchema) : null;
    const dir = directionOf(q.sort);
    const rows = this.t.browseIndex.view(q.sort, () => this.t.products.findBy("status", "active"));
    const items: ProductHit[] = [];
    let last: (typeof rows)[number] | undefined;
    let more = false;
    let walked = 0;
    for (let i = MemoryProductBrowseIndex.startAfter(rows, after, dir); i < rows.length; i++) {
      if (score && ++walked > WALK_BUDGET) return null;
      const p = this.t.products.get(rows[i]!.id);
      if (!p) continue;
      const s = score ? score(p) : 0;
      if (s === null || !this.matches(p, q, categories)) continue;
      if (items.length === q.limit) {
        more = true;
        break;
      }
      items.push({ product: p, score: s });
      last = rows[i];
    }
    return { items, nextCursor: more && last ? this.t.cursorCodec.encode(kind, last.key) : null };
  }

  private matches(p: Product, q: ProductSearchQuery, categories: ReadonlySet<string> | null): boolean {
    if (p.status !== "active") return false;
    if (categories && (p.categoryId === null || !categories.has(p.categoryId))) return false;
    // A product is in a price range when its base price or one of its variants' prices is (both
    // bounds on the same price); a variant without its own price sells at the base price.
    if (q.minPrice || q.maxPrice) {
      const [min, max] = boundsOf(q);
      const prices = pricesOf(p);
      let inRange = false;
      for (let i = 0; i < prices.length && !inRange; i++) inRange = inPriceRange(prices[i]!, min, max);
      if (!inRange) return false;
    }
    // Own keys only: a filter on "constructor" must not reach Object.prototype. (for-in, not
    // Object.entries: this runs per candidate, and an array per candidate is garbage per search.)
    for (const k in q.attributes) {
      if (!Object.hasOwn(q.attributes, k)) continue;
      if (!Object.hasOwn(p.attributes, k) || foldText(p.attributes[k]!) !== foldText(q.attributes[k]!)) return false;
    }
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

/** A price as the filters compare it: currency and exact minor units (bigint: no decimal arithmetic per row). */
interface MinorPrice {
  readonly currency: string;
  readonly minor: bigint;
}

// Products are immutable values: their prices in minor units are computed once per object.
const minorPrices = new WeakMap<Product, readonly MinorPrice[]>();

function pricesOf(p: Product): readonly MinorPrice[] {
  let prices = minorPrices.get(p);
  if (!prices) {
    prices = [p.price, ...p.variants.flatMap((v) => (v.price ? [v.price] : []))].map((m) => ({ currency: m.currency, minor: m.toMinor() }));
    minorPrices.set(p, prices);
  }
  return prices;
}

function inPriceRange(m: MinorPrice, min: MinorPrice | null, max: MinorPrice | null): boolean {
  if (min && (m.currency !== min.currency || m.minor < min.minor)) return false;
  if (max && (m.currency !== max.currency || m.minor > max.minor)) return false;
  return true;
}

// A query's bounds in minor units, computed once per query rather than once per row.
const queryBounds = new WeakMap<ProductSearchQuery, readonly [MinorPrice | null, MinorPrice | null]>();

function boundsOf(q: ProductSearchQuery): readonly [MinorPrice | null, MinorPrice | null] {
  let bounds = queryBounds.get(q);
  if (!bounds) {
    const minor = (m: Money | null) => (m ? { currency: m.currency, minor: m.toMinor() } : null);
    bounds = [minor(q.minPrice), minor(q.maxPrice)];
    queryBounds.set(q, bounds);
  }
  return bounds;
}
