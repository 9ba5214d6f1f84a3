import type { NotificationType } from "./notification.js";

/** Every event of the social platform, published on `platform.events` after its transaction commits. */
export interface SocialEventMap {
  [type: string]: unknown;
  "user.created": { userId: string; username: string };
  "user.updated": { userId: string };
  "user.verified": {
    userId: string;
    verified: boolean;
    /** The admin actor's id (null for an operator acting without one). */ by: string | null;
  };
  "user.followed": { followerId: string; followeeId: string };
  "user.unfollowed": { followerId: string; followeeId: string };
  "follow_request.created": { requesterId: string; targetId: string };
  "follow_request.approved": { requesterId: string; targetId: string };
  "follow_request.rejected": { requesterId: string; targetId: string };
  "follow_request.canceled": { requesterId: string; targetId: string };
  "user.blocked": { blockerId: string; blockedId: string };
  "user.unblocked": { blockerId: string; blockedId: string };
  "user.muted": { muterId: string; mutedId: string };
  "user.unmuted": { muterId: string; mutedId: string };
  "post.created": { postId: string; authorId: string; delivery: "push" | "pull"; hashtags: readonly string[] };
  "post.edited": { postId: string; authorId: string };
  "post.deleted": { postId: string; authorId: string };
  "post.reposted": { postId: string; userId: string; repostId: string };
  "post.unreposted": { postId: string; userId: string };
  "post.liked": { postId: string; userId: string };
  "post.unliked": { postId: string; userId: string };
  "comment.created": { commentId: string; postId: string; authorId: string; parentId: string | null };
  "comment.edited": { commentId: string; postId: string };
  "comment.deleted": { commentId: string; postId: string; by: string };
  "comment.liked": { commentId: string; userId: string };
  "comment.unliked": { commentId: string; userId: string };
  "notification.created": { notificationId: string; recipientId: string; type: NotificationType };
  "feed.rebuilt": { userId: string; entries: number };
}
