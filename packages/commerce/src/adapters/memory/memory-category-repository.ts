import type { MemoryTable } from "@platform/core";
import type { Category } from "../../domain/category.js";
import type { CategoryRepository } from "../../ports/category-repository.js";

/** {@link CategoryRepository} on a memory table indexed by parent and by ancestor. */
export class MemoryCategoryRepository implements CategoryRepository {
  constructor(private readonly table: MemoryTable<Category, "slug", "parent" | "ancestor">) {}

  async get(id: string): Promise<Category | null> {
    return this.table.get(id) ?? null;
  }

  async insert(category: Category): Promise<void> {
    this.table.insert(category);
  }

  async save(category: Category): Promise<void> {
    this.table.put(category);
  }

  async children(parentId: string | null): Promise<Category[]> {
    return this.table.findBy("parent", parentId ?? "").sort((a, b) => a.name.localeCompare(b.name));
  }

  async descendants(id: string): Promise<Category[]> {
    return this.table.findBy("ancestor", id);
  }
}
