import { Money } from "@platform/core";
import type { FraudAssessment } from "./payment.js";
import { FRAUD_ACTIONS, ruleMatches, type FraudAction, type FraudContext, type FraudRule, type ListLookup } from "./fraud-rule.js";

/** Entry types of the built-in `allow`, `block` and `review` lists. */
export type ListEntryType = "email" | "ip" | "customer" | "card" | "country" | "email_domain";

/** Score thresholds and inputs of the 0-100 risk score. */
export interface RiskScoreConfig {
  /** Score at or above which a payment is blocked (no rule matched). Default 90. */
  blockThreshold: number;
  /** Score at or above which a payment is held for review (no rule matched). Default 75. */
  reviewThreshold: number;
  /** Amounts at or above these (per currency) add 30 points. Default 5000 of USD/EUR/GBP. */
  highAmount: Readonly<Record<string, string>>;
}

/** Default thresholds: review >= 75, block >= 90; high amount 5000 USD/EUR, 4000 GBP. */
export const DEFAULT_RISK_CONFIG: RiskScoreConfig = {
  blockThreshold: 90,
  reviewThreshold: 75,
  highAmount: { USD: "5000", EUR: "5000", GBP: "4000" },
};

/**
 * A 0-100 risk score from plain signals, so it is explainable: a high amount (+30), each earlier payment
 * of the customer / card / ip in the last hour (+10 each, at most +40), a card issued in another
 * country than the customer's (+25), no customer signals at all (+10).
 */
export function riskScore(ctx: Omit<FraudContext, "riskScore">, config: RiskScoreConfig = DEFAULT_RISK_CONFIG): number {
  let score = 5;
  const high = config.highAmount[ctx.amount.currency];
  if (high !== undefined && ctx.amount.greaterThanOrEqual(Money.of(high, ctx.amount.currency))) score += 30;
  const hourly = Math.max(
    ctx.velocity.payments_per_customer_hourly ?? 0,
    ctx.velocity.payments_per_card_hourly ?? 0,
    ctx.velocity.payments_per_ip_hourly ?? 0,
    ctx.velocity.payments_per_email_hourly ?? 0,
  );
  score += Math.min(40, hourly * 10);
  if (ctx.country && ctx.cardCountry && ctx.country !== ctx.cardCountry) score += 25;
  if (!ctx.customer && !ctx.email && !ctx.ip) score += 10;
  return Math.max(0, Math.min(100, score));
}

/** List entries that match the context, as `type:value` keys. */
export function listKeysOf(ctx: Omit<FraudContext, "riskScore" | "velocity">): string[] {
  const keys: string[] = [];
  if (ctx.email) keys.push(`email:${ctx.email.toLowerCase()}`, `email_domain:${ctx.email.split("@")[1]?.toLowerCase()}`);
  if (ctx.ip) keys.push(`ip:${ctx.ip.toLowerCase()}`);
  if (ctx.customer) keys.push(`customer:${ctx.customer.toLowerCase()}`);
  if (ctx.cardFingerprint) keys.push(`card:${ctx.cardFingerprint.toLowerCase()}`);
  const country = ctx.country ?? ctx.cardCountry;
  if (country) keys.push(`country:${country.toLowerCase()}`);
  return keys;
}

/**
 * The verdict: for each action in order allow, block, review, first the built-in list of that name
 * (`hits` holds the list names that contain one of the payment's values), then the enabled rules of
 * that action by position; the first match wins. With no match the score decides via thresholds.
 */
export function assessFraud(
  ctx: FraudContext,
  rules: readonly FraudRule[],
  builtInListHits: ReadonlySet<FraudAction>,
  inList: ListLookup,
  config: RiskScoreConfig = DEFAULT_RISK_CONFIG,
): FraudAssessment {
  const active = rules.filter((r) => r.enabled).sort((a, b) => a.position - b.position);
  for (const action of FRAUD_ACTIONS) {
    if (builtInListHits.has(action)) {
      return { outcome: action, score: ctx.riskScore, matchedRules: [`list:${action}`], reason: `list:${action}` };
    }
    const hit = active.find((r) => r.action === action && ruleMatches(r, ctx, inList));
    if (hit) {
      const others = active.filter((r) => r !== hit && ruleMatches(r, ctx, inList)).map((r) => r.id);
      return { outcome: action, score: ctx.riskScore, matchedRules: [hit.id, ...others], reason: `rule:${hit.id}` };
    }
  }
  if (ctx.riskScore >= config.blockThreshold)
    return { outcome: "block", score: ctx.riskScore, matchedRules: [], reason: "score_threshold" };
  if (ctx.riskScore >= config.reviewThreshold)
    return { outcome: "review", score: ctx.riskScore, matchedRules: [], reason: "score_threshold" };
  return { outcome: "allow", score: ctx.riskScore, matchedRules: [], reason: "default" };
}
