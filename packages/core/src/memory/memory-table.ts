import { ConflictError } from "../errors/errors.js";
import type { MemoryTransactionRunner } from "./memory-transaction-runner.js";
import { coreCodes } from "../errors/core-error-codes.js";

/** A unique secondary key: `key(row)` must not repeat across rows (null/undefined rows are skipped). */
export interface UniqueIndexDefinition<V> {
  key: (row: V) => string | null | undefined;
  /** Error code of a duplicate, e.g. `sku_taken`. */
  code: string;
}

/** A non-unique secondary key; a row may sit under several keys. */
export type IndexDefinition<V> = (row: V) => string | readonly string[] | null | undefined;

/** Definition of a {@link MemoryTable}. */
export interface MemoryTableOptions<V, U extends string, I extends string> {
  /** Primary key of a row. */
  id: (row: V) => string;
  unique?: Record<U, UniqueIndexDefinition<V>>;
  indexes?: Record<I, IndexDefinition<V>>;
}

function keysOf(value: string | readonly string[] | null | undefined): readonly string[] {
  if (value === null || value === undefined) return [];
  return typeof value === "string" ? [value] : value;
}

/**
 * An indexed in-memory table whose writes are journaled in the current
 * transaction, so a rollback restores rows and indexes exactly. Rows are frozen:
 * change one by writing a new object.
 */
export class MemoryTable<V, U extends string = never, I extends string = never> {
  private readonly rows = new Map<string, V>();
  private readonly uniques = new Map<U, Map<string, string>>();
  private readonly indexes = new Map<I, Map<string, Set<string>>>();
  private readonly uniqueDefs: [U, UniqueIndexDefinition<V>][];
  private readonly indexDefs: [I, IndexDefinition<V>][];

  constructor(
    private readonly runner: MemoryTransactionRunner,
    readonly name: string,
    private readonly options: MemoryTableOptions<V, U, I>,
  ) {
    for (const u of Object.keys(options.unique ?? {}) as U[]) this.uniques.set(u, new Map());
    for (const i of Object.keys(options.indexes ?? {}) as I[]) this.indexes.set(i, new Map());
    this.uniqueDefs = Object.entries(options.unique ?? {}) as [U, UniqueIndexDefinition<V>][];
    this.indexDefs = Object.entries(options.indexes ?? {}) as [I, IndexDefinition<V>][];
  }

  /** Number of rows. */
  get size(): number {
    return this.rows.size;
  }

  get(id: string): V | undefined {
    return this.rows.get(id);
  }

  has(id: string): boolean {
    return this.rows.has(id);
  }

  /** Every row, in insertion order. */
  values(): IterableIterator<V> {
    return this.rows.values();
  }

  /** The row whose unique key `index` equals `value`. */
  getByUnique(index: U, value: string): V | undefined {
    const id = this.uniques.get(index)!.get(value);
    return id === undefined ? undefined : this.rows.get(id);
  }

  /** Ids of rows filed under `value` in a non-unique index (live view: copy before writing). */
  idsBy(index: I, value: string): ReadonlySet<string> {
    return this.indexes.get(index)!.get(value) ?? EMPTY;
  }

  /** Rows filed under `value` in a non-unique index. */
  findBy(index: I, value: string): V[] {
    const out: V[] = [];
    for (const id of this.idsBy(index, value)) out.push(this.rows.get(id)!);
    return out;
  }

  /** Number of rows filed under `value`. */
  countBy(index: I, value: string): number {
    return this.idsBy(index, value).size;
  }

  /** Inserts a new row. @throws ConflictError `duplicate_id` or the unique index's code. */
  insert(row: V): V {
    const id = this.options.id(row);
    if (this.rows.has(id))
      throw new ConflictError(coreCodes.duplicate_id, `${this.name} ${id} already exists`, { details: { table: this.name, id } });
    return this.write(id, row);
  }

  /** Inserts or replaces a row. @throws ConflictError with the unique index's code. */
  put(row: V): V {
    return this.write(this.options.id(row), row);
  }

  /** Removes a row; returns whether it existed. */
  delete(id: string): boolean {
    const tx = this.runner.require();
    const before = this.rows.get(id);
    if (before === undefined) return false;
    this.unindex(id, before);
    this.rows.delete(id);
    tx.journal(() => {
      this.rows.set(id, before);
      this.index(id, before);
    });
    return true;
  }

  private write(id: string, row: V): V {
    const tx = this.runner.require();
    const frozen = Object.freeze(row);
    const before = this.rows.get(id);
    for (const [name, def] of this.uniqueDefs) {
      const key = def.key(frozen);
      if (key === null || key === undefined) continue;
      const holder = this.uniques.get(name)!.get(key);
      if (holder !== undefined && holder !== id) {
        throw new ConflictError(def.code, `${this.name}.${name} ${JSON.stringify(key)} is taken`, {
          details: { table: this.name, index: name },
        });
      }
    }
    if (before !== undefined) this.unindex(id, before);
    this.rows.set(id, frozen);
    this.index(id, frozen);
    tx.journal(() => {
      this.unindex(id, frozen);
      if (before === undefined) this.rows.delete(id);
      else {
        this.rows.set(id, before);
        this.index(id, before);
      }
    });
    return frozen;
  }

  private index(id: string, row: V): void {
    for (const [name, def] of this.uniqueDefs) {
      const key = def.key(row);
      if (key !== null && key !== undefined) this.uniques.get(name)!.set(key, id);
    }
    for (const [name, def] of this.indexDefs) {
      const map = this.indexes.get(name)!;
      for (const key of keysOf(def(row))) {
        let set = map.get(key);
        if (!set) map.set(key, (set = new Set()));
        set.add(id);
      }
    }
  }

  private unindex(id: string, row: V): void {
    for (const [name, def] of this.uniqueDefs) {
      const key = def.key(row);
      const map = this.uniques.get(name)!;
      if (key !== null && key !== undefined && map.get(key) === id) map.delete(key);
    }
    for (const [name, def] of this.indexDefs) {
      const map = this.indexes.get(name)!;
      for (const key of keysOf(def(row))) {
        const set = map.get(key);
        if (!set) continue;
        set.delete(id);
        if (set.size === 0) map.delete(key);
      }
    }
  }
}

const EMPTY: ReadonlySet<string> = new Set();
