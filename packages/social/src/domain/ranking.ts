import type { PostCounters } from "./post.js";

/** Parameters of the ranked feed. */
export interface RankingOptions {
  /** Age at which a post's weight halves (default 6 hours). */
  halfLifeMs: number;
  /** Weights of each engagement (defaults: like 1, comment 2, repost 3). */
  weights: { like: number; comment: number; repost: number };
}

/** Defaults of {@link RankingOptions}. */
export const DEFAULT_RANKING: RankingOptions = { halfLifeMs: 6 * 3_600_000, weights: { like: 1, comment: 2, repost: 3 } };

/**
 * Score of a post: engagement times exponential time decay, `(1 + w·engagement) · 2^(-age/halfLife)`.
 * The `1 +` lets a fresh post with no engagement still rank.
 */
export function rankScore(counters: PostCounters, ageMs: number, options: RankingOptions = DEFAULT_RANKING): number {
  const w = options.weights;
  const engagement = 1 + w.like * counters.likesCount + w.comment * counters.commentsCount + w.repost * counters.repostsCount;
  return engagement * Math.pow(2, -Math.max(0, ageMs) / options.halfLifeMs);
}
