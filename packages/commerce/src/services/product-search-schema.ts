import { z } from "zod";
import { moneyInputSchema, pageRequestSchema, recordSchema } from "@platform/core";
import { refSchema, storableText } from "../domain/schemas.js";

/** Input of `products.search`. */
export const productSearchSchema = pageRequestSchema.extend({
  // NUL and unpaired surrogates are refused by parse() on every store (nul_character, invalid_text).
  text: z.string().trim().max(200).optional(),
  categoryId: refSchema.optional(),
  minPrice: moneyInputSchema.optional(),
  maxPrice: moneyInputSchema.optional(),
  attributes: recordSchema(storableText(1, 60), storableText(0, 300)).default({}),
  inStockOnly: z.boolean().default(false),
  sort: z.enum(["relevance", "price_asc", "price_desc", "newest"]).optional(),
});
/** Input of `products.search`, before parsing. */
export type ProductSearchInput = z.input<typeof productSearchSchema>;
