/**
 * A `SET a = $2, b = $3` clause from a patch, for the columns of `columns` only (field name ->
 * column name: a fixed whitelist, never caller text). Values start at `$first`.
 */
export function setClause(
  patch: Readonly<Record<string, unknown>>,
  columns: Readonly<Record<string, string>>,
  first: number,
): { sql: string; values: unknown[] } {
  const parts: string[] = [];
  const values: unknown[] = [];
  for (const [field, column] of Object.entries(columns)) {
    if (!(field in patch) || patch[field] === undefined) continue;
    values.push(patch[field]);
    parts.push(`${column} = $${first + values.length - 1}`);
  }
  return { sql: parts.join(", "), values };
}
