import { z } from "zod";
import {
  checkActor,
  ConflictError,
  createEvent,
  createId,
  DomainRuleError,
  NotFoundError,
  parse,
  recordSchema,
  requireRole,
  ValidationError,
  type Page,
  coreCodes,
  type Actor,
} from "@platform/core";
import {
  createProductSchema,
  normalizeImages,
  stockKeyOf,
  updateProductSchema,
  type CreateProductInput,
  type Product,
  type ProductVariant,
  type UpdateProductInput,
} from "../domain/product.js";
import { refSchema } from "../domain/schemas.js";
import { normalizeSku } from "../domain/text.js";
import type { CommerceTx } from "../ports/commerce-store.js";
import type { ProductHit } from "../ports/product-repository.js";
import { productSearchSchema, type ProductSearchInput } from "./product-search-schema.js";
import type { ServiceContext } from "./service-context.js";
import { commerceCodes } from "../domain/error-codes.js";

/** Input of `products.create`: the product plus its opening stock. */
export const createProductWithStockSchema = createProductSchema.extend({
  /** Opening stock of a product without variants (recorded as a `received` adjustment). */
  initialStock: z.number().int().min(0).max(1_000_000).default(0),
  /** Opening stock per variant SKU (case-insensitive); a SKU that names no variant is refused (`unknown_variant_sku`). */
  variantStock: recordSchema(z.string(), z.number().int().min(0).max(1_000_000)).default({}),
});

/** The opening stock of each variant, by normalised SKU. @throws ValidationError `unknown_variant_sku` for a SKU of no variant, or one variant named twice. */
const productRefSchema = z.object({ productId: refSchema });
const skuRefSchema = z.object({ sku: z.string().trim().min(1).max(64) });

function variantStockOf(variants: readonly { sku: string }[], stock: Readonly<Record<string, number>>): Map<string, number> {
  const skus = new Set(variants.map((v) => normalizeSku(v.sku)));
  const byKey = new Map<string, number>();
  const unknown: string[] = [];
  for (const [sku, qty] of Object.entries(stock)) {
    const key = normalizeSku(sku);
    if (!skus.has(key) || byKey.has(key)) unknown.push(sku);
    else byKey.set(key, qty);
  }
  if (unknown.length > 0) {
    const issues = unknown.map((sku) => ({
      path: ["variantStock", sku],
      message: "names no variant of this product, or one already named",
      code: commerceCodes.unknown_variant_sku,
    }));
    throw new ValidationError(commerceCodes.unknown_variant_sku, `variantStock names no variant: ${unknown.join(", ")}`, { issues });
  }
  return byKey;
}

