// Type-checks every ```ts block of README.md, docs/*.md, docs/guides/*.md and
// packages/*/README.md against the workspace sources (the "@platform/source" condition,
// strict, as tsconfig.base.json), each block as its own ES module (top-level await allowed).
//   ```ts fragment            skipped on purpose (keep these few)
//   <!-- prelude: shop -->    before a block: prepends scripts/docs-check/preludes/shop.ts
//   ```ts continued           goes on from the page's previous checked block (a guide that is one program)
// Exits 1 and prints file:line for every error.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { readPrelude, typescriptBlocks } from "./docs-check/extract.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

const base = ts.getParsedCommandLineOfConfigFile(
  join(root, "tsconfig.base.json"),
  {},
  {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    },
  },
);
const options = { ...base.options, noEmit: true, declaration: false, sourceMap: false, moduleDetection: ts.ModuleDetectionKind.Force };

const blocks = typescriptBlocks(root);
const checked = blocks.filter((b) => !b.flags.includes("fragment"));
const virtual = new Map(); // path -> { text, block, start: line of the block's first code line, preludeLines }
const chains = new Map(); // file -> the virtual entry of its last checked block
let setupErrors = 0;
for (const block of checked) {
  const path = join(root, `${block.file}.line-${block.line}.ts`);
  const previous = chains.get(block.file);
  let head;
  let preludeLines = 0;
  if (block.flags.includes("continued")) {
    // The block goes on from the previous one of the page: checked with everything before it.
    if (!previous || block.preludes.length > 0) {
      setupErrors++;
      console.error(
        `${block.file}:${block.line}: a "continued" block needs an earlier checked block on the page and takes no prelude of its own`,
      );
      continue;
    }
    head = previous.text;
    preludeLines = previous.preludeLines;
  } else {
    const prelude = block.preludes.map((name) => readPrelude(root, name)).join("\n");
    head = prelude ? `${prelude}\n` : "";
    preludeLines = head ? head.split("\n").length - 1 : 0;
  }
  const entry = { text: `${head}${block.code}\n`, block, start: head.split("\n").length - 1, preludeLines };
  virtual.set(path, entry);
  chains.set(block.file, entry);
}

const host = ts.createCompilerHost(options);
const { getSourceFile, fileExists, readFile } = host;
host.fileExists = (f) => virtual.has(f) || fileExists.call(host, f);
host.readFile = (f) => virtual.get(f)?.text ?? readFile.call(host, f);
host.getSourceFile = (f, lang, ...rest) =>
  virtual.has(f) ? ts.createSourceFile(f, virtual.get(f).text, lang, true) : getSourceFile.call(host, f, lang, ...rest);

const program = ts.createProgram([...virtual.keys()], options, host);
let errors = setupErrors;
for (const d of ts.getPreEmitDiagnostics(program)) {
  const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
  const entry = d.file && virtual.get(d.file.fileName);
  if (!entry) {
    errors++;
    console.error(`${d.file ? d.file.fileName : "tsc"}: TS${d.code} ${message}`);
    continue;
  }
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
  const { block, start, preludeLines } = entry;
  let where;
  if (line >= start) where = `${block.file}:${block.line + 1 + line - start}:${character + 1}`;
  else if (line < preludeLines && !block.flags.includes("continued"))
    where = `${block.file}:${block.line} (in prelude ${block.preludes.join(", ")}, line ${line + 1})`;
  else continue; // in an earlier block of the page: reported where that block is checked
  errors++;
  console.error(`${where}: TS${d.code} ${message}`);
}
const skipped = blocks.length - checked.length;
if (errors > 0) {
  console.error(`docs:check: ${errors} error(s) in ${checked.length} checked blocks`);
  process.exit(1);
}
console.log(`docs:check: ${checked.length} TypeScript blocks type-check (${skipped} marked fragment)`);
