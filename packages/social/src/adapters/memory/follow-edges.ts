import type { MemoryTransactionRunner } from "@platform/core";
import type { Follow } from "../../domain/follow.js";
import { SortedLists } from "./sorted-lists.js";

/**
 * The follow graph of the memory store as two seq-ordered adjacency lists of user ids (who a user
 * follows, who follows them), journaled like every memory write. The follow rows themselves stay
 * in the follows table, found by their (follower, followee) pair.
 */
export class FollowEdges {
  /** followerId -> followee ids. */
  readonly following: SortedLists<string>;
  /** followeeId -> follower ids. */
  readonly followers: SortedLists<string>;

  constructor(runner: MemoryTransactionRunner) {
    this.following = new SortedLists<string>(runner);
    this.followers = new SortedLists<string>(runner);
  }

  add(f: Follow): void {
    this.following.add(f.followerId, f.seq, f.followeeId);
    this.followers.add(f.followeeId, f.seq, f.followerId);
  }

  remove(f: Follow): void {
    this.following.remove(f.followerId, f.seq);
    this.followers.remove(f.followeeId, f.seq);
  }
}
