import { assessFraud, DEFAULT_RISK_CONFIG, listKeysOf, riskScore, type RiskScoreConfig } from "../domain/fraud-assessment.js";
import {
  STRING_FIELDS,
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

// Counted for every payment: the risk score reads them.
const SCORED_FIELDS: readonly VelocityField[] = [
  "payments_per_customer_hourly",
  "payments_per_card_hourly",
  "payments_per_ip_hourly",
  "payments_per_email_hourly",
];
const VELOCITY_DIMENSIONS_OF = Object.keys(DIM_KEY) as VelocityDimension[];

/** Evaluates the fraud rules, lists, velocity counts and risk score of a payment being created. */
export class FraudAssessor {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly config: RiskScoreConfig = DEFAULT_RISK_CONFIG,
  ) {}

  /** Evaluates a payment inside the creating transaction (velocity counts exclude it). */
  async assess(tx: PaymentTx, subject: FraudSubject): Promise<FraudAssessment> {
    const now = this.ctx.clock.now().getTime();
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
    // The rules, the counts and look-ups they need, and the built-in lists: one store call (one
    // statement on PostgreSQL), since what the rules need follows from the rules and the payment.
    const signals = await tx.fraudSignals.read({
      identities: Object.fromEntries(VELOCITY_DIMENSIONS_OF.map((d) => [d, DIM_KEY[d](subject)])),
      since: Object.fromEntries(Object.entries(VELOCITY_WINDOWS).map(([w, ms]) => [w, new Date(now - ms)])) as Record<VelocityWindow, Date>,
      alwaysCounted: SCORED_FIELDS,
      listKeys: listKeysOf(base),
      fieldTexts: Object.fromEntries(STRING_FIELDS.map((f) => [f, fieldText(f, base)])),
    });
    const withVelocity: Omit<FraudContext, "riskScore"> = { ...base, velocity: signals.velocity };
    const context: FraudContext = { ...withVelocity, riskScore: riskScore(withVelocity, this.config) };
    const hits = new Set<FraudAction>(signals.hitLists);
    const members = new Set<string>(signals.members.map(([list, value]) => `${list}\u0000${value}`));
    return assessFraud(context, signals.rules, hits, (list, value) => members.has(`${list}\u0000${value.toLowerCase()}`), this.config);
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
