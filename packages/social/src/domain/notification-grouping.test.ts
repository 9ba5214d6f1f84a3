import { describe, expect, it } from "vitest";
import type { Notification } from "./notification.js";
import { actorsPhrase, groupNotifications } from "./notification-grouping.js";
import { notificationKeys } from "./notification-rules.js";

function n(seq: number, type: Notification["type"], actorId: string, postId: string | null): Notification {
  const keys = notificationKeys({ type, actorId, recipientId: "r", postId });
  return { id: `n${seq}`, seq, recipientId: "r", type, actorId, postId, commentId: null, ...keys, readAt: null, createdAt: new Date(seq) };
}

describe("notification grouping", () => {
  it("groups likes of one post and follows, keeps comments apart", () => {
    const users = new Map(
      ["jane_smith", "a", "b", "c", "d"].map((u) => [
        u,
        { id: u, username: u, name: u, avatarUrl: null, isVerified: false, isPrivate: false },
      ]),
    );
    const groups = groupNotifications(
      [
        n(9, "like", "jane_smith", "p1"),
        n(8, "follow", "a", null),
        n(7, "like", "a", "p1"),
        n(6, "comment", "b", "p1"),
        n(5, "like", "b", "p1"),
        n(4, "like", "c", "p1"),
        n(3, "follow", "d", null),
        n(2, "like", "d", "p2"),
      ],
      users,
    );
    expect(groups.map((g) => g.summary)).toEqual([
      "jane_smith and 3 others liked your post",
      "a and d followed you",
      "b commented on your post",
      "d liked your post",
    ]);
    expect(groups[0]!.actorsCount).toBe(4);
    expect(groups[0]!.sampleActors.map((u) => u.username)).toEqual(["jane_smith", "a", "b"]);
  });
  it("phrases actors", () => {
    expect(actorsPhrase(["x"], 1)).toBe("x");
    expect(actorsPhrase(["x", "y"], 3)).toBe("x and 2 others");
    expect(actorsPhrase(["x", "y"], 2)).toBe("x and y");
  });
});
