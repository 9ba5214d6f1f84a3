import { deletionDepth, deletionNeighbourhood, osaDistance } from "../../domain/search-matching.js";

/** A vocabulary term matched by a query word: how many typos it took, and whether it is the whole word. */
export interface TermMatch {
  readonly termId: number;
  readonly typos: number;
  readonly exact: boolean;
}

/** 32-bit FNV-1a: deletion strings are keyed by hash (collisions only add candidates, each verified). */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const PENDING_LIMIT = 2048;

/** Position of the first term >= `term` in a sorted array (UTF-16 order). */
function lowerBound(terms: readonly string[], term: string): number {
  let lo = 0;
  let hi = terms.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (terms[mid]! < term) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The distinct terms of the catalog, numbered: exact lookup, prefix ranges (a sorted array plus a
 * small unsorted tail merged in batches, so adding terms stays cheap) and typo candidates from a
 * deletion index (symmetric-delete, as SymSpell): a query word's deletions are looked up, never
 * the whole vocabulary scanned. Terms are never removed: a term no product holds anymore has
 * empty posting lists and costs a few bytes.
 */
export class MemorySearchVocabulary {
  private readonly ids = new Map<string, number>();
  private readonly terms: string[] = [];
  private sorted: string[] = [];
  private pending: string[] = [];
  private readonly deletions = new Map<number, number | number[]>();

  /** The id of a term, adding it when new. */
  intern(term: string): number {
    let id = this.ids.get(term);
    if (id !== undefined) return id;
    id = this.terms.length;
    this.ids.set(term, id);
    this.terms.push(term);
    // The tail stays sorted (a binary insert into at most PENDING_LIMIT terms), so prefix reads
    // are two binary searches, never a scan.
    this.pending.splice(lowerBound(this.pending, term), 0, term);
    if (this.pending.length >= PENDING_LIMIT) this.mergePending();
    for (const d of deletionNeighbourhood(term, deletionDepth(term))) {
      const h = hash(d);
      const at = this.deletions.get(h);
      if (at === undefined) this.deletions.set(h, id);
      else if (typeof at === "number") this.deletions.set(h, [at, id]);
      else at.push(id);
    }
    return id;
  }

  /** The number of distinct terms. */
  get size(): number {
    return this.terms.length;
  }

  /**
   * The terms a query word matches: itself (exact), the terms it begins (when `prefix`), and the
   * terms within `typos` edits (a swap of adjacent letters is one edit), each with its best match.
   */
  match(word: string, prefix: boolean, typos: number): TermMatch[] {
    const best = new Map<number, TermMatch>();
    const offer = (m: TermMatch) => {
      const seen = best.get(m.termId);
      if (!seen || m.typos < seen.typos || (m.typos === seen.typos && m.exact && !seen.exact)) best.set(m.termId, m);
    };
    const exact = this.ids.get(word);
    if (exact !== undefined) offer({ termId: exact, typos: 0, exact: true });
    if (prefix) for (const term of this.withPrefix(word)) if (term !== word) offer({ termId: this.ids.get(term)!, typos: 0, exact: false });
    if (typos > 0) {
      for (const d of deletionNeighbourhood(word, typos)) {
        const at = this.deletions.get(hash(d));
        if (at === undefined) continue;
        for (const termId of typeof at === "number" ? [at] : at) {
          if (best.has(termId)) continue;
          const distance = osaDistance(word, this.terms[termId]!, typos);
          if (distance > 0 && distance <= typos) offer({ termId, typos: distance, exact: false });
        }
      }
    }
    return [...best.values()];
  }

  /** Every known term starting with `prefix`. */
  private *withPrefix(prefix: string): Generator<string> {
    for (const terms of [this.sorted, this.pending]) {
      for (let i = lowerBound(terms, prefix); i < terms.length && terms[i]!.startsWith(prefix); i++) yield terms[i]!;
    }
  }

  private mergePending(): void {
    const add = this.pending;
    const out = new Array<string>(this.sorted.length + add.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < this.sorted.length && j < add.length) out[k++] = this.sorted[i]! < add[j]! ? this.sorted[i++]! : add[j++]!;
    while (i < this.sorted.length) out[k++] = this.sorted[i++]!;
    while (j < add.length) out[k++] = add[j++]!;
    this.sorted = out;
    this.pending = [];
  }
}
