import type { PostingList } from "./posting-list.js";

/** Documents a query word matches with one relevance value: the posting lists giving it. */
export interface SearchLevel {
  readonly value: number;
  readonly lists: readonly PostingList[];
  /** Sum of the lists' lengths (an upper bound of the level's documents). */
  readonly size: number;
}

/** One query word: its levels, best value first. A document's value for the word is its best level's. */
interface SearchWordPlan {
  readonly levels: readonly SearchLevel[];
}

/** A parsed query: every word must match (AND). */
export interface SearchPlan {
  readonly words: readonly SearchWordPlan[];
}

/** A ranked document. */
export interface RankedDoc {
  readonly doc: number;
  readonly score: number;
}

/** Where a page starts: strictly after this (score, doc) in (score desc, doc desc) order. */
export interface RankCursor {
  readonly score: number;
  readonly doc: number;
}

/** Combinations of levels tried one by one before the remaining ranks are computed in one pass. */
const COMBINATION_BUDGET = 32;

/** The union of ascending lists, ascending. */
function unionOf(lists: readonly PostingList[]): Uint32Array {
  const all = new Uint32Array(lists.reduce((n, l) => n + l.length, 0));
  let n = 0;
  for (const list of lists) for (let i = 0; i < list.length; i++) all[n++] = list.at(i);
  all.sort();
  let k = 0;
  for (let i = 0; i < n; i++) if (k === 0 || all[i] !== all[k - 1]) all[k++] = all[i]!;
  return all.subarray(0, k);
}

/** The index of the best level of `word` holding `doc`, looking at levels 0..upTo only; -1 when none. */
function levelOf(word: SearchWordPlan, doc: number, upTo = word.levels.length - 1): number {
  // Indexed loops: this runs per candidate and word, and must allocate nothing (no iterators).
  for (let j = 0; j <= upTo; j++) {
    const lists = word.levels[j]!.lists;
    for (let k = 0; k < lists.length; k++) if (lists[k]!.has(doc)) return j;
  }
  return -1;
}

/** The relevance of a document for the plan, or null when some word does not match it. */
export function scoreOf(plan: SearchPlan, doc: number): number | null {
  let score = 0;
  for (const word of plan.words) {
    const j = levelOf(word, doc);
    if (j < 0) return null;
    score += word.levels[j]!.value;
  }
  return score;
}

/** An upper bound of the documents matching the plan: the rarest word's postings. */
export function candidateBound(plan: SearchPlan): number {
  let best = Infinity;
  for (const word of plan.words)
    best = Math.min(
      best,
      word.levels.reduce((n, l) => n + l.size, 0),
    );
  return plan.words.length === 0 ? 0 : best;
}

/** Every document matching the plan, with its score (documents of the rarest word, each checked). */
export function allMatches(plan: SearchPlan): RankedDoc[] {
  if (plan.words.length === 0) return [];
  let driver = plan.words[0]!;
  for (const word of plan.words)
    if (word.levels.reduce((n, l) => n + l.size, 0) < driver.levels.reduce((n, l) => n + l.size, 0)) driver = word;
  const docs = unionOf(driver.levels.flatMap((l) => l.lists));
  const out: RankedDoc[] = [];
  for (let i = 0; i < docs.length; i++) {
    const score = scoreOf(plan, docs[i]!);
    if (score !== null) out.push({ doc: docs[i]!, score });
  }
  return out;
}

const byRank = (a: RankedDoc, b: RankedDoc) => b.score - a.score || b.doc - a.doc;

/**
 * The first `need` accepted documents in (score desc, doc desc) order after `after`, without
 * scoring every match. A document's score is the sum over words of its best level's value, so
 * the scores are sums of one level per word: the combinations are visited best sum first (a
 * heap), and each is the intersection of one level per word, walked from the highest document
 * down through the smallest level (binary searches in the others) until the page is full. Only
 * when many combinations have been tried without filling the page is the rest ranked in one pass
 * over the rarest word's documents.
 */
