import type { Keyset } from "../../ports/keyset.js";
import type { FeedEntry, FeedRepository, FeedState } from "../../ports/feed-repository.js";
import type { MemorySocialTables } from "./memory-social-tables.js";

/** {@link FeedRepository} on the memory store: one seq-ordered list of activity rows per user. */
export class MemoryFeedRepository implements FeedRepository {
  constructor(private readonly store: MemorySocialTables) {}

  async getState(userId: string): Promise<FeedState | null> {
    return this.store.feedStates.get(userId) ?? null;
  }

  async replace(userId: string, entries: readonly FeedEntry[], floorSeq: number): Promise<void> {
    const feed = this.store.feedEntries;
    const sorted = [...entries].sort((a, b) => a.seq - b.seq);
    feed.lists.replace(
      userId,
      sorted.map((e) => ({ seq: e.seq, value: feed.encode(e) })),
    );
    this.store.feedStates.put({ userId, floorSeq });
  }

  async drop(userId: string): Promise<void> {
    this.store.feedEntries.lists.replace(userId, []);
    this.store.feedStates.delete(userId);
  }

  async deliver(userIds: readonly string[], entry: Omit<FeedEntry, "userId">, cap: number): Promise<number> {
    let written = 0;
    const value = this.store.feedEntries.encode(entry);
    for (const userId of userIds) {
      if (!this.store.feedStates.has(userId)) continue;
      this.store.feedEntries.lists.add(userId, entry.seq, value);
      this.trim(userId, cap);
      written++;
    }
    return written;
  }

  async insertMany(userId: string, entries: readonly FeedEntry[], cap: number): Promise<void> {
    if (!this.store.feedStates.has(userId)) return;
    const feed = this.store.feedEntries;
    for (const e of entries) feed.lists.add(userId, e.seq, feed.encode(e));
    this.trim(userId, cap);
  }

  async raiseFloor(userId: string, floorSeq: number): Promise<void> {
    const state = this.store.feedStates.get(userId);
    if (state && floorSeq > state.floorSeq) this.store.feedStates.put({ userId, floorSeq });
  }

  async removeActor(userId: string, actorId: string): Promise<number> {
    const feed = this.store.feedEntries;
    const list = feed.lists.before(userId, null, Number.MAX_SAFE_INTEGER);
    let removed = 0;
    for (const e of list) {
      if (feed.actorOf(e.value) !== actorId) continue;
      feed.lists.remove(userId, e.seq);
      removed++;
    }
    return removed;
  }

  async page(userId: string, page: Keyset): Promise<FeedEntry[]> {
    const feed = this.store.feedEntries;
    return feed.lists.before(userId, page.before, page.limit).map((e) => feed.decode(userId, e.seq, e.value));
  }

  async size(userId: string): Promise<number> {
    return this.store.feedEntries.lists.size(userId);
  }

  private trim(userId: string, cap: number): void {
    const lists = this.store.feedEntries.lists;
    const size = lists.size(userId);
    if (size <= cap) return;
    lists.trimOldest(userId, size - cap);
    // Everything below the oldest kept entry now comes from storage at read time.
    const oldest = lists.oldestSeq(userId);
    const state = this.store.feedStates.get(userId);
    if (oldest !== undefined && state && oldest > state.floorSeq) this.store.feedStates.put({ userId, floorSeq: oldest });
  }
}
