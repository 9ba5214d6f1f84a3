import type { Comment } from "./comment.js";
import type { Notification, NotificationCandidate, NotificationType } from "./notification.js";
import type { Post } from "./post.js";

/** What the filter needs to know about the recipient's relation to the actor. */
export interface RecipientRelation {
  /** Either blocks the other. */
  readonly blocked: boolean;
  /** The recipient muted the actor's notifications. */
  readonly mutedNotifications: boolean;
  /** The recipient can see the post the notification is about (null when there is none). */
  readonly canSeeSubject: boolean;
}

/** Never for one's own actions, never across a block or from a muted user, never about an invisible post. */
export function shouldNotify(candidate: NotificationCandidate, rel: RecipientRelation): boolean {
  if (candidate.actorId === candidate.recipientId) return false;
  if (rel.blocked || rel.mutedNotifications) return false;
  return rel.canSeeSubject;
}

/** Candidates of a new post: one `mention` per mentioned user. */
export function candidatesForPost(post: Post): NotificationCandidate[] {
  return post.mentionIds.map((recipientId) => ({ type: "mention", recipientId, actorId: post.authorId, postId: post.id }));
}

/**
 * Candidates of a new comment, one per recipient, strongest reason first: the parent's author
 * gets `reply`, a mentioned user `mention`, the post's author `comment`.
 */
export function candidatesForComment(comment: Comment, post: Post, parent: Comment | null): NotificationCandidate[] {
  const byRecipient = new Map<string, NotificationCandidate>();
  const add = (type: NotificationType, recipientId: string): void => {
    if (!byRecipient.has(recipientId))
      byRecipient.set(recipientId, { type, recipientId, actorId: comment.authorId, postId: post.id, commentId: comment.id });
  };
  if (parent) add("reply", parent.authorId);
  for (const id of comment.mentionIds) add("mention", id);
  add("comment", post.authorId);
  return [...byRecipient.values()];
}

/** The keys of a notification: dedupe (one per actor and subject) and group (shown together). */
export function notificationKeys(c: NotificationCandidate): { dedupeKey: string; groupKey: string } {
  const subject = c.commentId ?? c.postId ?? "";
  switch (c.type) {
    case "like":
    case "repost":
      return { dedupeKey: `${c.type}:${c.actorId}:${subject}`, groupKey: `${c.type}:${subject}` };
    case "follow":
    case "follow_request":
      return { dedupeKey: `${c.type}:${c.actorId}`, groupKey: c.type };
    default:
      // comments, replies and mentions each carry their own text: never grouped.
      return { dedupeKey: `${c.type}:${subject}`, groupKey: `${c.type}:${subject}` };
  }
}

/** Sentence of one notification type, e.g. "liked your post". */
export function actionText(n: Pick<Notification, "type" | "commentId">): string {
  switch (n.type) {
    case "follow":
      return "followed you";
    case "follow_request":
      return "requested to follow you";
    case "like":
      return n.commentId ? "liked your comment" : "liked your post";
    case "repost":
      return "reposted your post";
    case "comment":
      return "commented on your post";
    case "reply":
      return "replied to your comment";
    case "mention":
      return "mentioned you";
  }
}
