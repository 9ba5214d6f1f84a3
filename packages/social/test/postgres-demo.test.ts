import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { createIsolatedDatabase, type IsolatedDatabase } from "@platform/core/testing";

let db: IsolatedDatabase;
beforeAll(async () => {
  db = await createIsolatedDatabase(inject("databaseUrl"), { prefix: "social_demo" });
});
afterAll(async () => {
  await db?.drop();
});

it("examples/social-demo.ts with DATABASE_URL migrates, runs on PostgreSQL and prints the seed's lines", { timeout: 60_000 }, async () => {
  const tsx = createRequire(import.meta.url).resolve("tsx/cli");
  const out = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [tsx, "--conditions=@platform/source", "examples/social-demo.ts"], {
      cwd: new URL("../../..", import.meta.url).pathname,
      env: { ...process.env, DATABASE_URL: db.url },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
  expect(out.code, out.stderr).toBe(0);
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
  expect(out.stdout).toMatch(/jane_smith_[0-9a-f]{6} commented on your post/);
  const { rows } = await db.pool.query<{ users: number; notifications: number }>(
    "SELECT (SELECT count(*)::int FROM social_users) AS users, (SELECT count(*)::int FROM social_notifications) AS notifications",
  );
  expect(rows[0]).toEqual({ users: 2, notifications: 5 });
});
