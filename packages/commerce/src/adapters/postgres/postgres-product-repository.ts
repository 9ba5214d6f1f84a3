import { ConflictError, type CursorCodec, type Page } from "@platform/core";
import { skusOf, type Product } from "../../domain/product.js";
import { normalizeSku } from "../../domain/text.js";
import type { ProductHit, ProductRepository, ProductSearchQuery } from "../../ports/product-repository.js";
import { attributeText, PRODUCT_COLUMNS, searchVectorSql, skuText, toProduct, type ProductRow } from "./product-rows.js";
import { searchProducts } from "./postgres-product-search.js";
import type { Sql } from "./sql-runner.js";
import { commerceCodes } from "../../domain/error-codes.js";
import { recordSearchWords } from "./postgres-search-vocabulary.js";

/** Most ids {@link PostgresProductRepository.getMany} names one by one (a cart's lines and the ones added). */
const PLANNED_IDS = 8;

/**
 * {@link ProductRepository} on `products`, `product_images`, `product_attributes`,
 * `commerce_product_variants` and the SKU registry `commerce_skus` (unique on the upper-cased
 * SKU). Updates are conditional on the version; the search vector is rebuilt with each write.
 */
export class PostgresProductRepository implements ProductRepository {
  constructor(
    private readonly sql: Sql,
    private readonly codec: CursorCodec,
  ) {}

  async get(id: string): Promise<Product | null> {
    const row = await this.sql.one<ProductRow>(`SELECT ${PRODUCT_COLUMNS} FROM products p WHERE p.id = $1`, [id]);
    return row ? toProduct(row) : null;
  }

  /**
   * One parameter per id up to {@link PLANNED_IDS} (one text per count): the server then estimates a
   * generic plan as it does a custom one and keeps it after five runs, instead of re-planning this
   * statement at every call (with an array parameter, whose length a generic plan cannot know, the
   * custom plan always looked cheaper: 0.5 ms of planning per cart change and per checkout).
   */
  async getMany(ids: readonly string[]): Promise<Map<string, Product>> {
    const out = new Map<string, Product>();
    if (ids.length === 0) return out;
    const where = ids.length <= PLANNED_IDS ? `p.id IN (${ids.map((_, i) => `$${i + 1}`).join(", ")})` : "p.id = ANY($1::text[])";
    const values = ids.length <= PLANNED_IDS ? [...ids] : [[...ids]];
    for (const row of await this.sql.rows<ProductRow>(`SELECT ${PRODUCT_COLUMNS} FROM products p WHERE ${where}`, values))
      out.set(row.id, toProduct(row));
    return out;
  }

  async getBySku(sku: string): Promise<Product | null> {
    const row = await this.sql.one<ProductRow>(
      `SELECT ${PRODUCT_COLUMNS} FROM commerce_skus s JOIN products p ON p.id = s.product_id WHERE s.sku = $1`,
      [normalizeSku(sku)],
    );
    return row ? toProduct(row) : null;
  }

  async insert(p: Product): Promise<void> {
    const skus = this.wantedSkus(p);
    await this.sql.query(
      `INSERT INTO products (id, sku, name, description, price, currency, price_minor, category_id, status, created_at, updated_at, version, search)
       VALUES ($1, $2, $3::text, $4::text, $5::numeric, $6, $7, $8, $9, $10, $11, $12, ${searchVectorSql("$3", "$4", "$13", "$14")})`,
      [...this.columns(p), skuText(p), attributeText(p)],
    );
    await this.claimSkus(p.id, skus);
    await this.writeChildren(p);
    await recordSearchWords(this.sql, p);
  }

