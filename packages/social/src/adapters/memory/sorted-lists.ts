import type { MemoryTransactionRunner } from "@platform/core";

interface List<V> {
  seqs: number[];
  values: V[];
}

/** Index of the first position whose seq is >= `seq` (lower bound). */
function lowerBound(seqs: readonly number[], seq: number): number {
  let lo = 0;
  let hi = seqs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (seqs[mid]! < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Per-key lists kept sorted by seq (seqs are unique within a list), with writes journaled in the
 * current memory transaction so a rollback restores them. This is the in-memory stand-in for a
 * B-tree index on `(key, seq)`: pages are a binary search plus a slice, never a sort.
 * Core's MemoryTable only has unordered indexes, hence this structure.
 */
export class SortedLists<V> {
  private readonly lists = new Map<string, List<V>>();

  constructor(private readonly runner: MemoryTransactionRunner) {}

  /** Adds `value` at `seq` under `key`. */
  add(key: string, seq: number, value: V): void {
    const tx = this.runner.require();
    this.rawAdd(key, seq, value);
    tx.journal(() => this.rawRemove(key, seq));
  }

  /** Removes the value at `seq` under `key`; returns it, or undefined. */
  remove(key: string, seq: number): V | undefined {
    const tx = this.runner.require();
    const removed = this.rawRemove(key, seq);
    if (removed !== undefined) tx.journal(() => this.rawAdd(key, seq, removed));
    return removed;
  }

  /** Drops the `count` oldest values under `key`. */
  trimOldest(key: string, count: number): void {
    const list = this.lists.get(key);
    if (!list || count <= 0) return;
    const tx = this.runner.require();
    const seqs = list.seqs.splice(0, count);
    const values = list.values.splice(0, count);
    tx.journal(() => {
      const l = this.ensure(key);
      l.seqs.unshift(...seqs);
      l.values.unshift(...values);
    });
  }

  /** Replaces everything under `key`; `entries` must be sorted by ascending seq. */
  replace(key: string, entries: readonly { seq: number; value: V }[]): void {
    const tx = this.runner.require();
    const before = this.lists.get(key);
    if (entries.length === 0) this.lists.delete(key);
    else this.lists.set(key, { seqs: entries.map((e) => e.seq), values: entries.map((e) => e.value) });
    tx.journal(() => {
      if (before) this.lists.set(key, before);
      else this.lists.delete(key);
    });
  }

  /** Values under `key` with `atLeast <= seq < before`, newest first, at most `limit`. */
  before(key: string, before: number | null | undefined, limit: number, atLeast?: number | null): { seq: number; value: V }[] {
    const list = this.lists.get(key);
    if (!list) return [];
    const end = before === null || before === undefined ? list.seqs.length : lowerBound(list.seqs, before);
    const start = atLeast === null || atLeast === undefined ? 0 : lowerBound(list.seqs, atLeast);
    const out: { seq: number; value: V }[] = [];
    for (let i = end - 1; i >= start && out.length < limit; i--) out.push({ seq: list.seqs[i]!, value: list.values[i]! });
    return out;
  }

  /**
   * The stretch of the list under `key` with `atLeast <= seq < before`, as positions `[start, end)`
   * into live views of its arrays (no copy: read it before the next write).
   */
  range(
    key: string,
    before: number | null | undefined,
    atLeast?: number | null,
  ): { seqs: readonly number[]; values: readonly V[]; start: number; end: number } | undefined {
    const list = this.lists.get(key);
    if (!list) return undefined;
    const end = before === null || before === undefined ? list.seqs.length : lowerBound(list.seqs, before);
    const start = atLeast === null || atLeast === undefined ? 0 : lowerBound(list.seqs, atLeast);
    return start < end ? { seqs: list.seqs, values: list.values, start, end } : undefined;
  }

  /** Values under `key` with seq > `after`, oldest first, at most `limit`. */
  after(key: string, after: number | null | undefined, limit: number): { seq: number; value: V }[] {
    const list = this.lists.get(key);
    if (!list) return [];
    let i = after === null || after === undefined ? 0 : lowerBound(list.seqs, after + 1);
    const out: { seq: number; value: V }[] = [];
    for (; i < list.seqs.length && out.length < limit; i++) out.push({ seq: list.seqs[i]!, value: list.values[i]! });
    return out;
  }

  /** Every value under `key`, oldest first (live view: do not mutate). */
  all(key: string): readonly V[] {
    return this.lists.get(key)?.values ?? [];
  }

  /** The smallest seq under `key`, or undefined. */
  oldestSeq(key: string): number | undefined {
    return this.lists.get(key)?.seqs[0];
  }

  size(key: string): number {
    return this.lists.get(key)?.seqs.length ?? 0;
  }

  has(key: string): boolean {
    return this.lists.has(key);
  }

  private ensure(key: string): List<V> {
    let list = this.lists.get(key);
    if (!list) this.lists.set(key, (list = { seqs: [], values: [] }));
    return list;
  }

  private rawAdd(key: string, seq: number, value: V): void {
    const list = this.ensure(key);
    const last = list.seqs[list.seqs.length - 1];
    if (last === undefined || last < seq) {
      list.seqs.push(seq);
      list.values.push(value);
      return;
    }
    const at = lowerBound(list.seqs, seq);
    if (list.seqs[at] === seq) {
      list.values[at] = value;
      return;
    }
    list.seqs.splice(at, 0, seq);
    list.values.splice(at, 0, value);
  }

  private rawRemove(key: string, seq: number): V | undefined {
    const list = this.lists.get(key);
    if (!list) return undefined;
    const at = lowerBound(list.seqs, seq);
    if (list.seqs[at] !== seq) return undefined;
    const value = list.values[at]!;
    list.seqs.splice(at, 1);
    list.values.splice(at, 1);
    if (list.seqs.length === 0) this.lists.delete(key);
    return value;
  }
}
