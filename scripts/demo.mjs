// Runs every example on source (no build needed), in the order of the specification's demos.
// With DATABASE_URL set, the examples that support it run on PostgreSQL.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";

const examples = ["core-money.ts", "ecommerce-demo.ts", "social-demo.ts", "payments-demo.ts", "worker.ts"].filter((f) =>
  existsSync(`examples/${f}`),
);
// The worker runs until SIGTERM; the demo runs one round of its duties.
const args = { "worker.ts": ["--once"] };
const tsx = createRequire(import.meta.url).resolve("tsx/cli");
for (const file of examples) {
  console.log(`\n$ tsx examples/${file}\n`);
  const result = spawnSync(process.execPath, [tsx, "--conditions=@platform/source", `examples/${file}`, ...(args[file] ?? [])], {
    stdio: "inherit",
  });
  if (result.status !== 0) {
    console.error(`examples/${file} failed with exit code ${result.status}`);
    process.exit(result.status ?? 1);
  }
}
