/**
 * Third-party in-memory engines for the search bench, loaded only when SEARCH_BENCH_ENGINES names
 * a node_modules folder holding them (they are not dependencies of the package):
 *   mkdir /tmp/engines && cd /tmp/engines && npm init -y && npm i minisearch@7.2.0 flexsearch@0.8.212 @orama/orama@3.1.18
 *   SEARCH_BENCH_ENGINES=/tmp/engines/node_modules corepack pnpm exec vitest bench --run packages/commerce/bench/search.bench.ts
 * Each gets the same products (three fields: name, SKUs + attributes, description) and the same
 * queries, configured as close to the SDK's semantics as it allows (noted per engine).
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { foldText, type Product } from "../src/index.js";
import { typoBudget } from "../src/domain/search-matching.js";

/** An engine under test: builds an index, then answers a query with up to `limit` ids. */
export interface BenchEngine {
  readonly name: string;
  readonly semantics: string;
  build(products: readonly Product[]): Promise<(text: string, limit: number) => Promise<string[]> | string[]>;
}

const details = (p: Product) => [p.sku, ...Object.entries(p.attributes).flat()].join(" ");

async function load(dir: string, name: string, entry: string): Promise<Record<string, unknown>> {
  return (await import(pathToFileURL(join(dir, name, entry)).href)) as Record<string, unknown>;
}

/** The engines found in SEARCH_BENCH_ENGINES (none when unset). */
export async function externalEngines(): Promise<BenchEngine[]> {
  const dir = process.env.SEARCH_BENCH_ENGINES;
  if (!dir) return [];
  const MiniSearch = (await load(dir, "minisearch", "dist/es/index.js")).default as new (o: object) => {
    addAll(d: object[]): void;
    search(q: string): { id: string }[];
  };
  const flex = (await load(dir, "flexsearch", "dist/flexsearch.bundle.module.min.mjs")) as {
    Index: new (o: object) => { add(id: number, text: string): void; search(q: string, o: object): number[] };
  };
  const orama = (await load(dir, "@orama/orama", "dist/esm/index.js")) as {
    create(o: object): unknown;
    insertMultiple(db: unknown, docs: object[], batch?: number): unknown;
    search(db: unknown, o: object): Promise<{ hits: { id: string }[] }> | { hits: { id: string }[] };
  };
  return [
    {
      name: "MiniSearch 7.2.0",
      semantics: "BM25, AND, prefix on the last word, typos by Levenshtein (a swap = 2) with the same length budget",
      async build(products) {
        const ms = new MiniSearch({
          fields: ["name", "details", "description"],
          processTerm: (t: string) => foldText(t) || null,
          searchOptions: {
            boost: { name: 3, details: 2 },
            combineWith: "AND",
            prefix: (t: string, i: number, all: string[]) => i === all.length - 1 && t.length >= 3,
            fuzzy: (t: string) => typoBudget(t) || false,
          },
        });
        ms.addAll(products.map((p) => ({ id: p.id, name: p.name, details: details(p), description: p.description })));
        return (text, limit) =>
          ms
            .search(text)
            .slice(0, limit)
            .map((r) => r.id);
      },
    },
    {
      name: "FlexSearch 0.8.212",
      semantics: "one Index over the three fields, tokenize forward (every word a prefix), AND; no edit-distance typos",
      async build(products) {
        const index = new flex.Index({ tokenize: "forward", encoder: "Normalize", resolution: 9 });
        products.forEach((p, i) => index.add(i, foldText(`${p.name} ${details(p)} ${p.description}`)));
        return (text, limit) => index.search(foldText(text), { limit }).map((i) => products[i]!.id);
      },
    },
    {
      name: "Orama 3.1.18",
      semantics: "BM25, every term required (threshold 0), prefix on every word, tolerance 1 (Levenshtein) on every word",
      async build(products) {
        const db = orama.create({ schema: { name: "string", details: "string", description: "string" } });
        await orama.insertMultiple(
          db,
          products.map((p) => ({ id: p.id, name: foldText(p.name), details: foldText(details(p)), description: foldText(p.description) })),
          5_000,
        );
        return async (text, limit) =>
          (await orama.search(db, { term: foldText(text), limit, tolerance: 1, threshold: 0, boost: { name: 3, details: 2 } })).hits.map(
            (h) => h.id,
          );
      },
    },
  ];
}
