import { defineConfig } from "tsup";

export default defineConfig({
  entry: {
    index: "src/index.ts",
    "testing/index": "src/testing/index.ts",
    "payments/index": "src/adapters/payments/index.ts",
    "smtp/index": "src/adapters/smtp/index.ts",
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
  // The CJS build of the postgres entry resolves ./migrations/ through import.meta.url.
  shims: true,
  onSuccess: "mkdir -p dist/postgres && cp -r src/adapters/postgres/migrations dist/postgres/",
});
