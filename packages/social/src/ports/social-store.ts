import type { EventOutbox, UnitOfWork } from "@platform/core";
import type { ActivityRepository, CommentRepository, LikeRepository, PostRepository, RepostRepository } from "./content-repository.js";
import type { FeedRepository } from "./feed-repository.js";
import type { NotificationRepository } from "./notification-repository.js";
import type { BlockRepository, FollowRepository, FollowRequestRepository, MuteRepository } from "./relationship-repository.js";
import type { UserRepository } from "./user-repository.js";

/** The repositories of one transaction, plus its outbox. */
export interface SocialTx {
  readonly users: UserRepository;
  readonly follows: FollowRepository;
  readonly followRequests: FollowRequestRepository;
  readonly blocks: BlockRepository;
  readonly mutes: MuteRepository;
  readonly posts: PostRepository;
  readonly reposts: RepostRepository;
  readonly activities: ActivityRepository;
  readonly comments: CommentRepository;
  readonly likes: LikeRepository;
  readonly feeds: FeedRepository;
  readonly notifications: NotificationRepository;
  readonly outbox: EventOutbox;
}

/** The social store: a unit of work over {@link SocialTx}. */
export type SocialStore = UnitOfWork<SocialTx>;
