import type { User, UserCounters } from "../domain/user.js";

/** Counter moves applied atomically (`UPDATE users SET followers_count = followers_count + $1 ...`). */
export type UserCounterDelta = Partial<Record<keyof UserCounters, number>>;

/** Users and profiles. */
export interface UserRepository {
  /** Inserts a user. @throws ConflictError `username_taken` (case-insensitive), `email_taken` or `external_id_taken`. */
  insert(user: Omit<User, "followersCount" | "followingCount" | "postsCount">): Promise<User>;
  get(id: string): Promise<User | null>;
  /** Several users by id (missing ids are left out). */
  getMany(ids: readonly string[]): Promise<Map<string, User>>;
  /** By username, case-insensitively. */
  getByUsername(username: string): Promise<User | null>;
  /** By the host's id for the person (exact match). */
  getByExternalId(externalId: string): Promise<User | null>;
  /** Links (or, with null, unlinks) a host id. @throws ConflictError `external_id_taken`; NotFoundError `user_not_found`. */
  setExternalId(id: string, externalId: string | null, at: Date): Promise<User>;
  /** Updates profile fields (not counters: they move only through `incrementCounters`). */
  updateProfile(id: string, patch: Partial<Pick<User, "name" | "bio" | "avatarUrl" | "isPrivate" | "isVerified">>, at: Date): Promise<User>;
  /** Adds the deltas atomically and returns the new row. */
  incrementCounters(id: string, delta: UserCounterDelta): Promise<User>;
  /** Overwrites the counters (repair after a recount). */
  setCounters(id: string, counters: UserCounters): Promise<void>;
  /** Number of users. */
  count(): Promise<number>;
}
