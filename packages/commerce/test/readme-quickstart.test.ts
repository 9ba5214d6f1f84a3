import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The README's code blocks must run as written (on source, as `corepack pnpm demo` runs the examples).
// Each self-contained block (one that imports what it uses) runs as its own program; a block without
// imports continues an earlier one in the text and is covered by it; a block with a docs-check
// prelude (`<!-- prelude: ... -->`) uses values it declares and is type-checked only.
const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const blocks = [...readFileSync(join(root, "README.md"), "utf8").matchAll(/(<!-- prelude:[^>]*-->\n)?```ts\n([\s\S]*?)```/g)]
  .filter((m) => m[1] === undefined)
  .map((m) => m[2]!)
  .filter((code) => /^import /m.test(code));
const tsx = createRequire(import.meta.url).resolve("tsx/cli");

describe("README.md", () => {
  it("has TypeScript blocks to check", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
  });

  it.each(blocks.map((code, i) => [i + 1, code] as const))(
    "code block %i runs as written",
    (i, code) => {
      // Inside the workspace, so @platform/* and their dependencies resolve from its node_modules.
      const dir = join(root, "node_modules", ".cache", `readme-${process.pid}-${i}`);
      mkdirSync(dir, { recursive: true });
      try {
        const file = join(dir, "block.mts");
        writeFileSync(file, `${code}\nexport {};\n`);
        const run = spawnSync(process.execPath, [tsx, "--conditions=@platform/source", file], {
          cwd: root,
          encoding: "utf8",
          timeout: 60_000,
        });
        expect(run.stderr).toBe("");
        expect(run.status).toBe(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    90_000,
  );
});
