import type { Category } from "../domain/category.js";

/** The category tree. */
export interface CategoryRepository {
  get(id: string): Promise<Category | null>;
  /** @throws ConflictError `slug_taken`. */
  insert(category: Category): Promise<void>;
  /** Replaces one category row. */
  save(category: Category): Promise<void>;
  /** Children of a node (null: roots), by name. */
  children(parentId: string | null): Promise<Category[]>;
  /** Every category whose path contains `id` (not `id` itself). */
  descendants(id: string): Promise<Category[]>;
}
