/**
 * The two generated catalogs of the search bench (deterministic): a catalog-like vocabulary
 * (uniform draws from adjectives, nouns, brands and 1,728 generated words) and a heavy-tailed
 * one (Zipf, s = 1, over 20,000 generated words, so the most common word is in over half the
 * catalog), each with its queries by kind: one word, two words, typo, prefix, filtered, page 2.
 */
import { createId, Money } from "@platform/core";
import type { Product } from "../src/index.js";
import { ADJ, BRAND, COLOUR, COMMON, NOUN, WORDS } from "./catalog-vocabulary.js";

// mulberry32: a plain LCG's low bits cycle, which made every product draw the same "common" word.
let seed = 7;
const rnd = (n: number) => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
};
const pick = <T>(a: readonly T[]) => a[rnd(a.length)]!;

/** A query of the bench and its kind. */
export interface BenchQuery {
  readonly kind: "one word" | "two words" | "typo" | "prefix" | "filtered" | "page 2";
  readonly text: string;
  readonly maxPrice?: string;
}

/** A generated catalog with its queries. */
export interface BenchCatalog {
  readonly name: string;
  readonly products: Product[];
  readonly queries: readonly BenchQuery[];
  /** Share of the catalog the query's most common word matches (printed). */
  readonly commonWord: string;
}

function product(i: number, name: string, description: string, attributes: Record<string, string>): Product {
  const at = new Date(Date.UTC(2026, 0, 1) + i * 1000);
  return {
    id: createId("prod"),
    sku: `GEN-${i}`,
    name,
    description,
    price: Money.fromMinor(100 + rnd(100_000), "USD"),
    categoryId: null,
    status: "active",
    images: [],
    attributes,
    variants: [],
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
}

/** The catalog-like vocabulary (uniform draws). */
export function uniformCatalog(n: number): BenchCatalog {
  seed = 7;
  const products = Array.from({ length: n }, (_, i) =>
    product(
      i,
      `${pick(BRAND)} ${pick(ADJ)} ${pick(ADJ)} ${pick(NOUN)} ${i}`,
      [...Array.from({ length: 8 }, () => pick(WORDS)), pick(COMMON), pick(COMMON)].join(" "),
      { brand: pick(BRAND), colour: pick(COLOUR) },
    ),
  );
  const queries: BenchQuery[] = [
    { kind: "one word", text: "wireless" },
    { kind: "one word", text: "kalomi" },
    { kind: "one word", text: "bluetooth" },
    { kind: "two words", text: "wireless mouse" },
    { kind: "two words", text: "Creme brulee" },
    { kind: "two words", text: "gaming chair" },
    { kind: "two words", text: "silent graphite" },
    { kind: "typo", text: "keybaord" },
    { kind: "typo", text: "wireles mouse" },
    { kind: "typo", text: "bluetoth speaker" },
    { kind: "typo", text: "rechargaeble" },
    { kind: "prefix", text: "logitech keyb" },
    { kind: "prefix", text: "blu" },
    { kind: "prefix", text: "portable spea" },
    { kind: "filtered", text: "bluetooth", maxPrice: "50.00" },
    { kind: "page 2", text: "durable" },
  ];
  return { name: "uniform (catalog-like)", products, queries, commonWord: "bluetooth" };
}

/** A heavy-tailed vocabulary: Zipf (s = 1) over 20,000 words; the top word is in over half the products. */
export function zipfCatalog(n: number): BenchCatalog {
  seed = 11;
  const letters = "bcdfghklmnprstvz";
  const vowels = "aeiou";
  const seen = new Set<string>();
  const vocab: string[] = [];
  while (vocab.length < 20_000) {
    let w = "";
    const syllables = 2 + rnd(4);
    for (let s = 0; s < syllables; s++) w += letters[rnd(letters.length)]! + vowels[rnd(vowels.length)]!;
    if (!seen.has(w)) {
      seen.add(w);
      vocab.push(w);
    }
  }
  // Cumulative Zipf weights, drawn by binary search.
  const cumulative: number[] = [];
  let total = 0;
  for (let r = 1; r <= vocab.length; r++) cumulative.push((total += 1 / r));
  const draw = () => {
    const x = (rnd(1 << 30) / (1 << 30)) * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return vocab[lo]!;
  };
  const words = (k: number) => Array.from({ length: k }, draw).join(" ");
  const products = Array.from({ length: n }, (_, i) => product(i, `${words(4)} ${i}`, words(10), { colour: pick(COLOUR) }));
  const [top, second] = [vocab[0]!, vocab[1]!];
  const mid = vocab[300]!;
  const rare = vocab[15_000]!;
  const long = vocab.find((w, r) => r > 50 && w.length >= 9)!;
  const swap = (w: string) => w.slice(0, 2) + w[3] + w[2] + w.slice(4);
  const queries: BenchQuery[] = [
    { kind: "one word", text: top },
    { kind: "one word", text: mid },
    { kind: "one word", text: rare },
    { kind: "two words", text: `${top} ${second}` },
    { kind: "two words", text: `${top} ${mid}` },
    { kind: "two words", text: `${mid} ${rare}` },
    { kind: "typo", text: swap(top.length >= 5 ? top : long) },
    { kind: "typo", text: `${top} ${swap(long)}` },
    { kind: "typo", text: long.slice(0, 4) + "x" + long.slice(5) },
    { kind: "prefix", text: top.slice(0, 3) },
    { kind: "prefix", text: `${top} ${mid.slice(0, 3)}` },
    { kind: "filtered", text: top, maxPrice: "20.00" },
    { kind: "page 2", text: top },
  ];
  return { name: "Zipf (heavy-tailed)", products, queries, commonWord: top };
}
