import { describe, expect, it } from "vitest";
import { DEFAULT_RANKING, rankScore } from "./ranking.js";

describe("rankScore", () => {
  it("halves per half-life and grows with engagement", () => {
    const c = { likesCount: 1, commentsCount: 1, repostsCount: 1 };
    expect(rankScore(c, 0)).toBe(7);
    expect(rankScore(c, DEFAULT_RANKING.halfLifeMs)).toBeCloseTo(3.5);
    expect(rankScore({ likesCount: 0, commentsCount: 0, repostsCount: 0 }, 0)).toBeLessThan(rankScore(c, 0));
  });
});
