/**
 * Folds text for matching: Unicode NFKD, combining marks removed, lower-cased.
 * "Crème Brûlée" and "creme brulee" fold to the same terms.
 */
export function foldText(value: string): string {
  return value
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase();
}

/** A SKU as compared for uniqueness: trimmed and upper-cased (SKUs are case-insensitive). */
export function normalizeSku(sku: string): string {
  return sku.trim().toUpperCase();
}
