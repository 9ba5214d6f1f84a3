import { describe, expect, it } from "vitest";
import { codeOf, world } from "./helpers.js";

describe("users and profiles", () => {
  it("creates users with unique case-insensitive usernames and unique e-mails", async () => {
    const { social, user } = world();
    const john = await user("john_doe");
    expect(john).toMatchObject({ username: "john_doe", followersCount: 0, followingCount: 0, postsCount: 0, isVerified: false, isPrivate: false, role: "user" });
    expect(await codeOf(social.users.create({ username: "JOHN_DOE", email: "other@example.com", name: "x" }))).toBe("username_taken");
    expect(await codeOf(social.users.create({ username: "johnny", email: "JOHN_DOE@example.com", name: "x" }))).toBe("email_taken");
    expect(await codeOf(social.users.create({ username: "Admin", email: "a@example.com", name: "x" }))).toBe("username_reserved");
    expect(await codeOf(social.users.create({ username: "jo", email: "b@example.com", name: "x" }))).toBe("invalid_username");
    expect(await codeOf(social.users.create({ username: "bad-name", email: "c@example.com", name: "x" }))).toBe("invalid_username");
    expect(await codeOf(social.users.create({ username: "x".repeat(31), email: "d@example.com", name: "x" }))).toBe("invalid_username");
    expect(await codeOf(social.users.create({ username: "okname", email: "e@example.com", name: "x", avatarUrl: "avatar1.jpg" }))).toBe("invalid_avatar_url");
    expect(await social.store.transaction((tx) => tx.users.count())).toBe(1);
  });

  it("links a social user to the host's principal (one login across packages), never shown on profiles", async () => {
    const { social, user } = world();
    const john = await social.users.create({ username: "john_doe", email: "john@example.com", name: "John", externalId: "cus_42" });
    const jane = await user("jane_doe");
    expect((await social.users.getByExternalId({ externalId: "cus_42" })).id).toBe(john.id);
    const profile = await social.users.get({ actorId: jane.id, userId: john.id });
    expect(JSON.stringify(profile)).not.toContain("cus_42");
    expect(await codeOf(social.users.create({ username: "johnny", email: "j2@example.com", name: "J", externalId: "cus_42" }))).toBe("external_id_taken");
    expect(await codeOf(social.users.linkExternalId({ userId: jane.id, externalId: "cus_42" }))).toBe("external_id_taken");
    expect(await codeOf(social.users.getByExternalId({ externalId: "cus_43" }))).toBe("user_not_found");
    // Keys that look like prototype properties are ordinary ids.
    expect((await social.users.linkExternalId({ userId: jane.id, externalId: "__proto__" })).externalId).toBe("__proto__");
    expect((await social.users.getByExternalId({ externalId: "__proto__" })).id).toBe(jane.id);
    for (const bad of ["", "a\u0000b", "x".repeat(256), "\uD800", "line\nbreak"]) {
      expect(await codeOf(social.users.linkExternalId({ userId: jane.id, externalId: bad })), JSON.stringify(bad)).toBe("invalid_external_id");
      expect(await codeOf(social.users.create({ username: "newbie", email: "n@example.com", name: "N", externalId: bad }))).toBe("invalid_external_id");
    }
    expect((await social.users.me({ actorId: jane.id })).externalId).toBe("__proto__");
    await social.users.linkExternalId({ userId: john.id, externalId: null });
    expect(await codeOf(social.users.getByExternalId({ externalId: "cus_42" }))).toBe("user_not_found");
  });

  it("registers concurrently without duplicate usernames", async () => {
    const { social } = world();
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => social.users.create({ username: i % 2 ? "Same_Name" : "same_name", email: `u${i}@example.com`, name: "n" })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await social.store.transaction((tx) => tx.users.count())).toBe(1);
  });

  it("lets only an admin set the verified flag", async () => {
    const { social, user } = world();
    const admin = await user("boss", { role: "admin" });
    const john = await user("john_doe");
    expect(await codeOf(social.users.setVerified({ actorId: john.id, userId: john.id, verified: true }))).toBe("admin_required");
    expect((await social.users.setVerified({ actorId: admin.id, userId: john.id, verified: true })).isVerified).toBe(true);
  });

  it("edits the actor's own profile and hides e-mail from others", async () => {
    const { social, user } = world();
    const john = await user("john_doe");
    const jane = await user("jane_smith");
    await social.users.updateProfile({ actorId: john.id, bio: "Engineer", avatarUrl: "https://cdn.example.com/a.jpg", isPrivate: true });
    const seen = await social.users.getByUsername({ actorId: jane.id, username: "JOHN_DOE" });
    expect(seen).toMatchObject({ bio: "Engineer", avatarUrl: "https://cdn.example.com/a.jpg", isPrivate: true });
    expect(seen).not.toHaveProperty("email");
    expect(await codeOf(social.users.updateProfile({ actorId: john.id, avatarUrl: "ftp://x" }))).toBe("invalid_avatar_url");
    expect(await codeOf(social.users.getByUsername({ actorId: jane.id, username: "nobody" }))).toBe("user_not_found");
  });
});
