import type { MemoryTransactionRunner } from "@platform/core";
import type { FeedEntry } from "../../ports/feed-repository.js";
import type { ActivityColumns } from "./activity-columns.js";
import { SortedLists } from "./sorted-lists.js";

type EntryRef = Omit<FeedEntry, "userId" | "seq">;

/**
 * Materialised home feeds as per-user seq-ordered lists of activity row numbers: an entry costs
 * two numbers, no object. Its activity id, actor and post are read back from the activity row.
 * An entry that names no stored activity (a host writing feeds directly) is kept as an object in
 * a side array and referenced by a negative number, so any entry round-trips unchanged.
 */
export class FeedLists {
  readonly lists: SortedLists<number>;
  private readonly foreign: EntryRef[] = [];

  constructor(
    runner: MemoryTransactionRunner,
    private readonly activities: ActivityColumns,
  ) {
    this.lists = new SortedLists<number>(runner);
  }

  /** The number standing for `entry` in a list. */
  encode(entry: Omit<FeedEntry, "userId">): number {
    const a = this.activities;
    const row = a.rowOfId(entry.activityId);
    if (row >= 0 && a.seqAt(row) === entry.seq && a.actorAt(row) === entry.actorId && a.postIdAt(row) === entry.postId) return row;
    // Never truncated on rollback: a dangling side entry is unreachable and harmless.
    this.foreign.push({ activityId: entry.activityId, actorId: entry.actorId, postId: entry.postId });
    return -this.foreign.length;
  }

  actorOf(value: number): string {
    return value >= 0 ? this.activities.actorAt(value) : this.foreign[-value - 1]!.actorId;
  }

  decode(userId: string, seq: number, value: number): FeedEntry {
    if (value < 0) return { userId, seq, ...this.foreign[-value - 1]! };
    const a = this.activities;
    return { userId, seq, activityId: a.idAt(value), actorId: a.actorAt(value), postId: a.postIdAt(value) };
  }
}
