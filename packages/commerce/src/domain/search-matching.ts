import { foldText } from "./text.js";

/** Query words beyond this many are ignored (as Meilisearch does): each word multiplies the work. */
export const MAX_QUERY_WORDS = 10;

/** The last query word is matched as a prefix from this many characters (search as you type). */
export const MIN_PREFIX_LENGTH = 3;

/**
 * The words of a text as search compares them: folded (case and accents removed, NFKD) runs of
 * letters and digits, so punctuation and query syntax are separators.
 * @example
 * ```ts
 * searchWords("Crème & brûlée!"); // ["creme", "brulee"]
 * ```
 */
export function searchWords(text: string): string[] {
  return foldText(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * The typos a query word may carry (Meilisearch's defaults): none under 5 characters, one from
 * 5 to 8, two from 9. Words holding a digit get none: a model number or size one keystroke
 * away is another product, not a misspelling.
 */
export function typoBudget(word: string): 0 | 1 | 2 {
  if (/\p{N}/u.test(word)) return 0;
  const length = [...word].length;
  return length < 5 ? 0 : length < 9 ? 1 : 2;
}

/**
 * The optimal-string-alignment (restricted Damerau-Levenshtein) distance between two words,
 * where a swap of two adjacent letters counts as ONE edit ("keybaord" is one typo from
 * "keyboard"), or `max + 1` as soon as it is known to exceed `max`. Compares UTF-16 code units:
 * folded words are NFKD, so letters outside the BMP are rare and count as two at worst.
 * @example
 * ```ts
 * osaDistance("keybaord", "keyboard", 2); // 1
 * ```
 */
export function osaDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1))
        d = Math.min(d, prev2[j - 2]! + 1);
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return Math.min(prev[n]!, max + 1);
}

/**
 * How many deletions of a catalog word an index keeps so that any query word within its typo
 * budget finds it: a query word of 9+ characters (2 typos) reaches words of 7+, one of 5-8
 * (1 typo) words of 4+. Words holding a digit are never typo targets.
 */
export function deletionDepth(word: string): 0 | 1 | 2 {
  if (/\p{N}/u.test(word)) return 0;
  return word.length >= 7 ? 2 : word.length >= 4 ? 1 : 0;
}

/**
 * The strings left after deleting up to `depth` characters of `word` (the word itself
 * included): two words are within `d` edits (swaps included) only if their deletion sets at
 * depth `d` meet, which lets an index find typo candidates by lookups instead of a scan.
 */
export function deletionNeighbourhood(word: string, depth: number): Set<string> {
  const out = new Set<string>([word]);
  let frontier = [word];
  for (let level = 0; level < depth; level++) {
    const next: string[] = [];
    for (const w of frontier) {
      for (let i = 0; i < w.length; i++) {
        const d = w.slice(0, i) + w.slice(i + 1);
        if (!out.has(d)) {
          out.add(d);
          next.push(d);
        }
      }
    }
    frontier = next;
  }
  return out;
}
