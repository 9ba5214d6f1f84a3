import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeOf, world, act, ADMIN, ANONYMOUS_ACTOR, socialStores } from "./helpers.js";

describe.each(socialStores())("users and profiles on $name", (store) => {
  beforeAll(() => store.setup());
  afterAll(() => store.teardown());

  it("creates users with unique case-insensitive usernames and unique e-mails", async () => {
    const { social, user } = world({ store: store.make() });
    const john = await user("john_doe");
    expect(john).toMatchObject({
      username: "john_doe",
      followersCount: 0,
      followingCount: 0,
      postsCount: 0,
      isVerified: false,
      isPrivate: false,
      role: "user",
    });
    expect(await codeOf(social.users.create(ANONYMOUS_ACTOR, { username: "JOHN_DOE", email: "other@example.com", name: "x" }))).toBe(
      "username_taken",
    );
    expect(await codeOf(social.users.create(ANONYMOUS_ACTOR, { username: "johnny", email: "JOHN_DOE@example.com", name: "x" }))).toBe(
      "email_taken",
    );
    expect(await codeOf(social.users.create(ANONYMOUS_ACTOR, { username: "Admin", email: "a@example.com", name: "x" }))).toBe(
      "username_reserved",
    );
    expect(await codeOf(social.users.create(ANONYMOUS_ACTOR, { username: "jo", email: "b@example.com", name: "x" }))).toBe(
      "invalid_username",
    );
    expect(await codeOf(social.users.create(ANONYMOUS_ACTOR, { username: "bad-name", email: "c@example.com", name: "x" }))).toBe(
      "invalid_username",
    );
    expect(await codeOf(social.users.create(ANONYMOUS_ACTOR, { username: "x".repeat(31), email: "d@example.com", name: "x" }))).toBe(
      "invalid_username",
    );
    expect(
      await codeOf(
        social.users.create(ANONYMOUS_ACTOR, { username: "okname", email: "e@example.com", name: "x", avatarUrl: "avatar1.jpg" }),
      ),
    ).toBe("invalid_avatar_url");
    expect(await social.store.transaction((tx) => tx.users.count())).toBe(1);
  });

  it("links a social user to the host's principal (one login across packages), never shown on profiles", async () => {
    const { social, user } = world({ store: store.make() });
    const john = await social.users.create(ANONYMOUS_ACTOR, {
      username: "john_doe",
      email: "john@example.com",
      name: "John",
      externalId: "cus_42",
    });
    const jane = await user("jane_doe");
    expect((await social.users.getByExternalId(ANONYMOUS_ACTOR, { externalId: "cus_42" })).id).toBe(john.id);
    const profile = await social.users.get(act(jane.id), { userId: john.id });
    expect(JSON.stringify(profile)).not.toContain("cus_42");
    expect(
      await codeOf(social.users.create(ANONYMOUS_ACTOR, { username: "johnny", email: "j2@example.com", name: "J", externalId: "cus_42" })),
    ).toBe("external_id_taken");
    expect(await codeOf(social.users.linkExternalId(ADMIN, { userId: jane.id, externalId: "cus_42" }))).toBe("external_id_taken");
    expect(await codeOf(social.users.getByExternalId(ANONYMOUS_ACTOR, { externalId: "cus_43" }))).toBe("user_not_found");
    // Keys that look like prototype properties are ordinary ids.
    expect((await social.users.linkExternalId(ADMIN, { userId: jane.id, externalId: "__proto__" })).externalId).toBe("__proto__");
    expect((await social.users.getByExternalId(ANONYMOUS_ACTOR, { externalId: "__proto__" })).id).toBe(jane.id);
    for (const bad of ["", "a\u0000b", "x".repeat(256), "\uD800", "line\nbreak"]) {
      expect(await codeOf(social.users.linkExternalId(ADMIN, { userId: jane.id, externalId: bad })), JSON.stringify(bad)).toBe(
        "invalid_external_id",
      );
      expect(
        await codeOf(social.users.create(ANONYMOUS_ACTOR, { username: "newbie", email: "n@example.com", name: "N", externalId: bad })),
      ).toBe("invalid_external_id");
    }
    expect((await social.users.me(act(jane.id))).externalId).toBe("__proto__");
    await social.users.linkExternalId(ADMIN, { userId: john.id, externalId: null });
    expect(await codeOf(social.users.getByExternalId(ANONYMOUS_ACTOR, { externalId: "cus_42" }))).toBe("user_not_found");
  });

  it("registers concurrently without duplicate usernames", async () => {
    const { social } = world({ store: store.make() });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        social.users.create(ANONYMOUS_ACTOR, { username: i % 2 ? "Same_Name" : "same_name", email: `u${i}@example.com`, name: "n" }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await social.store.transaction((tx) => tx.users.count())).toBe(1);
  });

  it("lets only an actor with the admin role set the verified flag", async () => {
    const { social, user } = world({ store: store.make() });
    const boss = await user("boss", { role: "admin" });
    const john = await user("john_doe");
    // The stored role is the host's data: authorisation reads the roles of the actor the host built.
    expect(await codeOf(social.users.setVerified(act(boss.id), { userId: john.id, verified: true }))).toBe("role_required");
    expect(await codeOf(social.users.setVerified(act(john.id), { userId: john.id, verified: true }))).toBe("role_required");
    expect((await social.users.get(act(boss.id), { userId: john.id })).isVerified).toBe(false);
    expect((await social.users.setVerified({ id: boss.id, roles: ["admin"] }, { userId: john.id, verified: true })).isVerified).toBe(true);
    expect((await social.users.setVerified(ADMIN, { userId: john.id, verified: false })).isVerified).toBe(false);
  });

  it("edits the actor's own profile and hides e-mail from others", async () => {
    const { social, user } = world({ store: store.make() });
    const john = await user("john_doe");
    const jane = await user("jane_smith");
    await social.users.updateProfile(act(john.id), { bio: "Engineer", avatarUrl: "https://cdn.example.com/a.jpg", isPrivate: true });
    const seen = await social.users.getByUsername(act(jane.id), { username: "JOHN_DOE" });
    expect(seen).toMatchObject({ bio: "Engineer", avatarUrl: "https://cdn.example.com/a.jpg", isPrivate: true });
    expect(seen).not.toHaveProperty("email");
    expect(await codeOf(social.users.updateProfile(act(john.id), { avatarUrl: "ftp://x" }))).toBe("invalid_avatar_url");
    expect(await codeOf(social.users.getByUsername(act(jane.id), { username: "nobody" }))).toBe("user_not_found");
  });
});
