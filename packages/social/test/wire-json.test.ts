import { describe, expect, it } from "vitest";
import { toUserJSON } from "../src/index.js";
import { world, ANONYMOUS_ACTOR } from "./helpers.js";

const keys = (o: object) => Object.keys(o).sort();
const PUBLIC = [
  "avatarUrl",
  "bio",
  "createdAt",
  "followersCount",
  "followingCount",
  "id",
  "isPrivate",
  "isVerified",
  "name",
  "postsCount",
  "username",
];

describe("wire DTO of a social user", () => {
  it("shows e-mail and role to the owner only, and the host's externalId to no one", async () => {
    const { social } = world();
    const ada = await social.users.create(ANONYMOUS_ACTOR, {
      username: "ada",
      email: "ada@example.com",
      name: "Ada",
      externalId: "cus_ada",
    });
    const bob = await social.users.create(ANONYMOUS_ACTOR, { username: "bob", email: "bob@example.com", name: "Bob" });
    const own = toUserJSON(ada, ada.id);
    expect(keys(own)).toEqual([...PUBLIC, "email", "role"].sort());
    expect(own).toMatchObject({ email: "ada@example.com", role: "user" });
    for (const other of [toUserJSON(ada, bob.id), toUserJSON(ada, null)]) {
      expect(keys(other)).toEqual(PUBLIC);
    }
    for (const view of [own, toUserJSON(ada, bob.id)]) expect(JSON.stringify(view)).not.toContain("cus_ada");
  });
});
