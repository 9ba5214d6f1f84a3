import { z } from "zod";
import { codedString, refSchema } from "./schemas.js";
import { commerceCodes } from "./error-codes.js";

/**
 * A node of the category tree. `path` lists the ancestors' ids from the root, so the
 * subtree of X is every category whose path contains X (one index lookup, no recursion).
 */
export interface Category {
  readonly id: string;
  readonly name: string;
  readonly slug: string;
  readonly parentId: string | null;
  readonly path: readonly string[];
  readonly createdAt: Date;
  readonly version: number;
}

/** Input of `categories.create`. */
export const createCategorySchema = z.object({
  name: codedString(1, 120, commerceCodes.invalid_name),
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: "slug must be kebab-case" })
    .max(120)
    .optional(),
  parentId: refSchema.nullish(),
});
/** Input of `categories.create`, before parsing. */
export type CreateCategoryInput = z.input<typeof createCategorySchema>;

/** Input of `categories.move`. */
export const moveCategorySchema = z.object({ categoryId: refSchema, parentId: refSchema.nullable() });

/** Makes a URL slug from a name ("Home & Garden" -> "home-garden"). */
export function slugify(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug || "category";
}

/** True when putting `id` under `newParent` would make it its own ancestor. */
export function wouldCreateCycle(id: string, newParent: Category | null): boolean {
  if (newParent === null) return false;
  return newParent.id === id || newParent.path.includes(id);
}
