import type { PostView } from "./post.js";
import type { UserSummary } from "./user.js";

/** One item of a home feed or profile timeline: a post, or a repost of one. */
export interface FeedItem {
  /** The activity id: the post id for a post, the repost id for a repost. */
  readonly id: string;
  readonly kind: "post" | "repost";
  readonly post: PostView;
  /** Who reposted it (for `kind: "repost"`). */
  readonly repostedBy: UserSummary | null;
  /** When it entered timelines (the repost's time for a repost). */
  readonly at: Date;
}

/** A ranked feed item carries its score. */
export interface RankedFeedItem extends FeedItem {
  readonly score: number;
}
