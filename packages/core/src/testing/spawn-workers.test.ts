import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { spawnWorkers } from "./spawn-workers.js";

describe("spawnWorkers", () => {
  it("runs TypeScript workers as single processes that a SIGKILL really stops", async () => {
    const dir = await mkdtemp(join(tmpdir(), "workers-"));
    const file = join(dir, "worker.ts");
    const pidFile = join(dir, "pid");
    await writeFile(
      file,
      `import { writeFileSync } from "node:fs";\nconst n: number = Number(process.argv[2]);\nif (n === 1) { writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); setInterval(() => undefined, 1000); }\nelse process.stdout.write(JSON.stringify({ n }));\n`,
    );
    let killedPid: number | undefined;
    const results = await spawnWorkers(file, 2, {
      args: (i) => [String(i)],
      onSpawn: (i, child) => {
        if (i !== 1) return;
        killedPid = child.pid;
        const poll = setInterval(() => {
          readFile(pidFile, "utf8").then(
            (text) => {
              // writeFileSync creates the file before it writes: an empty read is too early.
              if (text === "") return;
              clearInterval(poll);
              child.kill("SIGKILL");
            },
            () => undefined,
          );
        }, 20);
      },
    });
    // The process we killed is the worker itself, not a wrapper around it.
    expect(Number(await readFile(pidFile, "utf8"))).toBe(killedPid);
    expect(JSON.parse(results[0]!.stdout).n).toBe(0);
    expect(results[1]!.signal).toBe("SIGKILL");
  });
});
