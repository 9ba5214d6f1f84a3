import { assessFraud, DEFAULT_RISK_CONFIG, listKeysOf, riskScore, type RiskScoreConfig } from "../domain/fraud-assessment.js";
import {
  FRAUD_ACTIONS,
  VELOCITY_FIELDS,
  VELOCITY_WINDOWS,
  type FraudAction,
  type FraudContext,
  type VelocityDimension,
  type VelocityField,
  type VelocityWindow,
} from "../domain/fraud-rule.js";
import type { FraudAssessment, Payment } from "../domain/payment.js";
import type { PaymentTx } from "../ports/payment-store.js";
import type { ServiceContext } from "./context.js";

/** The facts of a payment the fraud engine needs, before it is stored. */
export type FraudSubject = Pick<Payment, "amount" | "paymentMethod" | "paymentMethodDetails" | "customer">;

const DIM_KEY: Record<VelocityDimension, (s: FraudSubject) => string | undefined> = {
  customer: (s) => s.customer.id,
  email: (s) => s.customer.email,
  ip: (s) => s.customer.ip,
  card: (s) => s.paymentMethodDetails.fingerprint,
};

/** Evaluates the fraud rules, lists, velocity counts and risk score of a payment being created. */
export class FraudAssessor {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly config: RiskScoreConfig = DEFAULT_RISK_CONFIG,
  ) {}

  /** Evaluates a payment inside the creating transaction (velocity counts exclude it). */
  async assess(tx: PaymentTx, subject: FraudSubject): Promise<FraudAssessment> {
    const rules = await tx.fraudRules.list();
    const now = this.ctx.clock.now().getTime();
    const wanted = new Set<VelocityField>([
      "payments_per_customer_hourly",
      "payments_per_card_hourly",
      "payments_per_ip_hourly",
      "payments_per_email_hourly",
    ]);
    for (const r of rules)
      for (const c of r.conditions) if ((VELOCITY_FIELDS as readonly string[]).includes(c.field)) wanted.add(c.field as VelocityField);
    // The velocity counts and list look-ups depend only on the rules and the payment: sent together,
    // they share one round trip on a pipelining connection instead of one each.
    const counted = Promise.all(
      [...wanted].map(async (field): Promise<[VelocityField, number]> => {
        const [, , dim, win] = field.split("_") as [string, string, VelocityDimension, VelocityWindow];
        const value = DIM_KEY[dim](subject);
        return [field, value ? await tx.payments.countSince(dim, value, new Date(now - VELOCITY_WINDOWS[win])) : 0];
      }),
    );
    const base: PaymentFacts = {
      amount: subject.amount,
      method: subject.paymentMethodDetails.type,
      paymentMethod: subject.paymentMethod,
      customer: subject.customer.id,
      email: subject.customer.email,
      ip: subject.customer.ip,
      country: subject.customer.country,
      cardCountry: subject.paymentMethodDetails.country,
      cardFingerprint: subject.paymentMethodDetails.fingerprint,
    };
    const keys = listKeysOf(base);
    const listed = Promise.all(
      FRAUD_ACTIONS.map(async (action) => ((await tx.fraudLists.findMembers(action, keys)).length > 0 ? [action] : [])),
    );
    // Resolve every `in @list` lookup the rules need up front; evaluation itself stays pure.
    const lookups: Promise<string[]>[] = [];
    for (const r of rules) {
      for (const c of r.conditions) {
        if (c.value.kind !== "list") continue;
        const list = c.value.list;
        const v = fieldText(c.field, base);
        if (v)
          lookups.push(tx.fraudLists.findMembers(list, [v]).then((found) => (found.length > 0 ? [`${list}\u0000${v.toLowerCase()}`] : [])));
      }
    }
    const [counts, hitLists, memberKeys] = await Promise.all([counted, listed, Promise.all(lookups)]);
    const velocity: Partial<Record<VelocityField, number>> = Object.fromEntries(counts);
    const withVelocity: Omit<FraudContext, "riskScore"> = { ...base, velocity };
    const context: FraudContext = { ...withVelocity, riskScore: riskScore(withVelocity, this.config) };
    const hits = new Set<FraudAction>(hitLists.flat());
    const members = new Set<string>(memberKeys.flat());
    return assessFraud(context, rules, hits, (list, value) => members.has(`${list}\u0000${value.toLowerCase()}`), this.config);
  }
}

/** The payment's own facts: what list look-ups read (never velocity or the score, so they can run alongside the counts). */
type PaymentFacts = Omit<FraudContext, "riskScore" | "velocity">;

function fieldText(field: string, c: PaymentFacts): string | undefined {
  switch (field) {
    case "email":
      return c.email;
    case "email_domain":
      return c.email?.split("@")[1];
    case "ip":
      return c.ip;
    case "customer":
      return c.customer;
    case "card_fingerprint":
      return c.cardFingerprint;
    case "country":
      return c.country ?? c.cardCountry;
    case "card_country":
      return c.cardCountry;
    case "currency":
      return c.amount.currency;
    case "method":
      return c.method;
    case "payment_method":
      return c.paymentMethod;
    default:
      return undefined;
  }
}
