import { defineConfig } from "tsup";

export default defineConfig({
  entry: {
    index: "src/index.ts",
    "testing/index": "src/testing/index.ts",
    "postgres/index": "src/adapters/postgres/index.ts",
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
  // import.meta.url (used to find ./migrations/) in the CommonJS build too.
  shims: true,
  // The SQL files ship next to the bundled postgres entry, which loads ./migrations/.
  onSuccess: "mkdir -p dist/postgres && cp -r src/adapters/postgres/migrations dist/postgres/",
});
