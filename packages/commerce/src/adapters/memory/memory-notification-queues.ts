import type { MemoryTransaction } from "@platform/core";

interface QueueEntry {
  readonly seq: number;
  readonly id: string;
}

/**
 * The pending notifications of each recipient queue in send order (lowest seq first), next to the
 * notification rows: a claim looks at each queue's head only, so it costs the number of queues
 * with pending mail, not the backlog. Journaled with the transaction, as the rows are.
 */
export class MemoryNotificationQueues {
  private readonly queues = new Map<string, QueueEntry[]>();

  /** The head (lowest pending seq) of every non-empty queue. */
  *heads(): Generator<string> {
    for (const entries of this.queues.values()) yield entries[0]!.id;
  }

  /** Files a pending row under its queue. */
  add(tx: MemoryTransaction, key: string, seq: number, id: string): void {
    this.insert(key, { seq, id });
    tx.journal(() => this.delete(key, seq));
  }

  /** Takes a row out of its queue (sent or dead-lettered). */
  remove(tx: MemoryTransaction, key: string, seq: number, id: string): void {
    if (!this.delete(key, seq)) return;
    tx.journal(() => this.insert(key, { seq, id }));
  }

  private insert(key: string, entry: QueueEntry): void {
    let entries = this.queues.get(key);
    if (!entries) this.queues.set(key, (entries = []));
    // New rows take rising seqs: an append, except when a rollback puts a head back.
    const at = position(entries, entry.seq);
    if (at === entries.length) entries.push(entry);
    else entries.splice(at, 0, entry);
  }

  private delete(key: string, seq: number): boolean {
    const entries = this.queues.get(key);
    if (!entries) return false;
    const at = position(entries, seq);
    if (at === entries.length || entries[at]!.seq !== seq) return false;
    if (at === 0) entries.shift();
    else entries.splice(at, 1);
    if (entries.length === 0) this.queues.delete(key);
    return true;
  }
}

/** Position of the first entry with seq >= `seq`. */
function position(entries: readonly QueueEntry[], seq: number): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (entries[mid]!.seq < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
