import { defineConfig } from "vitest/config";

// Tests and benchmarks run on source: the "@platform/source" export condition points
// every @platform/* import at src/. Vitest reads Node conditions from ssr.resolve, and
// setting them replaces Vite's defaults, so those are listed too.
const conditions = ["@platform/source", "module", "node", "development|production"];
// Vitest also hands the SSR conditions to Node (--conditions) for external packages; "module" there
// makes Node pick bundler-only builds (@opentelemetry/api's extensionless ESM), so Node gets none.
const nodeConditions = conditions.filter((c) => c !== "module");

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions: nodeConditions, externalConditions: ["@platform/source"] } },
  test: {
    include: ["packages/*/src/**/*.test.ts", "packages/*/test/**/*.test.ts", "examples/http-server/test/**/*.test.ts"],
    globalSetup: ["./vitest.global-setup.ts"],
    // Vitest's default is one worker per core minus one: a single file at a time on 2 cores. Most
    // files wait on PostgreSQL or on child processes, so two at a time keep both cores busy.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    benchmark: { include: ["packages/*/bench/**/*.bench.ts"] },
  },
});
