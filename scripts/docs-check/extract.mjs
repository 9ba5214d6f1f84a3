// Finds the ```ts blocks of the docs so they can be type-checked (check-docs.mjs) or run
// (the guide tests). Shared so both read the markdown the same way.
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join, relative } from "node:path";

/** The markdown files whose code blocks are checked, relative to the workspace root. */
export function docFiles(root) {
  const list = (dir, pick) =>
    existsSync(join(root, dir))
      ? readdirSync(join(root, dir))
          .filter(pick)
          .sort()
          .map((f) => join(dir, f))
      : [];
  const md = (f) => f.endsWith(".md");
  const packageReadmes = list("packages", () => true)
    .map((dir) => join(dir, "README.md"))
    .filter((f) => existsSync(join(root, f)));
  return ["README.md", ...list("docs", md), ...list("docs/guides", md), ...packageReadmes];
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)\s*(.*)$/;
const PRELUDE = /^<!--\s*prelude:\s*([\w\s,-]+?)\s*-->$/;

/**
 * Every fenced block of one markdown file, with its language, flags and prelude names.
 * A block is `fragment` when its info string says so (```ts fragment) and then skipped by the checker.
 * `<!-- prelude: a, b -->` on the last non-blank line before the fence names the preludes it needs.
 */
export function extractBlocks(text, file) {
  const lines = text.split(/\r?\n/);
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, lang, rest] = open;
    let end = i + 1;
    const closes = (l) => l.trim().length >= fence.length && [...l.trim()].every((c) => c === fence[0]);
    while (end < lines.length && !closes(lines[end])) end++;
    if (end >= lines.length) throw new Error(`${file}:${i + 1}: code fence never closed`);
    let before = i - 1;
    while (before >= 0 && lines[before].trim() === "") before--;
    const prelude = before >= 0 ? PRELUDE.exec(lines[before].trim()) : null;
    blocks.push({
      file,
      line: i + 1, // 1-based line of the opening fence
      lang: lang.toLowerCase(),
      flags: rest.split(/\s+/).filter(Boolean),
      preludes: prelude
        ? prelude[1]
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean)
        : [],
      code: lines
        .slice(i + 1, end)
        .map((l) => (indent && l.startsWith(indent) ? l.slice(indent.length) : l))
        .join("\n"),
    });
    i = end;
  }
  return blocks;
}

/** The TypeScript blocks of every checked file. */
export function typescriptBlocks(root) {
  return docFiles(root)
    .flatMap((file) => extractBlocks(readFileSync(join(root, file), "utf8"), file))
    .filter((b) => b.lang === "ts" || b.lang === "typescript");
}

/** Reads a named prelude (scripts/docs-check/preludes/<name>.ts). */
export function readPrelude(root, name) {
  const path = join(root, "scripts/docs-check/preludes", `${name}.ts`);
  if (!/^[\w-]+$/.test(name) || !existsSync(path)) throw new Error(`unknown prelude "${name}" (no ${relative(root, path)})`);
  return readFileSync(path, "utf8");
}
