import { Money, moneyInputSchema, type MoneyJSON } from "@platform/core";
import { z } from "zod";

/** A routing rule: the first rule whose conditions all hold picks the gateway. */
export interface RoutingRule {
  readonly gateway: string;
  /** Currencies (ISO codes) this rule applies to. */
  readonly currencies?: readonly string[] | undefined;
  /** Payment method types (`card`) or token prefixes (`pm_card_`). */
  readonly methods?: readonly string[] | undefined;
  /** Inclusive bounds (`{ amount: "100.00", currency: "USD" }` or a `Money`), compared only when the currency matches. */
  readonly minAmount?: MoneyJSON | Money | undefined;
  readonly maxAmount?: MoneyJSON | Money | undefined;
  /** Gateways tried in order when this one is unavailable; defaults to the global fallback list. */
  readonly fallback?: readonly string[] | undefined;
}

/** Schema of a routing rule. */
export const routingRuleSchema = z.object({
  gateway: z.string().min(1),
  currencies: z.array(z.string().length(3).toUpperCase()).optional(),
  methods: z.array(z.string().min(1)).optional(),
  // Checked like every money input (precision, currency, digit limit), kept as JSON.
  minAmount: moneyInputSchema.transform((m) => m.toJSON()).optional(),
  maxAmount: moneyInputSchema.transform((m) => m.toJSON()).optional(),
  fallback: z.array(z.string().min(1)).optional(),
});

/** What routing looks at. */
export interface RoutingInput {
  amount: Money;
  paymentMethod: string;
  methodType: string;
}

function matches(rule: RoutingRule, input: RoutingInput): boolean {
  if (rule.currencies && !rule.currencies.includes(input.amount.currency)) return false;
  if (rule.methods && !rule.methods.some((m) => m === input.methodType || input.paymentMethod.startsWith(m))) return false;
  if (rule.minAmount) {
    const min = Money.of(rule.minAmount.amount, rule.minAmount.currency);
    if (min.currency !== input.amount.currency || input.amount.lessThan(min)) return false;
  }
  if (rule.maxAmount) {
    const max = Money.of(rule.maxAmount.amount, rule.maxAmount.currency);
    if (max.currency !== input.amount.currency || input.amount.greaterThan(max)) return false;
  }
  return true;
}

/**
 * The ordered list of gateways to try: the forced one or the first matching rule's gateway (else the
 * default), then its fallbacks. Fallbacks are used only on a retryable failure before any charge.
 */
export function routeGateways(
  rules: readonly RoutingRule[],
  input: RoutingInput,
  options: { defaultGateway: string; fallback: readonly string[]; forced?: string | undefined },
): string[] {
  if (options.forced) return [options.forced];
  const rule = rules.find((r) => matches(r, input));
  const list = rule ? [rule.gateway, ...(rule.fallback ?? options.fallback)] : [options.defaultGateway, ...options.fallback];
  return [...new Set(list)];
}
