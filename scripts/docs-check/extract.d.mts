/** A fenced code block of a markdown file. */
export interface DocBlock {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  /** Words after the language: `fragment`, `continued`. */
  flags: string[];
  preludes: string[];
  code: string;
}
export function docFiles(root: string): string[];
export function extractBlocks(text: string, file: string): DocBlock[];
export function typescriptBlocks(root: string): DocBlock[];
export function readPrelude(root: string, name: string): string;