/** Product management and search (`platform.products`). */
export class CatalogService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly lowStockThreshold: number,
  ) {}

  /**
   * Adds a product (and its stock items) to the catalog.
   * @throws ValidationError `invalid_sku`, `invalid_name`, `amount_not_positive`, `amount_precision`, `unknown_variant_sku`, `invalid_text` ...
   * @throws ConflictError `sku_taken` (case-insensitive, across products and variants).
   * @throws NotFoundError `category_not_found`. @throws ForbiddenError `role_required` (admin only).
   * @example
   * ```ts
   * const laptop = await platform.products.create(ADMIN_ACTOR, { sku: "LAPTOP001", name: "Laptop", price: { amount: "999.99", currency: "USD" }, initialStock: 10 });
   * ```
   */
  async create(
    actor: Actor,
    input: CreateProductInput & { initialStock?: number; variantStock?: Record<string, number> },
  ): Promise<Product> {
    requireRole(actor, "admin");
    const data = parse(createProductWithStockSchema, input);
    const opening = variantStockOf(data.variants, data.variantStock);
    const { clock, store } = this.ctx;
    return store.transaction(async (tx) => {
      if (data.categoryId) await this.requireCategory(tx, data.categoryId);
      const now = clock.now();
      const id = createId("prod");
      const variants: ProductVariant[] = data.variants.map((v) => ({
        id: createId("var"),
        sku: v.sku,
        price: v.price ?? null,
        options: v.options,
      }));
      this.assertCurrency(data.price.currency, variants);
      const product: Product = {
        id,
        sku: data.sku,
        name: data.name,
        description: data.description,
        price: data.price,
        categoryId: data.categoryId ?? null,
        status: data.status,
        images: normalizeImages(data.images),
        attributes: data.attributes,
        variants,
        createdAt: now,
        updatedAt: now,
        version: 1,
      };
      await tx.products.insert(product);
      const items =
        variants.length > 0
          ? variants.map((v) => ({ variantId: v.id as string | null, qty: opening.get(normalizeSku(v.sku)) ?? 0 }))
          : [{ variantId: null, qty: data.initialStock }];
      for (const item of items) {
        const key = stockKeyOf(id, item.variantId);
        await tx.inventory.ensure({ key, productId: id, variantId: item.variantId, lowStockThreshold: this.lowStockThreshold }, now);
        if (item.qty > 0)
          await tx.inventory.adjust({ id: createId("adj"), key, delta: item.qty, reason: "received", note: "initial stock", at: now });
      }
      tx.outbox.add(createEvent("product.created", { productId: id, sku: product.sku }, clock));
      return product;
    });
  }

  /**
   * Changes a product if nobody changed it since `expectedVersion`.
   * @throws ConflictError `version_conflict`, `sku_taken`. @throws NotFoundError `product_not_found`. @throws ForbiddenError `role_required` (admin only).
   */
  async update(actor: Actor, input: UpdateProductInput): Promise<Product> {
    requireRole(actor, "admin");
    const data = parse(updateProductSchema, input);
    const { clock, store } = this.ctx;
    return store.transaction(async (tx) => {
      const current = await tx.products.get(data.productId);
      if (!current) throw NotFoundError.of(commerceCodes.product_not_found, "product", data.productId);
      if (current.version !== data.expectedVersion) {
        throw new ConflictError(commerceCodes.version_conflict, `product ${data.productId} is at version ${current.version}`, {
          details: { expectedVersion: data.expectedVersion, actualVersion: current.version },
        });
      }
      if (data.categoryId) await this.requireCategory(tx, data.categoryId);
      const now = clock.now();
      let variants = current.variants;
      if (data.variants) {
        // Keep the id (and stock) of a variant whose SKU stays; new SKUs get new variants.
        const bySku = new Map(current.variants.map((v) => [v.sku.toUpperCase(), v]));
        variants = data.variants.map((v) => ({
          id: bySku.get(v.sku.toUpperCase())?.id ?? createId("var"),
          sku: v.sku,
          price: v.price ?? null,
          options: v.options,
        }));
      }
      const price = data.price ?? current.price;
      this.assertCurrency(price.currency, variants);
      const next: Product = {
        ...current,
        name: data.name ?? current.name,
        description: data.description ?? current.description,
        price,
        categoryId: data.categoryId === undefined ? current.categoryId : data.categoryId,
        status: data.status ?? current.status,
        images: data.images ? normalizeImages(data.images) : current.images,
        attributes: data.attributes ?? current.attributes,
        variants,
        updatedAt: now,
        version: current.version + 1,
      };
      await tx.products.update(next, current.version);
      for (const v of variants) {
        await tx.inventory.ensure({ key: v.id, productId: next.id, variantId: v.id, lowStockThreshold: this.lowStockThreshold }, now);
      }
      tx.outbox.add(createEvent("product.updated", { productId: next.id, version: next.version, status: next.status }, clock));
      return next;
    });
  }

  /** Archives a product: it leaves search and carts report it. @throws as {@link CatalogService.update}. */
  async archive(actor: Actor, input: { productId: string; expectedVersion: number }): Promise<Product> {
    return this.update(actor, { productId: input?.productId, expectedVersion: input?.expectedVersion, status: "archived" });
  }

  /** A product by id (any status; any actor). @throws NotFoundError `product_not_found`. */
  async get(actor: Actor, input: { productId: string }): Promise<Product> {
    checkActor(actor);
    const { productId: pid } = parse(productRefSchema, input);
    const p = await this.ctx.store.transaction((tx) => tx.products.get(pid));
    if (!p) throw NotFoundError.of(commerceCodes.product_not_found, "product", pid);
    return p;
  }

  /** A product by SKU, case-insensitively. @throws NotFoundError `product_not_found`. */
  async getBySku(actor: Actor, input: { sku: string }): Promise<Product> {
    checkActor(actor);
    const { sku: s } = parse(skuRefSchema, input);
    const p = await this.ctx.store.transaction((tx) => tx.products.getBySku(s));
    if (!p) throw NotFoundError.of(commerceCodes.product_not_found, "product", s);
    return p;
  }

  /**
   * Full-text search over active products (case- and accent-insensitive, ranked), with
   * filters by category subtree, price range, attributes and stock, and cursor pagination.
   * @throws ValidationError `invalid_cursor`, `validation_failed`. @throws NotFoundError `category_not_found`.
   * @example
   * ```ts
   * const page = await platform.products.search(ANONYMOUS_ACTOR, { text: "wireless mouse", maxPrice: { amount: "50", currency: "USD" }, inStockOnly: true });
   * ```
   */
  async search(actor: Actor, input: ProductSearchInput = {}): Promise<Page<ProductHit>> {
    checkActor(actor);
    const q = parse(productSearchSchema, input);
    return this.ctx.store.transaction(async (tx) => {
      let categoryIds: string[] | null = null;
      if (q.categoryId) {
        await this.requireCategory(tx, q.categoryId);
        categoryIds = [q.categoryId, ...(await tx.categories.descendants(q.categoryId)).map((c) => c.id)];
      }
      const text = q.text && q.text.length > 0 ? q.text : null;
      const sort = q.sort ?? (text ? "relevance" : "newest");
      return tx.products.search({
        text,
        categoryIds,
        minPrice: q.minPrice ?? null,
        maxPrice: q.maxPrice ?? null,
        attributes: q.attributes,
        inStockOnly: q.inStockOnly,
        sort,
        limit: q.limit,
        cursor: q.cursor ?? null,
      });
    });
  }

  private async requireCategory(tx: CommerceTx, id: string): Promise<void> {
    if (!(await tx.categories.get(id))) throw NotFoundError.of(commerceCodes.category_not_found, "category", id);
  }

  private assertCurrency(currency: string, variants: readonly ProductVariant[]): void {
    for (const v of variants) {
      if (v.price && v.price.currency !== currency) {
        throw new DomainRuleError(
          coreCodes.currency_mismatch,
          `variant ${v.sku} is priced in ${v.price.currency}, the product in ${currency}`,
        );
      }
    }
  }
}
