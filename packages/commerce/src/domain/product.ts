import { z } from "zod";
import { type Money, positiveMoneySchema, recordSchema, urlSchema } from "@platform/core";
import { codedString, refSchema, storableText } from "./schemas.js";
import { commerceCodes } from "./error-codes.js";

/** Lifecycle of a product: only `active` products are sold and found by search. */
export const productStatusSchema = z.enum(["draft", "active", "archived"]);
/** A product status. */
export type ProductStatus = z.infer<typeof productStatusSchema>;

/** An image of a product; exactly one is primary when any exist. */
export interface ProductImage {
  readonly url: string;
  readonly alt: string;
  readonly position: number;
  readonly primary: boolean;
}

/** A sellable variant (size, colour ...) with its own SKU and optional own price. */
export interface ProductVariant {
  readonly id: string;
  readonly sku: string;
  readonly price: Money | null;
  readonly options: Readonly<Record<string, string>>;
}

/** A catalog product. Rows are immutable; updates write a new version. */
export interface Product {
  readonly id: string;
  readonly sku: string;
  readonly name: string;
  readonly description: string;
  readonly price: Money;
  readonly categoryId: string | null;
  readonly status: ProductStatus;
  readonly images: readonly ProductImage[];
  readonly attributes: Readonly<Record<string, string>>;
  readonly variants: readonly ProductVariant[];
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly version: number;
}

const skuSchema = codedString(1, 64, commerceCodes.invalid_sku).refine((s) => /^[A-Za-z0-9._-]+$/.test(s), {
  message: "SKU may hold letters, digits, '.', '_' and '-'",
  params: { code: commerceCodes.invalid_sku },
});

const imageInputSchema = z.object({
  url: urlSchema(),
  alt: z.string().trim().max(300).default(""),
  primary: z.boolean().optional(),
});

// recordSchema keeps every key exactly (`__proto__` included) in an object without prototype.
const attributesSchema = recordSchema(storableText(1, 60), storableText(0, 300)).refine((a) => Object.keys(a).length <= 50, {
  message: "at most 50 attributes",
});

const variantInputSchema = z.object({
  sku: skuSchema,
  price: positiveMoneySchema.optional(),
  options: recordSchema(storableText(1, 40), storableText(1, 80)).default({}),
});

/** Input of `products.create`. */
export const createProductSchema = z.object({
  sku: skuSchema,
  name: codedString(1, 200, commerceCodes.invalid_name),
  description: z.string().trim().max(10_000).default(""),
  price: positiveMoneySchema,
  categoryId: refSchema.nullish(),
  status: productStatusSchema.default("active"),
  images: z.array(imageInputSchema).max(20).default([]),
  attributes: attributesSchema.default({}),
  variants: z.array(variantInputSchema).max(100).default([]),
});
/** Input of `products.create`, before parsing. */
export type CreateProductInput = z.input<typeof createProductSchema>;

/** Input of `products.update`: any subset of fields plus the version the caller read. */
export const updateProductSchema = z.object({
  productId: refSchema,
  expectedVersion: z.number().int().positive(),
  name: codedString(1, 200, commerceCodes.invalid_name).optional(),
  description: z.string().trim().max(10_000).optional(),
  price: positiveMoneySchema.optional(),
  categoryId: refSchema.nullable().optional(),
  status: productStatusSchema.optional(),
  images: z.array(imageInputSchema).max(20).optional(),
  attributes: attributesSchema.optional(),
  variants: z.array(variantInputSchema).max(100).optional(),
});
/** Input of `products.update`, before parsing. */
export type UpdateProductInput = z.input<typeof updateProductSchema>;

/** Orders images, keeping exactly one primary (the flagged one, else the first). */
export function normalizeImages(images: readonly z.output<typeof imageInputSchema>[]): ProductImage[] {
  const primaryIndex = Math.max(
    0,
    images.findIndex((i) => i.primary === true),
  );
  return images.map((img, position) => ({ url: img.url, alt: img.alt, position, primary: position === primaryIndex }));
}

/** Every SKU a product owns (its own and its variants'), as written. */
export function skusOf(product: Pick<Product, "sku" | "variants">): string[] {
  return [product.sku, ...product.variants.map((v) => v.sku)];
}

/** The price of a product or one of its variants. */
export function unitPriceOf(product: Product, variantId: string | null): Money {
  if (variantId === null) return product.price;
  const variant = product.variants.find((v) => v.id === variantId);
  return variant?.price ?? product.price;
}

/** Key of a stock item: the variant when there is one, else the product. */
export function stockKeyOf(productId: string, variantId: string | null): string {
  return variantId ?? productId;
}
