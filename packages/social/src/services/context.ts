import type { Clock, CursorCodec } from "@platform/core";
import type { RankingOptions } from "../domain/ranking.js";
import type { SocialStore } from "../ports/social-store.js";

/** Tunables of the platform. */
export interface SocialConfig {
  /**
   * Authors with more followers than this get fan-out on read: their posts are merged into home
   * feeds at read time instead of being written into every follower's feed. Default 10,000.
   */
  fanoutThreshold: number;
  /** Entries kept per materialised home feed; older ones are read from storage. Default 800 (Mastodon). */
  feedCap: number;
  /** How many recent home-feed items the ranked feed scores. Default 200. */
  rankedWindow: number;
  ranking: RankingOptions;
}

/** What every service shares. */
export interface ServiceContext {
  readonly store: SocialStore;
  readonly clock: Clock;
  readonly codec: CursorCodec;
  readonly config: SocialConfig;
}
