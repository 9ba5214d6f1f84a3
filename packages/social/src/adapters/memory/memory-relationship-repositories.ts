import type { Block, Follow, FollowRequest, Mute } from "../../domain/follow.js";
import type { Keyset } from "../../ports/keyset.js";
import type { BlockRepository, FollowRepository, FollowRequestRepository, MuteRepository } from "../../ports/relationship-repository.js";
import { pair, type MemorySocialTables } from "./memory-social-tables.js";

/** {@link FollowRepository} on the memory store. */
export class MemoryFollowRepository implements FollowRepository {
  constructor(private readonly store: MemorySocialTables) {}

  async insertIfAbsent(follow: Omit<Follow, "seq">): Promise<Follow | null> {
    const t = this.store.followTable;
    if (t.getByUnique("pair", pair(follow.followerId, follow.followeeId))) return null;
    const row = t.insert({ ...follow, seq: this.store.nextSeq() });
    this.store.followEdges.add(row);
    return row;
  }

  async delete(followerId: string, followeeId: string): Promise<Follow | null> {
    const row = this.store.followTable.getByUnique("pair", pair(followerId, followeeId));
    if (!row) return null;
    this.store.followTable.delete(row.id);
    this.store.followEdges.remove(row);
    return row;
  }

  async get(followerId: string, followeeId: string): Promise<Follow | null> {
    return this.store.followTable.getByUnique("pair", pair(followerId, followeeId)) ?? null;
  }

  async listFollowers(userId: string, page: Keyset): Promise<Follow[]> {
    const t = this.store.followTable;
    return this.store.followEdges.followers
      .before(userId, page.before, page.limit)
      .map((e) => t.getByUnique("pair", pair(e.value, userId))!);
  }

  async listFollowing(userId: string, page: Keyset): Promise<Follow[]> {
    const t = this.store.followTable;
    return this.store.followEdges.following
      .before(userId, page.before, page.limit)
      .map((e) => t.getByUnique("pair", pair(userId, e.value))!);
  }

  async followingIds(userId: string): Promise<string[]> {
    return [...this.store.followEdges.following.all(userId)];
  }

  async followerIds(userId: string): Promise<string[]> {
    return [...this.store.followEdges.followers.all(userId)];
  }

  async countFollowers(userId: string): Promise<number> {
    return this.store.followEdges.followers.size(userId);
  }

  async countFollowing(userId: string): Promise<number> {
    return this.store.followEdges.following.size(userId);
  }

  async count(): Promise<number> {
    return this.store.followTable.size;
  }
}

/** {@link FollowRequestRepository} on the memory store. */
export class MemoryFollowRequestRepository implements FollowRequestRepository {
  constructor(private readonly store: MemorySocialTables) {}

  async insertIfAbsent(request: Omit<FollowRequest, "seq">): Promise<FollowRequest | null> {
    const t = this.store.requestTable;
    if (t.getByUnique("pair", pair(request.requesterId, request.targetId))) return null;
    return t.insert({ ...request, seq: this.store.nextSeq() });
  }

  async delete(requesterId: string, targetId: string): Promise<FollowRequest | null> {
    const row = this.store.requestTable.getByUnique("pair", pair(requesterId, targetId));
    if (!row) return null;
    this.store.requestTable.delete(row.id);
    return row;
  }

  async get(requesterId: string, targetId: string): Promise<FollowRequest | null> {
    return this.store.requestTable.getByUnique("pair", pair(requesterId, targetId)) ?? null;
  }

  async listIncoming(targetId: string, page: Keyset): Promise<FollowRequest[]> {
    return this.store.requestTable.page("incoming", targetId, page.before, page.limit);
  }
}

/** {@link BlockRepository} on the memory store. */
export class MemoryBlockRepository implements BlockRepository {
  constructor(private readonly store: MemorySocialTables) {}

  async insertIfAbsent(block: Block): Promise<Block | null> {
    const t = this.store.blockTable;
    if (t.getByUnique("pair", pair(block.blockerId, block.blockedId))) return null;
    return t.insert(block);
  }

  async delete(blockerId: string, blockedId: string): Promise<Block | null> {
    const row = this.store.blockTable.getByUnique("pair", pair(blockerId, blockedId));
    if (!row) return null;
    this.store.blockTable.delete(row.id);
    return row;
  }

  async get(blockerId: string, blockedId: string): Promise<Block | null> {
    return this.store.blockTable.getByUnique("pair", pair(blockerId, blockedId)) ?? null;
  }

  async eitherBlocks(a: string, b: string): Promise<boolean> {
    const t = this.store.blockTable;
    return t.getByUnique("pair", pair(a, b)) !== undefined || t.getByUnique("pair", pair(b, a)) !== undefined;
  }

  async blockedAmong(userId: string, others: readonly string[]): Promise<Set<string>> {
    const out = new Set<string>();
    if (this.store.blockTable.size === 0) return out;
    for (const o of others) if (await this.eitherBlocks(userId, o)) out.add(o);
    return out;
  }
}

/** {@link MuteRepository} on the memory store. */
export class MemoryMuteRepository implements MuteRepository {
  constructor(private readonly store: MemorySocialTables) {}

  async insertIfAbsent(mute: Mute): Promise<Mute | null> {
    const t = this.store.muteTable;
    if (t.getByUnique("pair", pair(mute.muterId, mute.mutedId))) return null;
    return t.insert(mute);
  }

  async put(mute: Mute): Promise<void> {
    this.store.muteTable.put(mute);
  }

  async delete(muterId: string, mutedId: string): Promise<Mute | null> {
    const row = this.store.muteTable.getByUnique("pair", pair(muterId, mutedId));
    if (!row) return null;
    this.store.muteTable.delete(row.id);
    return row;
  }

  async get(muterId: string, mutedId: string): Promise<Mute | null> {
    return this.store.muteTable.getByUnique("pair", pair(muterId, mutedId)) ?? null;
  }

  async mutedAmong(muterId: string, others: readonly string[]): Promise<Map<string, Mute>> {
    const out = new Map<string, Mute>();
    if (this.store.muteTable.size === 0) return out;
    for (const o of others) {
      const m = this.store.muteTable.getByUnique("pair", pair(muterId, o));
      if (m) out.set(o, m);
    }
    return out;
  }
}
