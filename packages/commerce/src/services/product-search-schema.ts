import { z } from "zod";
import { moneyInputSchema, pageRequestSchema, recordSchema } from "@platform/core";
import { refSchema, storableText } from "../domain/schemas.js";

// PostgreSQL text cannot hold NUL: refused up front on every store, with the code the
// PostgreSQL adapter gives stored text (`invalid_text`), so the memory store answers the same.
const noNul = <S extends z.ZodString>(schema: S) =>
  schema.refine((v) => !v.includes("\u0000"), { message: "text may not contain NUL (U+0000) characters", params: { code: "invalid_text" } });

/** Input of `products.search`. */
export const productSearchSchema = pageRequestSchema.extend({
  text: noNul(z.string().trim().max(200)).optional(),
  categoryId: refSchema.optional(),
  minPrice: moneyInputSchema.optional(),
  maxPrice: moneyInputSchema.optional(),
  attributes: recordSchema(storableText(1, 60), storableText(0, 300)).default({}),
  inStockOnly: z.boolean().default(false),
  sort: z.enum(["relevance", "price_asc", "price_desc", "newest"]).optional(),
});
/** Input of `products.search`, before parsing. */
export type ProductSearchInput = z.input<typeof productSearchSchema>;
