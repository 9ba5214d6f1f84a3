import { createEvent, createId, DomainRuleError, NotFoundError, parse } from "@platform/core";
import { createCategorySchema, moveCategorySchema, slugify, wouldCreateCycle, type Category, type CreateCategoryInput } from "../domain/category.js";
import { refSchema } from "../domain/schemas.js";
import type { ServiceContext } from "./service-context.js";

/** The category tree (`platform.categories`). */
export class CategoryService {
  constructor(private readonly ctx: ServiceContext) {}

  /**
   * Adds a category under `parentId` (or as a root).
   * @throws ConflictError `slug_taken`. @throws NotFoundError `category_not_found`.
   * @example
   * ```ts
   * const electronics = await platform.categories.create({ name: "Electronics" });
   * const laptops = await platform.categories.create({ name: "Laptops", parentId: electronics.id });
   * ```
   */
  async create(input: CreateCategoryInput): Promise<Category> {
    const data = parse(createCategorySchema, input);
    const { store, clock } = this.ctx;
    return store.transaction(async (tx) => {
      const parent = data.parentId ? await tx.categories.get(data.parentId) : null;
      if (data.parentId && !parent) throw NotFoundError.of("category_not_found", "category", data.parentId);
      const category: Category = {
        id: createId("cat"),
        name: data.name,
        slug: data.slug ?? slugify(data.name),
        parentId: parent?.id ?? null,
        path: parent ? [...parent.path, parent.id] : [],
        createdAt: clock.now(),
        version: 1,
      };
      await tx.categories.insert(category);
      tx.outbox.add(createEvent("category.created", { categoryId: category.id, parentId: category.parentId }, clock));
      return category;
    });
  }

  /** A category. @throws NotFoundError `category_not_found`. */
  async get(id: string): Promise<Category> {
    const cid = parse(refSchema, id);
    const c = await this.ctx.store.transaction((tx) => tx.categories.get(cid));
    if (!c) throw NotFoundError.of("category_not_found", "category", cid);
    return c;
  }

  /** Direct children of a category, or the roots for null. */
  async children(parentId: string | null = null): Promise<Category[]> {
    const pid = parentId === null ? null : parse(refSchema, parentId);
    return this.ctx.store.transaction((tx) => tx.categories.children(pid));
  }

  /** The category and all its descendants. @throws NotFoundError `category_not_found`. */
  async subtree(id: string): Promise<Category[]> {
    const root = await this.get(id);
    const rest = await this.ctx.store.transaction((tx) => tx.categories.descendants(root.id));
    return [root, ...rest];
  }

  /**
   * Moves a category (and its subtree) under another parent.
   * @throws DomainRuleError `category_cycle` when the new parent lies in its own subtree.
   * @throws NotFoundError `category_not_found`.
   */
  async move(input: { id: string; parentId: string | null }): Promise<Category> {
    const data = parse(moveCategorySchema, input);
    const { store, clock } = this.ctx;
    return store.transaction(async (tx) => {
      const node = await tx.categories.get(data.id);
      if (!node) throw NotFoundError.of("category_not_found", "category", data.id);
      const parent = data.parentId ? await tx.categories.get(data.parentId) : null;
      if (data.parentId && !parent) throw NotFoundError.of("category_not_found", "category", data.parentId);
      if (wouldCreateCycle(node.id, parent)) throw new DomainRuleError("category_cycle", "a category cannot move under itself or its descendants");
      const path = parent ? [...parent.path, parent.id] : [];
      const moved: Category = { ...node, parentId: parent?.id ?? null, path, version: node.version + 1 };
      // Rewrite the ancestor paths of the whole subtree (one UPDATE ... SET path = ... in SQL).
      const descendants = await tx.categories.descendants(node.id);
      await tx.categories.save(moved);
      for (const d of descendants) {
        const tail = d.path.slice(d.path.indexOf(node.id));
        await tx.categories.save({ ...d, path: [...path, ...tail], version: d.version + 1 });
      }
      tx.outbox.add(createEvent("category.moved", { categoryId: moved.id, parentId: moved.parentId }, clock));
      return moved;
    });
  }
}
