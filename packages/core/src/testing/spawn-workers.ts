import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { ConfigurationError } from "../errors/errors.js";

/** What one worker process printed and how it ended. */
export interface WorkerResult {
  readonly index: number;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link spawnWorkers}. */
export interface SpawnWorkersOptions {
  /** Arguments for worker `index` (default: none). */
  args?: (index: number) => string[];
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Kill a worker still running after this many ms (default 60 s). */
  timeoutMs?: number;
  /** Export conditions (default `@platform/source`, so workers run on source). */
  conditions?: readonly string[];
  /** Called with each started process, e.g. to SIGKILL it mid-work in a crash test. */
  onSpawn?: (index: number, child: ChildProcess) => void;
}

// tsx's loader registered with --import keeps each worker ONE process, so a signal sent to
// the child reaches the worker itself (the tsx CLI would relay through a second process).
function tsxLoader(): string {
  try {
    return pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
  } catch (cause) {
    throw new ConfigurationError("missing_dependency", "install 'tsx' (a dev dependency) to run TypeScript worker processes", { cause });
  }
}

/**
 * Starts `count` separate Node processes running a TypeScript file (through tsx) at once and
 * waits for all of them: the multi-process tests use it to race app servers on one database.
 * @example
 * ```ts
 * const results = await spawnWorkers(fileURLToPath(new URL("./checkout-worker.ts", import.meta.url)), 4, { args: (i) => [dbUrl, String(i)] });
 * ```
 */
export async function spawnWorkers(file: string, count: number, options: SpawnWorkersOptions = {}): Promise<WorkerResult[]> {
  const loader = tsxLoader();
  const conditions = (options.conditions ?? ["@platform/source"]).map((c) => `--conditions=${c}`);
  return Promise.all(
    Array.from({ length: count }, (_, index) => {
      return new Promise<WorkerResult>((resolve, reject) => {
        const child = spawn(process.execPath, [...conditions, `--import=${loader}`, file, ...(options.args?.(index) ?? [])], {
          env: { ...process.env, ...options.env },
          stdio: ["ignore", "pipe", "pipe"],
        });
        options.onSpawn?.(index, child);
        let stdout = "";
        let stderr = "";
        child.stdout!.on("data", (c: Buffer) => (stdout += c.toString()));
        child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
        const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
        child.on("error", reject);
        child.on("close", (code, signal) => {
          clearTimeout(timer);
          resolve({ index, code, signal, stdout, stderr });
        });
      });
    }),
  );
}
