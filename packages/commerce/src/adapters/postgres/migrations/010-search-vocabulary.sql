-- Typo-tolerant search: the catalog's distinct words and, for words without digits, the strings
-- left after deleting up to 1 (4-6 characters) or 2 (7+) of their characters (symmetric-delete
-- candidates, as the memory index keeps). A query word's own deletions are looked up by the
-- primary key; each candidate is verified by edit distance in the application. Rows are written
-- with the products (new words only) and never deleted: a word no product holds any more only
-- adds an alternative that matches nothing.
CREATE TABLE commerce_search_terms (
  term text PRIMARY KEY
);

CREATE TABLE commerce_search_term_deletions (
  deletion text NOT NULL,
  term text NOT NULL,
  PRIMARY KEY (deletion, term)
);

-- Backfill from the products already indexed: the words of their search vectors (compound
-- lexemes split as the application splits text), folded as the vector folded them.
INSERT INTO commerce_search_terms (term)
SELECT DISTINCT word
  FROM products p, unnest(tsvector_to_array(p.search)) AS lexeme, regexp_split_to_table(lexeme, '[^[:alnum:]]+') AS word
 WHERE word <> ''
ON CONFLICT DO NOTHING;

WITH one AS (
  SELECT t.term, substr(t.term, 1, i - 1) || substr(t.term, i + 1) AS deletion
    FROM commerce_search_terms t, generate_series(1, length(t.term)) AS i
   WHERE length(t.term) >= 4 AND t.term !~ '[[:digit:]]'
), two AS (
  SELECT one.term, substr(one.deletion, 1, i - 1) || substr(one.deletion, i + 1) AS deletion
    FROM one, generate_series(1, length(one.deletion)) AS i
   WHERE length(one.term) >= 7
)
INSERT INTO commerce_search_term_deletions (deletion, term)
SELECT term, term FROM commerce_search_terms
UNION SELECT deletion, term FROM one
UNION SELECT deletion, term FROM two
ON CONFLICT DO NOTHING;