  async update(p: Product, expectedVersion: number): Promise<void> {
    const skus = this.wantedSkus(p);
    const updated = await this.sql.query(
      `UPDATE products SET sku = $2, name = $3::text, description = $4::text, price = $5::numeric, currency = $6, price_minor = $7, category_id = $8,
         status = $9, created_at = $10, updated_at = $11, version = $12, search = ${searchVectorSql("$3", "$4", "$13", "$14")}
       WHERE id = $1 AND version = $15`,
      [...this.columns(p), skuText(p), attributeText(p), expectedVersion],
    );
    if (updated.rowCount === 0) {
      const current = await this.sql.one<{ version: number }>("SELECT version FROM products WHERE id = $1", [p.id]);
      throw new ConflictError(commerceCodes.version_conflict, `product ${p.id} was changed by someone else`, {
        details: { id: p.id, expectedVersion, actualVersion: current?.version ?? null },
      });
    }
    await this.claimSkus(p.id, skus);
    await this.sql.query("DELETE FROM product_images WHERE product_id = $1", [p.id]);
    await this.sql.query("DELETE FROM product_attributes WHERE product_id = $1", [p.id]);
    await this.sql.query("DELETE FROM commerce_product_variants WHERE product_id = $1", [p.id]);
    await this.writeChildren(p);
    await recordSearchWords(this.sql, p);
  }

  search(query: ProductSearchQuery): Promise<Page<ProductHit>> {
    return searchProducts(this.sql, this.codec, query);
  }

  private columns(p: Product): unknown[] {
    return [
      p.id,
      p.sku,
      p.name,
      p.description,
      p.price.toFixed(),
      p.price.currency,
      p.price.toMinor().toString(),
      p.categoryId,
      p.status,
      p.createdAt,
      p.updatedAt,
      p.version,
    ];
  }

  private wantedSkus(p: Product): string[] {
    const wanted = skusOf(p).map(normalizeSku);
    if (new Set(wanted).size !== wanted.length)
      throw new ConflictError(commerceCodes.sku_taken, "a SKU repeats within the product", { details: { productId: p.id } });
    return wanted;
  }

  /**
   * Registers the product's SKUs: drops the ones it no longer uses, inserts the new ones
   * (ON CONFLICT waits for a concurrent claimer and then keeps its row), and refuses when
   * another product holds any of them.
   */
  private async claimSkus(productId: string, skus: string[]): Promise<void> {
    await this.sql.query("DELETE FROM commerce_skus WHERE product_id = $1 AND sku <> ALL($2::text[])", [productId, skus]);
    await this.sql.query(
      "INSERT INTO commerce_skus (sku, product_id) SELECT s, $1 FROM unnest($2::text[]) s ON CONFLICT (sku) DO NOTHING",
      [productId, skus],
    );
    const taken = await this.sql.one<{ sku: string }>(
      "SELECT sku FROM commerce_skus WHERE sku = ANY($2::text[]) AND product_id <> $1 LIMIT 1",
      [productId, skus],
    );
    if (taken) throw new ConflictError(commerceCodes.sku_taken, `SKU ${taken.sku} is taken`, { details: { sku: taken.sku } });
  }

  private async writeChildren(p: Product): Promise<void> {
    if (p.images.length > 0) {
      await this.sql.query(
        `INSERT INTO product_images (product_id, position, image_url, alt_text, is_primary)
         SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[], $5::bool[])`,
        [p.id, p.images.map((i) => i.position), p.images.map((i) => i.url), p.images.map((i) => i.alt), p.images.map((i) => i.primary)],
      );
    }
    const attributes = Object.entries(p.attributes);
    if (attributes.length > 0) {
      await this.sql.query(
        `INSERT INTO product_attributes (product_id, attribute_name, attribute_value) SELECT $1, * FROM unnest($2::text[], $3::text[])`,
        [p.id, attributes.map(([k]) => k), attributes.map(([, v]) => v)],
      );
    }
    if (p.variants.length > 0) {
      await this.sql.query(
        `INSERT INTO commerce_product_variants (id, product_id, position, sku, price, currency, options)
         SELECT v.id, $1, v.position, v.sku, v.price::numeric, v.currency, v.options::jsonb
           FROM unnest($2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[]) AS v(id, position, sku, price, currency, options)`,
        [
          p.id,
          p.variants.map((v) => v.id),
          p.variants.map((_, i) => i),
          p.variants.map((v) => v.sku),
          p.variants.map((v) => v.price?.toFixed() ?? null),
          p.variants.map((v) => v.price?.currency ?? null),
          p.variants.map((v) => JSON.stringify(v.options)),
        ],
      );
    }
  }
}
