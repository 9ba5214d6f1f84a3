import { ConflictError, coreCodes, type MemoryTransactionRunner } from "@platform/core";
import type { Activity, Delivery } from "../../domain/post.js";
import { flatten, grown, type StringInterner } from "./columns.js";
import { mergeNewest } from "./merge-newest.js";
import { SortedLists } from "./sorted-lists.js";

const REPOST = 1;
const PULL = 2;
const DELETED = 4;

/**
 * Author timelines of the memory store in columns (see {@link PostColumns}): one row per activity,
 * ordered lists of rows per actor and delivery. A deleted activity keeps its row (only its id and
 * list entries go), so feed entries can keep pointing at a row number; a rollback restores rows
 * and lists exactly.
 */
export class ActivityColumns {
  private size = 0;
  private readonly rowOf = new Map<string, number>();
  private readonly ids: string[] = [];
  private readonly postIds: string[] = [];
  private seqs = new Float64Array(0);
  private actors = new Int32Array(0);
  private flags = new Uint8Array(0);
  private created = new Float64Array(0);
  private readonly push: SortedLists<number>;
  private readonly pull: SortedLists<number>;

  constructor(
    private readonly runner: MemoryTransactionRunner,
    private readonly users: StringInterner,
  ) {
    this.push = new SortedLists<number>(runner);
    this.pull = new SortedLists<number>(runner);
  }

  /** The row of live activity `id`, or -1. */
  rowOfId(id: string): number {
    return this.rowOf.get(id) ?? -1;
  }

  seqAt(row: number): number {
    return this.seqs[row]!;
  }

  idAt(row: number): string {
    return this.ids[row]!;
  }

  actorAt(row: number): string {
    return this.users.value(this.actors[row]!);
  }

  postIdAt(row: number): string {
    return this.postIds[row]!;
  }

  get(id: string): Activity | undefined {
    const row = this.rowOf.get(id);
    return row === undefined ? undefined : this.materialise(row);
  }

  /** Live activities in insertion order (a full scan, for tests and tooling). */
  *values(): IterableIterator<Activity> {
    for (let row = 0; row < this.size; row++) if (!(this.flags[row]! & DELETED)) yield this.materialise(row);
  }

  /** The same rows as {@link ActivityColumns.values}, under the `table` name the row-object tables use. */
  get table(): { values(): IterableIterator<Activity> } {
    return this;
  }

  /** Appends an activity. @throws ConflictError `duplicate_id`. */
  insert(a: Activity): void {
    const tx = this.runner.require();
    if (this.rowOf.has(a.id))
      throw new ConflictError(coreCodes.duplicate_id, `activities ${a.id} already exists`, { details: { table: "activities", id: a.id } });
    const row = this.size;
    if (row + 1 > this.seqs.length) this.ensure(row + 1);
    this.size = row + 1;
    this.rowOf.set(a.id, row);
    this.ids[row] = flatten(a.id);
    this.postIds[row] = flatten(a.postId);
    this.seqs[row] = a.seq;
    this.actors[row] = this.users.intern(a.actorId);
    this.flags[row] = (a.verb === "repost" ? REPOST : 0) | (a.delivery === "pull" ? PULL : 0);
    this.created[row] = a.createdAt.getTime();
    tx.journal(() => {
      this.rowOf.delete(a.id);
      this.size = row;
      this.ids.length = this.postIds.length = row;
    });
    this.listOf(row).add(a.actorId, a.seq, row);
  }

  /** Deletes a live activity; returns whether it existed. */
  delete(id: string): boolean {
    const row = this.rowOf.get(id);
    if (row === undefined) return false;
    const tx = this.runner.require();
    this.rowOf.delete(id);
    this.flags[row]! |= DELETED;
    tx.journal(() => {
      this.flags[row]! &= ~DELETED;
      this.rowOf.set(id, row);
    });
    this.listOf(row).remove(this.actorAt(row), this.seqs[row]!);
    return true;
  }

  /**
   * Rows of the newest activities of several actors merged, strictly below `before`, at or above
   * `atLeast`, optionally of one delivery: a k-way merge over the actors' ordered lists that reads
   * at most `limit` entries and builds no object per entry.
   */
  newestRows(
    actorIds: readonly string[],
    page: { before?: number | null; limit: number; atLeast?: number | null; delivery?: Delivery },
  ): number[] {
    const sources = page.delivery === "push" ? [this.push] : page.delivery === "pull" ? [this.pull] : [this.push, this.pull];
    const ranges = [];
    for (const actorId of actorIds) {
      for (const lists of sources) {
        const r = lists.range(actorId, page.before, page.atLeast);
        if (r) ranges.push(r);
      }
    }
    return mergeNewest(ranges, page.limit);
  }

  materialise(row: number): Activity {
    const flags = this.flags[row]!;
    return {
      id: this.ids[row]!,
      seq: this.seqs[row]!,
      actorId: this.users.value(this.actors[row]!),
      verb: flags & REPOST ? "repost" : "post",
      postId: this.postIds[row]!,
      delivery: flags & PULL ? "pull" : "push",
      createdAt: new Date(this.created[row]!),
    };
  }

  private listOf(row: number): SortedLists<number> {
    return this.flags[row]! & PULL ? this.pull : this.push;
  }

  private ensure(size: number): void {
    this.seqs = grown(this.seqs, size);
    const n = this.seqs.length;
    this.actors = grown(this.actors, n);
    this.flags = grown(this.flags, n);
    this.created = grown(this.created, n);
  }
}