export function topByRelevance(plan: SearchPlan, need: number, after: RankCursor | null, accept: (doc: number) => boolean): RankedDoc[] {
  const words = plan.words;
  if (words.length === 0 || words.some((w) => w.levels.length === 0) || need <= 0) return [];
  // A combination (one level per word) is one number in mixed radix (digit i = the level of word
  // i), so the queue and the visited set hold numbers, not arrays and their string keys. At most
  // 18 levels per word (3 typo counts x 3 fields x exact or not) and 10 words: below 2^53.
  const strides: number[] = [];
  for (let i = 0, stride = 1; i < words.length; stride *= words[i]!.levels.length, i++) strides.push(stride);
  const levelIn = (combo: number, i: number) => Math.floor(combo / strides[i]!) % words[i]!.levels.length;
  const sumOf = (combo: number) => {
    let sum = 0;
    for (let i = 0; i < words.length; i++) sum += words[i]!.levels[levelIn(combo, i)]!.value;
    return sum;
  };
  // Few entries: a sorted array (ascending sums, the best at the end) with binary inserts.
  const sums: number[] = [];
  const combos: number[] = [];
  const seen = new Set<number>();
  const push = (combo: number) => {
    if (seen.has(combo)) return;
    seen.add(combo);
    const sum = sumOf(combo);
    let lo = 0;
    let hi = sums.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sums[mid]! <= sum) lo = mid + 1;
      else hi = mid;
    }
    sums.splice(lo, 0, sum);
    combos.splice(lo, 0, combo);
  };
  push(0);
  const out: RankedDoc[] = [];
  const found: number[] = [];
  const batch: number[] = [];
  let tried = 0;
  while (sums.length > 0 && out.length < need) {
    const sum = sums[sums.length - 1]!;
    batch.length = 0;
    while (sums.length > 0 && sums[sums.length - 1] === sum) {
      sums.pop();
      batch.push(combos.pop()!);
    }
    for (const combo of batch) {
      for (let i = 0; i < words.length; i++) if (levelIn(combo, i) + 1 < words[i]!.levels.length) push(combo + strides[i]!);
    }
    if (after && sum > after.score) continue;
    const below = after && sum === after.score ? after.doc : Number.MAX_SAFE_INTEGER;
    found.length = 0;
    for (const combo of batch) intersect(words, combo, levelIn, below, need - out.length, accept, found);
    // Equal scores rank the newer (higher) document first.
    found.sort((a, b) => b - a);
    for (let k = 0; k < found.length && out.length < need; k++) out.push({ doc: found[k]!, score: sum });
    tried += batch.length;
    if (tried >= COMBINATION_BUDGET && out.length < need && sums.length > 0) {
      out.push(...rankRest(plan, sum, after, need - out.length, accept));
      break;
    }
  }
  return out;
}

/** Appends to `out` up to `limit` accepted documents below `below` whose best level for each word is `combo`'s, highest first. */
function intersect(
  words: readonly SearchWordPlan[],
  combo: number,
  levelIn: (combo: number, word: number) => number,
  below: number,
  limit: number,
  accept: (doc: number) => boolean,
  out: number[],
): void {
  let d = 0;
  for (let i = 1; i < words.length; i++) if (words[i]!.levels[levelIn(combo, i)]!.size < words[d]!.levels[levelIn(combo, d)]!.size) d = i;
  const level = words[d]!.levels[levelIn(combo, d)]!;
  let taken = 0;
  const take = (doc: number): boolean => {
    for (let i = 0; i < words.length; i++) {
      const j = levelIn(combo, i);
      if (levelOf(words[i]!, doc, j) !== j) return false;
    }
    if (!accept(doc)) return false;
    out.push(doc);
    return ++taken === limit;
  };
  if (limit <= 0) return;
  // One list (the usual level): walk it directly, no merge.
  if (level.lists.length === 1) {
    const list = level.lists[0]!;
    for (let i = list.lowerBound(below) - 1; i >= 0; i--) if (take(list.at(i))) return;
    return;
  }
  for (const doc of descending(level.lists, below)) if (take(doc)) return;
}

/**
 * The documents of several ascending lists below `below`, highest first, each once: a lazy merge
 * (a binary heap of list heads), so a prefix that expands to many terms costs the documents
 * visited, not the union of its lists.
 */
function* descending(lists: readonly PostingList[], below: number): Generator<number> {
  if (lists.length === 1) {
    const list = lists[0]!;
    for (let i = list.lowerBound(below) - 1; i >= 0; i--) yield list.at(i);
    return;
  }
  const heads: { list: PostingList; i: number }[] = [];
  for (const list of lists) {
    const i = list.lowerBound(below) - 1;
    if (i >= 0) heads.push({ list, i });
  }
  const top = (h: { list: PostingList; i: number }) => h.list.at(h.i);
  const sift = (k: number) => {
    for (;;) {
      const l = 2 * k + 1;
      const r = l + 1;
      let m = k;
      if (l < heads.length && top(heads[l]!) > top(heads[m]!)) m = l;
      if (r < heads.length && top(heads[r]!) > top(heads[m]!)) m = r;
      if (m === k) return;
      [heads[k], heads[m]] = [heads[m]!, heads[k]!];
      k = m;
    }
  };
  for (let k = (heads.length >> 1) - 1; k >= 0; k--) sift(k);
  let last = -1;
  while (heads.length > 0) {
    const h = heads[0]!;
    const doc = top(h);
    if (doc !== last) yield doc;
    last = doc;
    if (--h.i < 0) {
      heads[0] = heads[heads.length - 1]!;
      heads.pop();
    }
    if (heads.length > 0) sift(0);
  }
}

/** The ranks below `sum` in one pass: every match scored, sorted, accepted in order until `need`. */
function rankRest(plan: SearchPlan, sum: number, after: RankCursor | null, need: number, accept: (doc: number) => boolean): RankedDoc[] {
  const rest = allMatches(plan).filter((h) => h.score < sum && (!after || byRank(h, after) > 0));
  rest.sort(byRank);
  const out: RankedDoc[] = [];
  for (const h of rest) {
    if (out.length === need) break;
    if (accept(h.doc)) out.push(h);
  }
  return out;
}
