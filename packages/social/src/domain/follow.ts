import { userIdSchema } from "./schemas.js";
import { z } from "zod";

/** An accepted follow: `followerId` sees `followeeId`'s posts in their home feed. */
export interface Follow {
  readonly id: string;
  /** Keyset position: follower lists are newest first. */
  readonly seq: number;
  readonly followerId: string;
  readonly followeeId: string;
  readonly createdAt: Date;
}

/** A pending request to follow a private account. */
export interface FollowRequest {
  readonly id: string;
  readonly seq: number;
  readonly requesterId: string;
  readonly targetId: string;
  readonly createdAt: Date;
}

/** A block: neither user can follow, comment on, like, mention or notify the other. */
export interface Block {
  readonly id: string;
  readonly blockerId: string;
  readonly blockedId: string;
  readonly createdAt: Date;
}

/** A mute: the muted user's posts and notifications are hidden from the muter, silently. */
export interface Mute {
  readonly id: string;
  readonly muterId: string;
  readonly mutedId: string;
  /** Whether notifications from the muted user are hidden too (Mastodon's default: yes). */
  readonly hideNotifications: boolean;
  readonly createdAt: Date;
}

/** Input of follow, unfollow, block, unblock, unmute: the actor acts on `userId`. */
export const relationTargetSchema = z.object({ userId: userIdSchema });

/** Input of `users.mute`. */
export const muteSchema = relationTargetSchema.extend({ notifications: z.boolean().default(true) });

/** Input of approve, reject (actor = the private account) and cancel (actor = requester). */
export const followRequestTargetSchema = z.object({ userId: userIdSchema });

/** What `follows.follow` did: followed at once, or asked a private account. */
export type FollowOutcome = "following" | "requested";
