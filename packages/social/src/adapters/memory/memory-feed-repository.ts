import type { Keyset } from "../../ports/keyset.js";
import type { FeedEntry, FeedRepository, FeedState } from "../../ports/feed-repository.js";
import type { CompactFeedEntry, MemorySocialTables } from "./memory-social-tables.js";

/** {@link FeedRepository} on the memory store: one seq-ordered list per user. */
export class MemoryFeedRepository implements FeedRepository {
  constructor(private readonly store: MemorySocialTables) {}

  async getState(userId: string): Promise<FeedState | null> {
    return this.store.feedStates.get(userId) ?? null;
  }

  async replace(userId: string, entries: readonly FeedEntry[], floorSeq: number): Promise<void> {
    const sorted = [...entries].sort((a, b) => a.seq - b.seq);
    this.store.feedEntries.replace(
      userId,
      sorted.map((e) => ({ seq: e.seq, value: { activityId: e.activityId, actorId: e.actorId, postId: e.postId } })),
    );
    this.store.feedStates.put({ userId, floorSeq });
  }

  async drop(userId: string): Promise<void> {
    this.store.feedEntries.replace(userId, []);
    this.store.feedStates.delete(userId);
  }

  async deliver(userIds: readonly string[], entry: Omit<FeedEntry, "userId">, cap: number): Promise<number> {
    let written = 0;
    const value: CompactFeedEntry = { activityId: entry.activityId, actorId: entry.actorId, postId: entry.postId };
    for (const userId of userIds) {
      if (!this.store.feedStates.has(userId)) continue;
      this.store.feedEntries.add(userId, entry.seq, value);
      this.trim(userId, cap);
      written++;
    }
    return written;
  }

  async insertMany(userId: string, entries: readonly FeedEntry[], cap: number): Promise<void> {
    if (!this.store.feedStates.has(userId)) return;
    for (const e of entries) this.store.feedEntries.add(userId, e.seq, { activityId: e.activityId, actorId: e.actorId, postId: e.postId });
    this.trim(userId, cap);
  }

  async raiseFloor(userId: string, floorSeq: number): Promise<void> {
    const state = this.store.feedStates.get(userId);
    if (state && floorSeq > state.floorSeq) this.store.feedStates.put({ userId, floorSeq });
  }

  async removeActor(userId: string, actorId: string): Promise<number> {
    const list = this.store.feedEntries.before(userId, null, Number.MAX_SAFE_INTEGER);
    let removed = 0;
    for (const e of list) {
      if (e.value.actorId !== actorId) continue;
      this.store.feedEntries.remove(userId, e.seq);
      removed++;
    }
    return removed;
  }

  async page(userId: string, page: Keyset): Promise<FeedEntry[]> {
    return this.store.feedEntries.before(userId, page.before, page.limit).map((e) => ({ userId, seq: e.seq, ...e.value }));
  }

  async size(userId: string): Promise<number> {
    return this.store.feedEntries.size(userId);
  }

  private trim(userId: string, cap: number): void {
    const size = this.store.feedEntries.size(userId);
    if (size <= cap) return;
    this.store.feedEntries.trimOldest(userId, size - cap);
    // Everything below the oldest kept entry now comes from storage at read time.
    const oldest = this.store.feedEntries.oldestSeq(userId);
    const state = this.store.feedStates.get(userId);
    if (oldest !== undefined && state && oldest > state.floorSeq) this.store.feedStates.put({ userId, floorSeq: oldest });
  }
}
