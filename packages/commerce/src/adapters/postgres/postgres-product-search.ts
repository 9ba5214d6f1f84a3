import { z } from "zod";
import type { CursorCodec, Page } from "@platform/core";
import { MAX_QUERY_WORDS, MIN_PREFIX_LENGTH, searchWords } from "../../domain/search-matching.js";
import type { ProductHit, ProductSearchQuery, ProductSort } from "../../ports/product-repository.js";
import { PRODUCT_COLUMNS, toProduct, type ProductRow } from "./product-rows.js";
import type { Sql } from "./sql-runner.js";
import { typoAlternatives } from "./postgres-search-vocabulary.js";

const sortKeySchema = z.tuple([z.union([z.number(), z.string()]), z.string()]);

/**
 * The terms of user search text: folded runs of letters and digits, so no operator, quote,
 * colon or backslash of the text survives. Empty when the text holds no term.
 * @example
 * ```ts
 * searchTerms("Crème & brûlée!"); // ["creme", "brulee"]
 * ```
 */
export function searchTerms(text: string): string[] {
  return searchWords(text);
}

/**
 * A `to_tsquery('simple', ...)` SQL expression over one parameter per term (added with `param`):
 * every term required, the last one a prefix when it has 3+ characters (search-as-you-type, as
 * the memory index does), each term OR its `alternatives[i]` (typo matches, whole words). Each
 * term is folded by the database's `commerce_fold` first and
 * quoted after: unaccent() turns some letters into tsquery syntax (ʼ U+02BC and ˈ into `'`,
 * ŉ into `'n`), so quoting before folding let a letter end the quote. Inside a quoted lexeme
 * only `'` and `\` are special and both are escaped, so no term can make the query fail to parse
 * (a term left without a lexeme is dropped by `to_tsquery`).
 * @example
 * ```ts
 * const params: unknown[] = [];
 * const sql = tsQuerySql(searchTerms(text), (v) => `$${params.push(v)}`);
 * ```
 */
export function tsQuerySql(
  terms: readonly string[],
  param: (value: unknown) => string,
  alternatives: readonly (readonly string[])[] = [],
): string {
  const quoted = terms.map((term, i) => {
    const exact = lexemeSql(term, i === terms.length - 1 && term.length >= MIN_PREFIX_LENGTH, param);
    const others = alternatives[i] ?? [];
    return others.length === 0 ? exact : `'(' || ${[exact, ...others.map((a) => lexemeSql(a, false, param))].join(" || ' | ' || ")} || ')'`;
  });
  return `to_tsquery('simple', ${quoted.join(" || ' & ' || ")})`;
}

function lexemeSql(term: string, prefix: boolean, param: (value: unknown) => string): string {
  const lexeme = `'''' || replace(replace(commerce_fold(${param(term)}), '\\', '\\\\'), '''', '''''') || ''''`;
  return prefix ? `${lexeme} || ':*'` : lexeme;
}

/**
 * The relevance of a text search: with typo alternatives, the number of words a product matches
 * without a typo first (Meilisearch's typo rule), then `ts_rank` scaled into [0, 1); else `ts_rank`.
 */
function rankSql(
  terms: readonly string[],
  alternatives: readonly (readonly string[])[],
  query: string,
  param: (value: unknown) => string,
): string {
  const typoWords = terms.flatMap((_, i) => ((alternatives[i] ?? []).length > 0 ? [i] : []));
  if (typoWords.length === 0) return `ts_rank(p.search, ${query})`;
  const exact = typoWords.map(
    (i) =>
      `(p.search @@ to_tsquery('simple', ${lexemeSql(terms[i]!, i === terms.length - 1 && terms[i]!.length >= MIN_PREFIX_LENGTH, param)}))::int`,
  );
  return `((${exact.join(" + ")})::real + ts_rank(p.search, ${query}, 32))::real`;
}

interface SortPlan {
  /** Primary key expression of the page (inner query, `p` = products). */
  key: string;
  /** The same key as a column of the `page` CTE. */
  outer: string;
  dir: "ASC" | "DESC";
  /** SQL cast of the cursor's primary value. */
  cursorValue: (param: string) => string;
}

function plan(sort: ProductSort, rank: string | null): SortPlan {
  switch (sort) {
    case "relevance":
      return { key: rank ?? "0::real", outer: "page.score", dir: "DESC", cursorValue: (v) => `${v}::real` };
    case "price_asc":
      return { key: "p.price_minor", outer: "page.price_minor", dir: "ASC", cursorValue: (v) => `${v}::bigint` };
    case "price_desc":
      return { key: "p.price_minor", outer: "page.price_minor", dir: "DESC", cursorValue: (v) => `${v}::bigint` };
    case "newest":
      return {
        key: "p.created_at",
        outer: "page.created_at",
        dir: "DESC",
        cursorValue: (v) => `(timestamptz 'epoch' + ${v}::bigint * interval '1 millisecond')`,
      };
  }
}

