/**
 * Irregular past participles an event name may end with; every other name ends with a regular `-ed`
 * word. Kept short on purpose: a new entry is a review question, not a way around the rule.
 */
const IRREGULAR_PAST = ["paid", "rebuilt", "sent", "built", "held", "logged_in"] as const;

/** British spellings that have an American one in event names (one spelling: `canceled`). */
const BRITISH = ["cancelled", "labelled", "modelled", "travelled"] as const;

const SHAPE = /^[a-z]+(?:_[a-z]+)*\.[a-z]+(?:_[a-z]+)*$/;

/**
 * The event names that break the `<aggregate>.<past_tense>` rule (snake_case aggregate, a fact in
 * the past tense such as `order.canceled` or `inventory.low_stock_reached`, American spelling),
 * each with the reason. An empty answer means every name follows the rule.
 *
 * @example
 * ```ts
 * import { eventNameViolations } from "@platform/core/testing";
 * eventNameViolations(["order.placed", "payment.processing"]);
 * // -> ["payment.processing: not in the past tense"]
 * ```
 */
export function eventNameViolations(names: readonly string[]): string[] {
  const out: string[] = [];
  for (const name of names) {
    const british = BRITISH.find((w) => name.split(/[._]/).includes(w));
    if (!SHAPE.test(name)) out.push(`${name}: not <aggregate>.<snake_case fact>`);
    else if (british) out.push(`${name}: British spelling "${british}"`);
    else if (!name.endsWith("ed") && !IRREGULAR_PAST.some((w) => name.endsWith(`.${w}`) || name.endsWith(`_${w}`)))
      out.push(`${name}: not in the past tense`);
  }
  return out;
}

/**
 * The event names declared in the source of an event map (`"<aggregate>.<name>": ...` keys), so a
 * test can check a map that exists only as a type.
 */
export function eventNamesInSource(source: string): string[] {
  return [...source.matchAll(/^\s*"([a-z_]+\.[a-z_]+)"\s*:/gm)].map((m) => m[1]!);
}
