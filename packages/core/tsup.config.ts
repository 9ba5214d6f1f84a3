import { defineConfig } from "tsup";

export default defineConfig({
  entry: {
    index: "src/index.ts",
    "postgres/index": "src/postgres/index.ts",
    "testing/index": "src/testing/index.ts",
  },
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  // esbuild renames bundled classes (_ValidationError); err.name and toJSON() must show the real names.
  keepNames: true,
  // No source maps: they would point at sources the package does not ship.
  sourcemap: false,
  target: "node20",
  tsconfig: "tsconfig.build.json",
  // import.meta.url in the test-server helper needs a shim in the CJS build.
  shims: true,
});
