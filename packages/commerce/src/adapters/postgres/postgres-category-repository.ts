import { ConflictError } from "@platform/core";
import type { Category } from "../../domain/category.js";
import type { CategoryRepository } from "../../ports/category-repository.js";
import type { Sql } from "./sql-runner.js";
import { commerceCodes } from "../../domain/error-codes.js";

interface CategoryRow {
  id: string;
  name: string;
  slug: string;
  parent_id: string | null;
  path: string[];
  created_at: Date;
  version: number;
}

const COLUMNS = "id, name, slug, parent_id, path, created_at, version";

function toCategory(r: CategoryRow): Category {
  return { id: r.id, name: r.name, slug: r.slug, parentId: r.parent_id, path: r.path, createdAt: r.created_at, version: r.version };
}

/** {@link CategoryRepository} on `categories`; subtrees by the GIN-indexed ancestor `path`. */
export class PostgresCategoryRepository implements CategoryRepository {
  constructor(private readonly sql: Sql) {}

  async get(id: string): Promise<Category | null> {
    const row = await this.sql.one<CategoryRow>(`SELECT ${COLUMNS} FROM categories WHERE id = $1`, [id]);
    return row ? toCategory(row) : null;
  }

  async insert(c: Category): Promise<void> {
    const inserted = await this.sql.query(
      `INSERT INTO categories (${COLUMNS}) VALUES ($1, $2, $3, $4, $5::text[], $6, $7) ON CONFLICT (slug) DO NOTHING`,
      [c.id, c.name, c.slug, c.parentId, [...c.path], c.createdAt, c.version],
    );
    if (inserted.rowCount === 0)
      throw new ConflictError(commerceCodes.slug_taken, `slug ${c.slug} is taken`, { details: { slug: c.slug } });
  }

  async save(c: Category): Promise<void> {
    await this.sql.query(
      `INSERT INTO categories (${COLUMNS}) VALUES ($1, $2, $3, $4, $5::text[], $6, $7)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, slug = EXCLUDED.slug, parent_id = EXCLUDED.parent_id, path = EXCLUDED.path, version = EXCLUDED.version`,
      [c.id, c.name, c.slug, c.parentId, [...c.path], c.createdAt, c.version],
    );
  }

  async children(parentId: string | null): Promise<Category[]> {
    const rows = await this.sql.rows<CategoryRow>(
      `SELECT ${COLUMNS} FROM categories WHERE parent_id IS NOT DISTINCT FROM $1 ORDER BY name, id`,
      [parentId],
    );
    return rows.map(toCategory);
  }

  async descendants(id: string): Promise<Category[]> {
    const rows = await this.sql.rows<CategoryRow>(
      `SELECT ${COLUMNS} FROM categories WHERE path @> ARRAY[$1::text] ORDER BY array_length(path, 1), name, id`,
      [id],
    );
    return rows.map(toCategory);
  }
}
