import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { expect, it } from "vitest";

it("examples/payments-demo.ts --stripe prints the specification's lines with a pi_ provider id from the local Stripe server", () => {
  const tsx = createRequire(import.meta.url).resolve("tsx/cli");
  const env = { ...process.env, STRIPE_SECRET_KEY: "", DATABASE_URL: "" };
  const out = spawnSync(process.execPath, [tsx, "--conditions=@platform/source", "examples/payments-demo.ts", "--stripe"], { encoding: "utf8", env, cwd: new URL("../../..", import.meta.url).pathname });
  expect(out.stderr).not.toMatch(/Error/);
  expect(out.status).toBe(0);
  const lines = out.stdout.split("\n");
  expect(lines.slice(0, 2)).toEqual(["Payment System Demo:", "==================="]);
  expect(lines).toContain("Amount: $99.99 USD");
  expect(lines).toContain("Status: succeeded");
  expect(lines).toContain("Gateway: stripe");
  expect(lines.find((l) => l.startsWith("Transaction ID: "))).toMatch(/^Transaction ID: pi_[A-Za-z0-9]+$/);
  expect(lines).toContain("Refund: $20.00 USD succeeded via stripe");
});
