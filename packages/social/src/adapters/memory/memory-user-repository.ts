import { NotFoundError } from "@platform/core";
import { usernameKey, type User, type UserCounters } from "../../domain/user.js";
import type { UserCounterDelta, UserRepository } from "../../ports/user-repository.js";
import type { MemorySocialTables } from "./memory-social-tables.js";
import { socialCodes } from "../../domain/error-codes.js";

/** {@link UserRepository} on the memory store. */
export class MemoryUserRepository implements UserRepository {
  constructor(private readonly store: MemorySocialTables) {}

  async insert(user: Omit<User, "followersCount" | "followingCount" | "postsCount">): Promise<User> {
    return this.store.userTable.insert({ ...user, followersCount: 0, followingCount: 0, postsCount: 0 });
  }

  async get(id: string): Promise<User | null> {
    return this.store.userTable.get(id) ?? null;
  }

  async getMany(ids: readonly string[]): Promise<Map<string, User>> {
    const out = new Map<string, User>();
    for (const id of ids) {
      const u = this.store.userTable.get(id);
      if (u) out.set(id, u);
    }
    return out;
  }

  async getByUsername(username: string): Promise<User | null> {
    return this.store.userTable.getByUnique("username", usernameKey(username)) ?? null;
  }

  async getByExternalId(externalId: string): Promise<User | null> {
    return this.store.userTable.getByUnique("externalId", externalId) ?? null;
  }

  async setExternalId(id: string, externalId: string | null, at: Date): Promise<User> {
    return this.store.userTable.put({ ...this.require(id), externalId, updatedAt: at });
  }

  async updateProfile(
    id: string,
    patch: Partial<Pick<User, "name" | "bio" | "avatarUrl" | "isPrivate" | "isVerified">>,
    at: Date,
  ): Promise<User> {
    return this.store.userTable.put({ ...this.require(id), ...patch, updatedAt: at });
  }

  async incrementCounters(id: string, delta: UserCounterDelta): Promise<User> {
    const u = this.require(id);
    return this.store.userTable.put({
      ...u,
      followersCount: u.followersCount + (delta.followersCount ?? 0),
      followingCount: u.followingCount + (delta.followingCount ?? 0),
      postsCount: u.postsCount + (delta.postsCount ?? 0),
    });
  }

  async setCounters(id: string, counters: UserCounters): Promise<void> {
    this.store.userTable.put({ ...this.require(id), ...counters });
  }

  async count(): Promise<number> {
    return this.store.userTable.size;
  }

  private require(id: string): User {
    const u = this.store.userTable.get(id);
    if (!u) throw NotFoundError.of(socialCodes.user_not_found, "user", id);
    return u;
  }
}
