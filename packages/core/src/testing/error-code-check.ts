import { readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ErrorCodeTable } from "../errors/error-codes.js";

/** A code literal found at a throw site that no code table declares. */
export interface UndeclaredCode {
  readonly file: string;
  readonly line: number;
  readonly code: string;
}

// Places where a code is given to an error as a literal: constructors and factories of the error
// classes, zod refinements (`params: { code }`), issue objects and withErrorCode().
const CODE_SITES = [
  /new [A-Za-z]*Error\(\s*"([a-z0-9_]+)"/g,
  /NotFoundError\.of\(\s*"([a-z0-9_]+)"/g,
  /ValidationError\.field\(\s*"([a-z0-9_]+)"/g,
  /withErrorCode\([^;]*?,\s*"([a-z0-9_]+)"\s*\)/g,
  /params:\s*\{\s*code:\s*"([a-z0-9_]+)"/g,
  /message:[^{}]*?\bcode:\s*"([a-z0-9_]+)"/g,
];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (name.endsWith(".ts") && !name.endsWith(".test.ts") && !name.endsWith(".d.ts")) out.push(path);
  }
  return out;
}

/**
 * Every literal error code under `srcDir` (tests excluded) that none of `tables` declares. Codes
 * built from a table's constants (`codes.order_not_found`) are checked by the compiler instead.
 * @example
 * ```ts
 * expect(undeclaredErrorCodes("packages/commerce/src", [CORE_ERROR_CODES, COMMERCE_ERROR_CODES])).toEqual([]);
 * ```
 */
export function undeclaredErrorCodes(srcDir: string, tables: readonly ErrorCodeTable[]): UndeclaredCode[] {
  const known = new Set(tables.flatMap((t) => Object.keys(t)));
  const found: UndeclaredCode[] = [];
  for (const file of sourceFiles(srcDir)) {
    // Comments hold examples of other packages' codes: blanked, keeping line numbers.
    const text = readFileSync(file, "utf8")
      .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, " "))
      .replace(/^\s*\/\/.*$/gm, "");
    for (const site of CODE_SITES) {
      for (const m of text.matchAll(site)) {
        const code = m[1]!;
        if (!known.has(code)) found.push({ file, line: text.slice(0, m.index).split("\n").length, code });
      }
    }
  }
  return found;
}

const BEGIN = (name: string) => `<!-- error-codes:begin ${name} -->`;
const END = "<!-- error-codes:end -->";

/** The markdown table of a code table, sorted by kind then code: what the docs hold between the markers. */
export function renderErrorCodeTable(table: ErrorCodeTable): string {
  const rows = Object.entries(table)
    .sort(([a, x], [b, y]) => x.kind.localeCompare(y.kind) || a.localeCompare(b))
    .map(([code, info]) => `| \`${code}\` | ${info.kind} | ${info.description.replaceAll("|", "\\|")} |`);
  return ["| code | kind | when |", "|---|---|---|", ...rows].join("\n");
}

/**
 * Compares the code table between `<!-- error-codes:begin NAME -->` and `<!-- error-codes:end -->`
 * in a markdown file with the rendered `table`; with `write`, rewrites it instead.
 * @returns `null` when they match (or were written), else what the docs should hold.
 */
export function checkErrorCodeDocs(markdownPath: string, name: string, table: ErrorCodeTable, write = false): string | null {
  const text = readFileSync(markdownPath, "utf8");
  const start = text.indexOf(BEGIN(name));
  const end = text.indexOf(END, start);
  const expected = renderErrorCodeTable(table);
  if (start < 0 || end < 0) return `${markdownPath} has no ${BEGIN(name)} ... ${END} block; it should hold:\n${expected}`;
  const current = text.slice(start + BEGIN(name).length, end).trim();
  if (current === expected) return null;
  if (write) {
    writeFileSync(markdownPath, `${text.slice(0, start + BEGIN(name).length)}\n${expected}\n${text.slice(end)}`);
    return null;
  }
  return expected;
}
