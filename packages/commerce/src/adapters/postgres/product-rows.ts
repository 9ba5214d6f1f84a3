import { Money } from "@platform/core";
import type { Product, ProductStatus } from "../../domain/product.js";

/** A product row as {@link PRODUCT_COLUMNS} selects it (children aggregated as JSON). */
export interface ProductRow {
  id: string;
  sku: string;
  name: string;
  description: string;
  price: string;
  currency: string;
  category_id: string | null;
  status: ProductStatus;
  created_at: Date;
  updated_at: Date;
  version: number;
  images: { url: string; alt: string; position: number; primary: boolean }[];
  attributes: Record<string, string>;
  variants: { id: string; sku: string; price: string | null; currency: string | null; options: Record<string, string> }[];
}

/** Columns of a full product read, `p` being the products table. */
export const PRODUCT_COLUMNS = `p.id, p.sku, p.name, p.description, p.price::text AS price, p.currency, p.category_id, p.status,
  p.created_at, p.updated_at, p.version,
  COALESCE((SELECT json_agg(json_build_object('url', i.image_url, 'alt', i.alt_text, 'position', i.position, 'primary', i.is_primary) ORDER BY i.position)
    FROM product_images i WHERE i.product_id = p.id), '[]') AS images,
  COALESCE((SELECT json_object_agg(a.attribute_name, a.attribute_value ORDER BY a.attribute_name)
    FROM product_attributes a WHERE a.product_id = p.id), '{}') AS attributes,
  COALESCE((SELECT json_agg(json_build_object('id', v.id, 'sku', v.sku, 'price', v.price::text, 'currency', v.currency, 'options', v.options) ORDER BY v.position)
    FROM commerce_product_variants v WHERE v.product_id = p.id), '[]') AS variants`;

// As the validated input: no prototype, every key (`__proto__` too) an own property.
function ownRecord(values: Record<string, string>): Record<string, string> {
  return Object.assign(Object.create(null) as Record<string, string>, values);
}

/** Maps a {@link ProductRow} to the domain product. */
export function toProduct(r: ProductRow): Product {
  return {
    id: r.id,
    sku: r.sku,
    name: r.name,
    description: r.description,
    price: Money.of(r.price, r.currency),
    categoryId: r.category_id,
    status: r.status,
    images: r.images.map((i) => ({ url: i.url, alt: i.alt, position: i.position, primary: i.primary })),
    attributes: ownRecord(r.attributes),
    variants: r.variants.map((v) => ({
      id: v.id,
      sku: v.sku,
      price: v.price !== null && v.currency !== null ? Money.of(v.price, v.currency) : null,
      options: ownRecord(v.options),
    })),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}

/** The text of the weight-C part of a product's search vector: attributes and variant options. */
export function attributeText(p: Product): string {
  const attributes = Object.entries(p.attributes).map(([k, v]) => `${k} ${v}`);
  const options = p.variants.flatMap((v) => Object.values(v.options));
  return [...attributes, ...options].join(" ");
}

/** The text of the weight-B SKU part of a product's search vector. */
export function skuText(p: Product): string {
  return [p.sku, ...p.variants.map((v) => v.sku)].join(" ");
}

/** SQL building a product's search vector from $name, $description, $skus, $attributes (folded, weighted). */
export function searchVectorSql(name: string, description: string, skus: string, attributes: string): string {
  return `setweight(to_tsvector('simple', commerce_fold(${name}::text)), 'A')
    || setweight(to_tsvector('simple', commerce_fold(${description}::text)), 'B')
    || setweight(to_tsvector('simple', commerce_fold(${skus}::text)), 'B')
    || setweight(to_tsvector('simple', commerce_fold(${attributes}::text)), 'C')`;
}
