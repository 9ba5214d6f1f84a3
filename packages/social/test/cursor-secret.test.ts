import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createIsolatedDatabase, legacyCursor, type IsolatedDatabase } from "@platform/core/testing";
import { MemorySocialStore, type SocialStore } from "../src/index.js";
import { migrateSocial, PostgresSocialStore } from "../src/adapters/postgres/index.js";
import { codeOf, world, act } from "./helpers.js";

let db: IsolatedDatabase;
beforeAll(async () => {
  db = await createIsolatedDatabase(inject("databaseUrl"), { prefix: "social_cursor" });
  await migrateSocial(db.pool);
});
afterAll(() => db?.drop());

const SHARED = "shared-cursor-secret-for-all-app-servers";

// Two app servers on one store: one memory store shared by two platforms, or two PostgreSQL stores on one database.
const stores: [string, () => () => SocialStore][] = [
  [
    "memory",
    () => {
      const store = new MemorySocialStore();
      return () => store;
    },
  ],
  ["postgres", () => () => new PostgresSocialStore(db.pool)],
];

describe.each(stores)("page cursors on the %s store", (name, server) => {
  it("a cursor forged with the secret the package used to ship is refused, configured or not", async () => {
    const store = server();
    for (const options of [{}, { cursorSecret: SHARED }]) {
      const { social, user } = world({ store: store(), ...options });
      const author = await user(`forge_${name}_${Object.keys(options).length}`);
      await social.posts.create(act(author.id), { content: "one" });
      expect(
        await codeOf(
          social.posts.listByUser(act(author.id), {
            userId: author.id,
            cursor: legacyCursor(`social.posts_by_user:${author.id}`, { s: 1e9 }),
          }),
        ),
      ).toBe("invalid_cursor");
      expect(await codeOf(social.feeds.home(act(author.id), { cursor: legacyCursor(`social.home:${author.id}`, { s: 1e9 }) }))).toBe(
        "invalid_cursor",
      );
    }
  });

  it("platforms configured with one shared secret accept each other's cursors; any other secret refuses them", async () => {
    const store = server();
    const a = world({ store: store(), cursorSecret: SHARED });
    const b = world({ store: store(), cursorSecret: SHARED });
    const author = await a.user(`share_${name}`);
    for (const content of ["first", "second", "third"]) await a.social.posts.create(act(author.id), { content });
    const page = await a.social.posts.listByUser(act(author.id), { userId: author.id, limit: 2 });
    expect(page.items.map((p) => p.content)).toEqual(["third", "second"]);
    const next = await b.social.posts.listByUser(act(author.id), { userId: author.id, limit: 2, cursor: page.nextCursor });
    expect(next.items.map((p) => p.content)).toEqual(["first"]);
    for (const other of [world({ store: store() }), world({ store: store(), cursorSecret: `${SHARED}-rotated` })]) {
      expect(await codeOf(other.social.posts.listByUser(act(author.id), { userId: author.id, limit: 2, cursor: page.nextCursor }))).toBe(
        "invalid_cursor",
      );
    }
  });

  it("refuses a secret shorter than 32 characters", async () => {
    expect(await codeOf((async () => world({ store: server()(), cursorSecret: "short" }))())).toBe("weak_cursor_secret");
  });
});
