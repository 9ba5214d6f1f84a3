import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DomainEvent } from "@platform/core";
import { world, act, socialStores } from "./helpers.js";

describe.each(socialStores())("the seed's scenario on $name", (store) => {
  beforeAll(() => store.setup());
  afterAll(() => store.teardown());

  it("publishes the documented events, after commit, in order", async () => {
    const { social, user } = world({ store: store.make() });
    const types: string[] = [];
    social.events.onAny((e: DomainEvent) => void types.push(e.type));
    const [john, jane] = [await user("john_doe"), await user("jane_smith")];
    const p1 = await social.posts.create(act(john.id), { content: "#coding" });
    await social.follows.follow(act(john.id), { userId: jane.id });
    await social.likes.likePost(act(jane.id), { postId: p1.id });
    await social.comments.create(act(jane.id), { postId: p1.id, content: "Great work!" });
    expect(types).toEqual([
      "user.created",
      "user.created",
      "post.created",
      "user.followed",
      "notification.created",
      "post.liked",
      "notification.created",
      "comment.created",
      "notification.created",
    ]);
  });
});

// The example runs its own in-memory platform in a child process: one run, not one per store.
describe("the seed's scenario as a program", () => {
  it("examples/social-demo.ts prints the seed's lines with rule-generated notifications", () => {
    const tsx = createRequire(import.meta.url).resolve("tsx/cli");
    const out = spawnSync(process.execPath, [tsx, "--conditions=@platform/source", "examples/social-demo.ts"], {
      encoding: "utf8",
      cwd: new URL("../../..", import.meta.url).pathname,
    });
    expect(out.status).toBe(0);
    expect(out.stdout.split("\n").slice(0, 8)).toEqual([
      "Social Media Platform Demo:",
      "==========================",
      "Users: 2",
      "Posts: 2",
      "Comments: 1",
      "Likes: 2",
      "Follows: 2",
      "Notifications: 5",
    ]);
    expect(out.stdout).toContain("jane_smith commented on your post");
  });
});
