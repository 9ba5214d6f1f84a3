import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createId, type Actor } from "@platform/core";
import { act, ADMIN, ANONYMOUS_ACTOR, codeOf, socialStores, world } from "./helpers.js";

// Who may call what: the signed-in user for their own actions, anyone for registration and the
// sign-in look-up, the admin role for operator work (recounts, verification, identity links,
// another user's feed).
describe.each(socialStores())("actors and roles on $name", (store) => {
  beforeAll(() => store.setup());
  afterAll(() => store.teardown());

  it("a user method refuses the anonymous actor, an unknown user id and a malformed actor, and changes nothing", async () => {
    const { social, user } = world({ store: store.make() });
    const john = await user("john_doe");
    expect(await codeOf(social.posts.create(ANONYMOUS_ACTOR, { content: "hi" }))).toBe("unauthenticated");
    expect(await codeOf(social.posts.create(act(createId("usr")), { content: "hi" }))).toBe("unknown_actor");
    // Not even shaped like a user id (a NUL would be refused by PostgreSQL): the same answer, without a query.
    expect(await codeOf(social.posts.create(act("cus_42\u0000"), { content: "hi" }))).toBe("unknown_actor");
    expect(await codeOf(social.posts.create({ id: john.id } as unknown as Actor, { content: "hi" }))).toBe("invalid_actor");
    expect(await codeOf(social.follows.follow(null as unknown as Actor, { userId: john.id }))).toBe("invalid_actor");
    expect(await codeOf(social.notifications.unreadCount(ANONYMOUS_ACTOR))).toBe("unauthenticated");
    expect(await social.store.transaction((tx) => tx.posts.count())).toBe(0);
  });

  it("anyone registers; an admin account needs an admin actor", async () => {
    const { social } = world({ store: store.make() });
    const input = { username: "new_boss", email: "boss@example.com", name: "Boss", role: "admin" as const };
    expect(await codeOf(social.users.create(ANONYMOUS_ACTOR, input))).toBe("role_required");
    expect(await social.store.transaction((tx) => tx.users.count())).toBe(0);
    const plain = await social.users.create(ANONYMOUS_ACTOR, { username: "plain", email: "plain@example.com", name: "P" });
    expect(plain.role).toBe("user");
    expect(await codeOf(social.users.create(act(plain.id), input))).toBe("role_required");
    expect((await social.users.create(ADMIN, input)).role).toBe("admin");
  });

  it("recounts and identity links are admin work", async () => {
    const { social, user } = world({ store: store.make() });
    const john = await user("john_doe");
    const post = await social.posts.create(act(john.id), { content: "hello" });
    const comment = await social.comments.create(act(john.id), { postId: post.id, content: "me" });
    expect(await codeOf(social.users.recount(act(john.id), { userId: john.id }))).toBe("role_required");
    expect(await codeOf(social.posts.recount(act(john.id), { postId: post.id }))).toBe("role_required");
    expect(await codeOf(social.comments.recount(ANONYMOUS_ACTOR, { commentId: comment.id }))).toBe("role_required");
    expect(await codeOf(social.users.linkExternalId(act(john.id), { userId: john.id, externalId: "cus_1" }))).toBe("role_required");
    expect((await social.users.me(act(john.id))).externalId).toBeNull();
    expect((await social.users.recount(ADMIN, { userId: john.id })).consistent).toBe(true);
    expect((await social.users.linkExternalId(ADMIN, { userId: john.id, externalId: "cus_1" })).externalId).toBe("cus_1");
    expect((await social.users.getByExternalId(ANONYMOUS_ACTOR, { externalId: "cus_1" })).id).toBe(john.id);
  });

  it("a user rebuilds and evicts their own feed; another user's needs the admin role", async () => {
    const { social, user } = world({ store: store.make() });
    const [john, jane] = [await user("john_doe"), await user("jane_smith")];
    await social.posts.create(act(jane.id), { content: "hello" });
    await social.feeds.home(act(jane.id));
    expect(await codeOf(social.feeds.evict(act(john.id), { userId: jane.id }))).toBe("role_required");
    expect(await codeOf(social.feeds.rebuild(act(john.id), { userId: jane.id }))).toBe("role_required");
    expect(await social.store.transaction((tx) => tx.feeds.getState(jane.id))).not.toBeNull();
    expect(await social.feeds.rebuild(act(jane.id))).toEqual({ entries: 1 });
    await social.feeds.evict(act(jane.id));
    expect(await social.store.transaction((tx) => tx.feeds.getState(jane.id))).toBeNull();
    expect(await social.feeds.rebuild(ADMIN, { userId: jane.id })).toEqual({ entries: 1 });
    await social.feeds.evict(ADMIN, { userId: jane.id });
    expect(await social.store.transaction((tx) => tx.feeds.getState(jane.id))).toBeNull();
    expect(await codeOf(social.feeds.rebuild(ADMIN, { userId: createId("usr") }))).toBe("user_not_found");
    expect(await codeOf(social.feeds.evict(ANONYMOUS_ACTOR))).toBe("unauthenticated");
  });

  it("deletes answer nothing", async () => {
    const { social, user } = world({ store: store.make() });
    const john = await user("john_doe");
    const post = await social.posts.create(act(john.id), { content: "hello" });
    const comment = await social.comments.create(act(john.id), { postId: post.id, content: "me" });
    expect(await social.comments.delete(act(john.id), { commentId: comment.id })).toBeUndefined();
    expect(await social.posts.delete(act(john.id), { postId: post.id })).toBeUndefined();
    expect(await codeOf(social.posts.get(act(john.id), { postId: post.id }))).toBe("post_deleted");
  });
});
