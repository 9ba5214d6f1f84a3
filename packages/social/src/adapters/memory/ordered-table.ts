import { MemoryTable, type MemoryTransactionRunner, type UniqueIndexDefinition } from "@platform/core";
import { flatten } from "./columns.js";
import { SortedLists } from "./sorted-lists.js";

type OrderKey = string | readonly string[] | null | undefined;

function keys(k: OrderKey): readonly string[] {
  if (k === null || k === undefined) return [];
  return typeof k === "string" ? [k] : k;
}

/**
 * A {@link MemoryTable} plus ordered secondary indexes by seq (the in-memory form of
 * `CREATE INDEX ... (key, seq DESC)`), kept in step on insert, update and delete.
 */
export class OrderedTable<V extends { readonly seq: number }, U extends string, O extends string> {
  readonly table: MemoryTable<V, U>;
  private readonly lists = new Map<O, SortedLists<string>>();

  constructor(
    runner: MemoryTransactionRunner,
    name: string,
    private readonly options: {
      id: (row: V) => string;
      unique?: Record<U, UniqueIndexDefinition<V>>;
      orders: Record<O, (row: V) => OrderKey>;
    },
  ) {
    this.table = new MemoryTable<V, U>(runner, name, { id: options.id, ...(options.unique ? { unique: options.unique } : {}) });
    for (const o of Object.keys(options.orders) as O[]) this.lists.set(o, new SortedLists<string>(runner));
  }

  get(id: string): V | undefined {
    return this.table.get(id);
  }

  getByUnique(index: U, value: string): V | undefined {
    return this.table.getByUnique(index, value);
  }

  get size(): number {
    return this.table.size;
  }

  insert(row: V): V {
    // Ids from createId are cons-string trees (~360 bytes); flat, they cost 48 (see flatten).
    flatten(this.options.id(row));
    const frozen = this.table.insert(row);
    this.index(frozen);
    return frozen;
  }

  /** Replaces a row (its seq must not change). */
  update(row: V): V {
    const id = this.options.id(row);
    const before = this.table.get(id);
    const frozen = this.table.put(row);
    for (const [o, fn] of Object.entries(this.options.orders) as [O, (row: V) => OrderKey][]) {
      const oldKeys = before ? keys(fn(before)) : [];
      const newKeys = keys(fn(frozen));
      const list = this.lists.get(o)!;
      for (const k of oldKeys) if (!newKeys.includes(k)) list.remove(k, frozen.seq);
      for (const k of newKeys) if (!oldKeys.includes(k)) list.add(k, frozen.seq, id);
    }
    return frozen;
  }

  delete(id: string): V | undefined {
    const before = this.table.get(id);
    if (!before) return undefined;
    this.table.delete(id);
    for (const [o, fn] of Object.entries(this.options.orders) as [O, (row: V) => OrderKey][]) {
      for (const k of keys(fn(before))) this.lists.get(o)!.remove(k, before.seq);
    }
    return before;
  }

  /** Rows under `key` in order `order`, strictly below `before`, newest first. */
  page(order: O, key: string, before: number | null | undefined, limit: number, atLeast?: number | null): V[] {
    return this.lists
      .get(order)!
      .before(key, before, limit, atLeast)
      .map((e) => this.table.get(e.value)!);
  }

  /** Like {@link OrderedTable.page} but only `{ seq, value: id }`, without loading the rows. */
  pageIds(
    order: O,
    key: string,
    before: number | null | undefined,
    limit: number,
    atLeast?: number | null,
  ): { seq: number; value: string }[] {
    return this.lists.get(order)!.before(key, before, limit, atLeast);
  }

  /** Rows under `key`, strictly above `after`, oldest first. */
  pageAsc(order: O, key: string, after: number | null | undefined, limit: number): V[] {
    return this.lists
      .get(order)!
      .after(key, after, limit)
      .map((e) => this.table.get(e.value)!);
  }

  /** Ids under `key`, oldest first (live view). */
  ids(order: O, key: string): readonly string[] {
    return this.lists.get(order)!.all(key);
  }

  count(order: O, key: string): number {
    return this.lists.get(order)!.size(key);
  }

  private index(row: V): void {
    const id = this.options.id(row);
    for (const [o, fn] of Object.entries(this.options.orders) as [O, (row: V) => OrderKey][]) {
      for (const k of keys(fn(row))) this.lists.get(o)!.add(k, row.seq, id);
    }
  }
}