interface PageRow extends ProductRow {
  score: number;
  price_minor_key: string;
  created_ms: string;
}

/**
 * Product search in one statement: the GIN-indexed `search @@ tsquery` (or, without text, a
 * walk of the price / newest / id index), the filters as `EXISTS` probes, keyset pagination
 * on (sort key, id) with the same cursors as the memory store, and the page's rows read last.
 * @throws ValidationError `invalid_cursor`.
 */
export async function searchProducts(sql: Sql, codec: CursorCodec, q: ProductSearchQuery): Promise<Page<ProductHit>> {
  const kind = `products.search.${q.sort}`;
  const after = q.cursor ? codec.decode(kind, q.cursor, sortKeySchema) : null;
  const params: unknown[] = [];
  const $ = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  const where = ["p.status = 'active'"];
  let rank: string | null = null;
  if (q.text !== null) {
    const terms = searchTerms(q.text).slice(0, MAX_QUERY_WORDS);
    if (terms.length === 0) return { items: [], nextCursor: null };
    const alternatives = await typoAlternatives(sql, terms);
    const query = tsQuerySql(terms, $, alternatives);
    where.push(`p.search @@ ${query}`);
    rank = rankSql(terms, alternatives, query, $);
  }
  if (q.categoryIds !== null) where.push(`p.category_id = ANY(${$([...q.categoryIds])}::text[])`);
  if (q.minPrice || q.maxPrice) {
    // The base price or a variant's own price in range (both bounds on the same price); a
    // variant without a price sells at the base price, which the first branch covers.
    const inRange = (price: string, currency: string): string => {
      const parts: string[] = [];
      if (q.minPrice) parts.push(`${currency} = ${$(q.minPrice.currency)} AND ${price} >= ${$(q.minPrice.toFixed())}::numeric`);
      if (q.maxPrice) parts.push(`${currency} = ${$(q.maxPrice.currency)} AND ${price} <= ${$(q.maxPrice.toFixed())}::numeric`);
      return parts.join(" AND ");
    };
    where.push(
      `((${inRange("p.price", "p.currency")}) OR EXISTS (SELECT 1 FROM commerce_product_variants v WHERE v.product_id = p.id AND ${inRange("v.price", "v.currency")}))`,
    );
  }
  for (const [name, value] of Object.entries(q.attributes)) {
    where.push(`EXISTS (SELECT 1 FROM product_attributes a WHERE a.product_id = p.id AND a.attribute_name = ${$(name)}
      AND commerce_fold(a.attribute_value) = commerce_fold(${$(value)}))`);
  }
  if (q.inStockOnly) {
    where.push(`EXISTS (SELECT 1 FROM commerce_stock_levels s WHERE s.product_id = p.id AND s.on_hand > s.reserved
      AND s.key = ANY(COALESCE((SELECT array_agg(v.id) FROM commerce_product_variants v WHERE v.product_id = p.id), ARRAY[p.id])))`);
  }
  const sort = plan(q.sort, rank);
  const cmp = sort.dir === "ASC" ? ">" : "<";
  if (after) {
    // Without text every relevance key is 0: the order is the id alone (an index walk).
    if (q.sort === "relevance" && rank === null) where.push(`p.id ${cmp} ${$(after[1])}`);
    else where.push(`(${sort.key}, p.id) ${cmp} (${sort.cursorValue($(after[0]))}, ${$(after[1])})`);
  }
  const byId = q.sort === "relevance" && rank === null;
  const order = byId ? "p.id DESC" : `${sort.key} ${sort.dir}, p.id ${sort.dir}`;
  const outerOrder = byId ? "page.id DESC" : `${sort.outer} ${sort.dir}, page.id ${sort.dir}`;
  const rows = await sql.rows<PageRow>(
    `WITH page AS (
       SELECT p.id, ${rank ?? "0::real"} AS score, p.price_minor, p.created_at FROM products p
        WHERE ${where.join(" AND ")}
        ORDER BY ${order} LIMIT ${$(q.limit + 1)}
     )
     SELECT ${PRODUCT_COLUMNS}, page.score, page.price_minor::text AS price_minor_key,
            (extract(epoch FROM page.created_at) * 1000)::bigint::text AS created_ms
       FROM page JOIN products p ON p.id = page.id
      ORDER BY ${outerOrder}`,
    params,
  );
  const more = rows.length > q.limit;
  const page = rows.slice(0, q.limit);
  const items = page.map((r) => ({ product: toProduct(r), score: Number(r.score) }));
  const last = page[page.length - 1];
  const keyOf = (r: PageRow): [number, string] => {
    if (q.sort === "price_asc" || q.sort === "price_desc") return [Number(r.price_minor_key), r.id];
    if (q.sort === "newest") return [Number(r.created_ms), r.id];
    return [Number(r.score), r.id];
  };
  return { items, nextCursor: more && last ? codec.encode(kind, keyOf(last)) : null };
}
