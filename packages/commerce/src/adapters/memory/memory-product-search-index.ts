import type { Product } from "../../domain/product.js";
import { MAX_QUERY_WORDS, MIN_PREFIX_LENGTH, searchWords, typoBudget } from "../../domain/search-matching.js";
import { PostingList } from "./posting-list.js";
import { MemorySearchVocabulary } from "./memory-search-vocabulary.js";
import {
  allMatches,
  candidateBound,
  scoreOf,
  topByRelevance,
  type RankCursor,
  type SearchLevel,
  type SearchPlan,
} from "./memory-search-ranking.js";

/** Indexed fields and their weights: the name, then SKUs / attributes / variant options, then the description. */
const FIELD_WEIGHTS = [3, 2, 1] as const;
const FIELDS = FIELD_WEIGHTS.length;

/**
 * The relevance of one query word in one document. Ranking rules in Meilisearch's order: fewer
 * typos first, then the better field, then a whole word over a prefix. The typo part dominates
 * any sum of the others over at most {@link MAX_QUERY_WORDS} words.
 */
function levelValue(typos: number, field: number, exact: boolean): number {
  return (2 - typos) * 10_000 + FIELD_WEIGHTS[field]! * 100 + (exact ? 1 : 0);
}

function fieldTexts(p: Product): [string, string, string] {
  const attributes = Object.entries(p.attributes).map(([k, v]) => `${k} ${v}`);
  const options = p.variants.flatMap((v) => Object.values(v.options));
  const skus = [p.sku, ...p.variants.map((v) => v.sku)];
  return [p.name, [...skus, ...attributes, ...options].join(" "), p.description];
}

/** A query parsed against the index, reusable for several reads within one search. */
export type ProductSearchPlan = SearchPlan;

/**
 * The inverted index behind memory product search, built for top-k retrieval: per term and
 * field a posting list of document numbers (typed arrays, ascending); a document number is given
 * to a product once and kept, so newer products rank first among equals and a cursor names a
 * stable position. Words are folded (case and accents) on both sides; the last query word also
 * matches as a prefix; words of 5+ letters match with typos (see `typoBudget`). Only active
 * products are indexed. Not transactional by itself: the memory product repository journals
 * every change so a rollback restores the index too.
 */
export class MemoryProductSearchIndex {
  private readonly vocabulary = new MemorySearchVocabulary();
  private readonly postings: (PostingList | undefined)[] = [];
  private readonly docOf = new Map<string, number>();
  private readonly ids: string[] = [];
  /** Posting keys (term * FIELDS + field) holding each document, to drop it. */
  private readonly keysOf: (Uint32Array | undefined)[] = [];

  /** Indexes or re-indexes a product (or drops it when not active). */
  put(product: Product): void {
    this.drop(product.id);
    if (product.status !== "active") return;
    let doc = this.docOf.get(product.id);
    if (doc === undefined) {
      doc = this.ids.length;
      this.ids.push(product.id);
      this.docOf.set(product.id, doc);
    }
    const keys = new Set<number>();
    fieldTexts(product).forEach((text, field) => {
      for (const word of searchWords(text)) keys.add(this.vocabulary.intern(word) * FIELDS + field);
    });
    const sorted = Uint32Array.from(keys);
    for (const key of sorted) (this.postings[key] ??= new PostingList()).add(doc);
    this.keysOf[doc] = sorted;
  }

  /** Removes a product from the index. */
  drop(id: string): void {
    const doc = this.docOf.get(id);
    if (doc === undefined) return;
    const keys = this.keysOf[doc];
    if (!keys) return;
    for (const key of keys) this.postings[key]!.remove(doc);
    this.keysOf[doc] = undefined;
  }

  /**
   * Parses search text into a plan: up to {@link MAX_QUERY_WORDS} folded words, each with the
   * vocabulary terms it matches (exact, prefix for the last word from 3 characters, typos)
   * grouped into relevance levels. A plan without words matches nothing.
   */
  plan(text: string): ProductSearchPlan {
    const words = searchWords(text).slice(0, MAX_QUERY_WORDS);
    return {
      words: words.map((word, i) => {
        const levels = new Map<number, { lists: PostingList[]; size: number }>();
        const prefix = i === words.length - 1 && word.length >= MIN_PREFIX_LENGTH;
        for (const m of this.vocabulary.match(word, prefix, typoBudget(word))) {
          for (let field = 0; field < FIELDS; field++) {
            const list = this.postings[m.termId * FIELDS + field];
            if (!list || list.length === 0) continue;
            const value = levelValue(m.typos, field, m.exact);
            const level = levels.get(value) ?? { lists: [], size: 0 };
            level.lists.push(list);
            level.size += list.length;
            levels.set(value, level);
          }
        }
        const sorted: SearchLevel[] = [...levels].map(([value, l]) => ({ value, lists: l.lists, size: l.size }));
        return { levels: sorted.sort((a, b) => b.value - a.value) };
      }),
    };
  }

  /**
   * The best `limit` products for a plan, in (score desc, newer first) order, strictly after
   * `after` (a previous page's last product and score), keeping only those `accept` takes.
   * Unknown `after` ids yield null (the cursor names no product this index has seen).
   */
  top(
    plan: ProductSearchPlan,
    limit: number,
    after: { score: number; id: string } | null,
    accept: (id: string) => boolean,
  ): { id: string; score: number }[] | null {
    let cursor: RankCursor | null = null;
    if (after) {
      const doc = this.docOf.get(after.id);
      if (doc === undefined) return null;
      cursor = { score: after.score, doc };
    }
    return topByRelevance(plan, limit, cursor, (doc) => accept(this.ids[doc]!)).map((h) => ({ id: this.ids[h.doc]!, score: h.score }));
  }

  /** The score of a product for a plan, or null when it does not match (or is not indexed). */
  score(plan: ProductSearchPlan, id: string): number | null {
    const doc = this.docOf.get(id);
    return doc === undefined || !this.keysOf[doc] ? null : scoreOf(plan, doc);
  }

  /** Every product matching a plan with its score (cost: the rarest word's postings). */
  matches(plan: ProductSearchPlan): { id: string; score: number }[] {
    return allMatches(plan).map((h) => ({ id: this.ids[h.doc]!, score: h.score }));
  }

  /** An upper bound of the number of products matching a plan, read without walking postings. */
  bound(plan: ProductSearchPlan): number {
    return candidateBound(plan);
  }

  /** Ids and scores of the products matching every word, best first (every match ranked). */
  search(text: string): { id: string; score: number }[] {
    return this.matches(this.plan(text)).sort((a, b) => b.score - a.score || this.docOf.get(b.id)! - this.docOf.get(a.id)!);
  }
}
