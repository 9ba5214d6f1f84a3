import {
  checkActor,
  createEvent,
  createId,
  DomainRuleError,
  NotFoundError,
  pageRequestSchema,
  paginate,
  parse,
  requireRole,
  type Page,
  type PageRequest,
  type Actor,
} from "@platform/core";
import { z } from "zod";
import {
  createCategorySchema,
  moveCategorySchema,
  slugify,
  wouldCreateCycle,
  type Category,
  type CreateCategoryInput,
} from "../domain/category.js";
import { refSchema } from "../domain/schemas.js";
import type { CommerceTx } from "../ports/commerce-store.js";
import type { ServiceContext } from "./service-context.js";
import { commerceCodes } from "../domain/error-codes.js";

const categoryRefSchema = z.object({ categoryId: refSchema });
const childrenSchema = pageRequestSchema.extend({ parentId: refSchema.nullish() });
const subtreeSchema = pageRequestSchema.extend({ categoryId: refSchema });

/** The category tree (`platform.categories`). */
export class CategoryService {
  constructor(private readonly ctx: ServiceContext) {}

  /**
   * Adds a category under `parentId` (or as a root).
   * @throws ConflictError `slug_taken`. @throws NotFoundError `category_not_found`. @throws ForbiddenError `role_required` (admin only).
   * @example
   * ```ts
   * const electronics = await platform.categories.create(ADMIN_ACTOR, { name: "Electronics" });
   * const laptops = await platform.categories.create(ADMIN_ACTOR, { name: "Laptops", parentId: electronics.id });
   * ```
   */
  async create(actor: Actor, input: CreateCategoryInput): Promise<Category> {
    requireRole(actor, "admin");
    const data = parse(createCategorySchema, input);
    const { store, clock } = this.ctx;
    return store.transaction(async (tx) => {
      const parent = data.parentId ? await tx.categories.get(data.parentId) : null;
      if (data.parentId && !parent) throw NotFoundError.of(commerceCodes.category_not_found, "category", data.parentId);
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

  /** A category (any actor). @throws NotFoundError `category_not_found`. */
  async get(actor: Actor, input: { categoryId: string }): Promise<Category> {
    checkActor(actor);
    const { categoryId } = parse(categoryRefSchema, input);
    return this.ctx.store.transaction((tx) => this.existing(tx, categoryId));
  }

  /**
   * Direct children of a category (or the roots without `parentId`), by name, a page at a time (any actor).
   * @throws ValidationError `invalid_cursor`.
   */
  async children(actor: Actor, input: PageRequest & { parentId?: string | null } = {}): Promise<Page<Category>> {
    checkActor(actor);
    const q = parse(childrenSchema, input);
    const parentId = q.parentId ?? null;
    const all = await this.ctx.store.transaction((tx) => tx.categories.children(parentId));
    return paginate(all, q, {
      kind: `categories.children:${parentId ?? ""}`,
      key: (c) => [c.name, c.id],
      direction: "asc",
      codec: this.ctx.cursors,
    });
  }

  /**
   * The category and all its descendants in depth-first order (a parent before its children,
   * siblings by name), a page at a time (any actor).
   * @throws NotFoundError `category_not_found`. @throws ValidationError `invalid_cursor`.
   */
  async subtree(actor: Actor, input: PageRequest & { categoryId: string }): Promise<Page<Category>> {
    checkActor(actor);
    const q = parse(subtreeSchema, input);
    const all = await this.ctx.store.transaction(async (tx) => {
      const root = await this.existing(tx, q.categoryId);
      return [root, ...(await tx.categories.descendants(root.id))];
    });
    const root = all[0]!;
    const byId = new Map(all.map((c) => [c.id, c]));
    // The key of a node is its branch from the root, (name, id) per level: sorting the keys gives
    // the depth-first order, and a key stays valid while other categories are added or moved.
    const segment = (id: string) => `${byId.get(id)?.name ?? ""}\u0000${id}`;
    const branch = (c: Category) =>
      (c.id === root.id ? [c.id] : [...c.path.slice(c.path.indexOf(root.id)), c.id]).map(segment).join("\u0001");
    return paginate(all, q, {
      kind: `categories.subtree:${root.id}`,
      key: (c) => [branch(c), c.id],
      direction: "asc",
      codec: this.ctx.cursors,
    });
  }

  private async existing(tx: CommerceTx, categoryId: string): Promise<Category> {
    const c = await tx.categories.get(categoryId);
    if (!c) throw NotFoundError.of(commerceCodes.category_not_found, "category", categoryId);
    return c;
  }

  /**
   * Moves a category (and its subtree) under another parent.
   * @throws DomainRuleError `category_cycle` when the new parent lies in its own subtree.
   * @throws NotFoundError `category_not_found`. @throws ForbiddenError `role_required` (admin only).
   */
  async move(actor: Actor, input: { categoryId: string; parentId: string | null }): Promise<Category> {
    requireRole(actor, "admin");
    const data = parse(moveCategorySchema, input);
    const { store, clock } = this.ctx;
    return store.transaction(async (tx) => {
      const node = await tx.categories.get(data.categoryId);
      if (!node) throw NotFoundError.of(commerceCodes.category_not_found, "category", data.categoryId);
      const parent = data.parentId ? await tx.categories.get(data.parentId) : null;
      if (data.parentId && !parent) throw NotFoundError.of(commerceCodes.category_not_found, "category", data.parentId);
      if (wouldCreateCycle(node.id, parent))
        throw new DomainRuleError(commerceCodes.category_cycle, "a category cannot move under itself or its descendants");
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
