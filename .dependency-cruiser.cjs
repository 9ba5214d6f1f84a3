// Import rules checked in CI by `corepack pnpm lint:cycles` (dependency-cruiser).
// Scope: packages/*/src and examples, resolved the way tsc resolves them (tsconfig.json, the
// `@platform/source` export condition), type-only imports included: a cycle through types still
// ties two files together. The layering rules are those of /work/shared/DESIGN.md:
// domain <- ports <- services <- adapters, and no package reaches into another package's adapters.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "Import cycles make load order matter and hide which concept owns a type: extract the shared part.",
      from: {},
      to: { circular: true },
    },
    {
      name: "domain-is-pure",
      severity: "error",
      comment: "domain/ holds pure rules: it must not import services or adapters.",
      from: { path: "^packages/([^/]+)/src/domain/" },
      to: { path: "^packages/[^/]+/src/(services|adapters)/" },
    },
    {
      name: "ports-are-interfaces",
      severity: "error",
      comment: "ports/ declares interfaces: it must not import services or adapters.",
      from: { path: "^packages/([^/]+)/src/ports/" },
      to: { path: "^packages/[^/]+/src/(services|adapters)/" },
    },
    {
      name: "services-not-adapters",
      severity: "error",
      comment: "services/ depend on ports, never on a concrete adapter.",
      from: { path: "^packages/([^/]+)/src/services/" },
      to: { path: "^packages/[^/]+/src/adapters/" },
    },
    {
      name: "no-foreign-adapters",
      severity: "error",
      comment: "No package imports another package's adapters.",
      from: { path: "^packages/([^/]+)/src/" },
      to: { path: "^packages/[^/]+/src/adapters/", pathNot: "^packages/$1/src/adapters/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(dist|node_modules)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["@platform/source", "import", "require", "node", "default", "types"],
      mainFields: ["module", "main", "types", "typings"],
      extensions: [".ts", ".d.ts", ".js", ".mjs", ".cjs"],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
