import { z } from "zod";
import { moneyInputSchema, pageRequestSchema } from "@platform/core";
import { refSchema } from "../domain/schemas.js";

/** Input of `products.search`. */
export const productSearchSchema = pageRequestSchema.extend({
  text: z.string().trim().max(200).optional(),
  categoryId: refSchema.optional(),
  minPrice: moneyInputSchema.optional(),
  maxPrice: moneyInputSchema.optional(),
  attributes: z.record(z.string().trim().min(1).max(60), z.string().trim().max(300)).default({}),
  inStockOnly: z.boolean().default(false),
  sort: z.enum(["relevance", "price_asc", "price_desc", "newest"]).optional(),
});
/** Input of `products.search`, before parsing. */
export type ProductSearchInput = z.input<typeof productSearchSchema>;
