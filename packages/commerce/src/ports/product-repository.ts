import type { Money, Page } from "@platform/core";
import type { Product } from "../domain/product.js";

/** Sort orders of a product search. */
export type ProductSort = "relevance" | "price_asc" | "price_desc" | "newest";

/** A product search as the store receives it (already validated, category subtree resolved). */
export interface ProductSearchQuery {
  readonly text: string | null;
  /** Category ids to match (a subtree), or null for any. */
  readonly categoryIds: readonly string[] | null;
  readonly minPrice: Money | null;
  readonly maxPrice: Money | null;
  readonly attributes: Readonly<Record<string, string>>;
  readonly inStockOnly: boolean;
  readonly sort: ProductSort;
  readonly limit: number;
  readonly cursor: string | null;
}

/** A product found by search, with its relevance score (0 when no text was given). */
export interface ProductHit {
  readonly product: Product;
  readonly score: number;
}

/**
 * Products. SKUs (a product's and its variants') are unique case-insensitively across the
 * catalog: PostgreSQL holds them in a `skus` table with a unique index on `upper(sku)`.
 */
export interface ProductRepository {
  get(id: string): Promise<Product | null>;
  getMany(ids: readonly string[]): Promise<Map<string, Product>>;
  getBySku(sku: string): Promise<Product | null>;
  /** Inserts. @throws ConflictError `sku_taken`. */
  insert(product: Product): Promise<void>;
  /**
   * Replaces a product if its stored version is `expectedVersion` (a conditional UPDATE).
   * @throws ConflictError `version_conflict`, `sku_taken`.
   */
  update(product: Product, expectedVersion: number): Promise<void>;
  /** Full-text + filtered search over active products (an inverted index, never a scan). */
  search(query: ProductSearchQuery): Promise<Page<ProductHit>>;
}
