import type { Post } from "./post.js";
import type { User } from "./user.js";

/** What the visibility rules need to know about a viewer and an author. */
export interface ViewerRelation {
  /** The viewer is the author. */
  readonly isSelf: boolean;
  /** The viewer follows the author (an accepted follow). */
  readonly follows: boolean;
  /** Either of the two blocks the other. */
  readonly blocked: boolean;
}

/**
 * Whether a viewer may see a user's posts and lists at all: always themselves; never across a
 * block; a private account only to its accepted followers.
 */
export function canSeeContentOf(author: Pick<User, "isPrivate">, rel: ViewerRelation): boolean {
  if (rel.isSelf) return true;
  if (rel.blocked) return false;
  return !author.isPrivate || rel.follows;
}

/**
 * Whether a viewer may see a post: never a deleted one; the author always; nobody across a block;
 * followers-only posts and every post of a private account only to accepted followers.
 */
export function canSeePost(post: Pick<Post, "visibility" | "deletedAt">, author: Pick<User, "isPrivate">, rel: ViewerRelation): boolean {
  if (post.deletedAt !== null) return false;
  if (rel.isSelf) return true;
  if (rel.blocked) return false;
  if (post.visibility === "followers" || author.isPrivate) return rel.follows;
  return true;
}

/** Only public posts of public accounts may be reposted (Mastodon forbids boosting private posts). */
export function isRepostable(post: Pick<Post, "visibility" | "deletedAt">, author: Pick<User, "isPrivate">): boolean {
  return post.deletedAt === null && post.visibility === "public" && !author.isPrivate;
}
