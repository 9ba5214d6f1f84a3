import { deletionDepth, deletionNeighbourhood, osaDistance, searchWords, typoBudget } from "../../domain/search-matching.js";
import type { Product } from "../../domain/product.js";
import { attributeText, skuText } from "./product-rows.js";
import type { Sql } from "./sql-runner.js";

/**
 * Adds a product's words to the search vocabulary (`commerce_search_terms`) and, for the words
 * new to it, their deletion neighbourhoods (`commerce_search_term_deletions`). Words go in sorted
 * order, so two transactions adding overlapping new words wait on each other in one order
 * (no deadlock); ON CONFLICT waits for a concurrent adder and returns only the words this
 * transaction added, whose deletions nobody else writes.
 */
export async function recordSearchWords(sql: Sql, p: Product): Promise<void> {
  const words = [...new Set(searchWords(`${p.name} ${p.description} ${skuText(p)} ${attributeText(p)}`))].sort();
  if (words.length === 0) return;
  const added = await sql.rows<{ term: string }>(
    "INSERT INTO commerce_search_terms (term) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING RETURNING term",
    [words],
  );
  if (added.length === 0) return;
  const deletions: string[] = [];
  const terms: string[] = [];
  for (const { term } of added) {
    for (const d of deletionNeighbourhood(term, deletionDepth(term))) {
      deletions.push(d);
      terms.push(term);
    }
  }
  await sql.query(
    "INSERT INTO commerce_search_term_deletions (deletion, term) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING",
    [deletions, terms],
  );
}

/**
 * For each query word, the vocabulary words within its typo budget (1 to budget edits, a swap of
 * adjacent letters counting as one), found in one statement through the deletion index and
 * verified by distance here. Words without budget get none.
 */
export async function typoAlternatives(sql: Sql, words: readonly string[]): Promise<string[][]> {
  const neighbourhoods = words.map((w) => (typoBudget(w) > 0 ? deletionNeighbourhood(w, typoBudget(w)) : new Set<string>()));
  const keys = [...new Set(neighbourhoods.flatMap((n) => [...n]))];
  if (keys.length === 0) return words.map(() => []);
  const rows = await sql.rows<{ deletion: string; term: string }>(
    "SELECT deletion, term FROM commerce_search_term_deletions WHERE deletion = ANY($1::text[])",
    [keys],
  );
  return words.map((word, i) => {
    const budget = typoBudget(word);
    const found = new Set<string>();
    for (const r of rows) {
      if (found.has(r.term) || !neighbourhoods[i]!.has(r.deletion)) continue;
      const d = osaDistance(word, r.term, budget);
      if (d > 0 && d <= budget) found.add(r.term);
    }
    return [...found].sort();
  });
}
