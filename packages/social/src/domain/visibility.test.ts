import { describe, expect, it } from "vitest";
import { canSeeContentOf, canSeePost, isRepostable } from "./visibility.js";

const live = { visibility: "public" as const, deletedAt: null };
const followersOnly = { visibility: "followers" as const, deletedAt: null };
const stranger = { isSelf: false, follows: false, blocked: false };
const follower = { isSelf: false, follows: true, blocked: false };
const blocked = { isSelf: false, follows: true, blocked: true };
const self = { isSelf: true, follows: false, blocked: false };

describe("visibility rules", () => {
  it("public posts of public accounts are seen by all but blocked users", () => {
    expect(canSeePost(live, { isPrivate: false }, stranger)).toBe(true);
    expect(canSeePost(live, { isPrivate: false }, blocked)).toBe(false);
  });
  it("followers-only and private-account posts need an accepted follow", () => {
    for (const [post, author] of [
      [followersOnly, { isPrivate: false }],
      [live, { isPrivate: true }],
    ] as const) {
      expect(canSeePost(post, author, stranger)).toBe(false);
      expect(canSeePost(post, author, follower)).toBe(true);
      expect(canSeePost(post, author, blocked)).toBe(false);
      expect(canSeePost(post, author, self)).toBe(true);
    }
  });
  it("deleted posts are seen by nobody, and only public posts are repostable", () => {
    expect(canSeePost({ visibility: "public", deletedAt: new Date() }, { isPrivate: false }, self)).toBe(false);
    expect(isRepostable(live, { isPrivate: false })).toBe(true);
    expect(isRepostable(followersOnly, { isPrivate: false })).toBe(false);
    expect(isRepostable(live, { isPrivate: true })).toBe(false);
    expect(canSeeContentOf({ isPrivate: true }, stranger)).toBe(false);
    expect(canSeeContentOf({ isPrivate: true }, follower)).toBe(true);
  });
});
