import { createId, NotFoundError, pageRequestSchema, parse, type Page } from "@platform/core";
import { z } from "zod";
import { assessFraud, DEFAULT_RISK_CONFIG, listKeysOf, riskScore, type ListEntryType, type RiskScoreConfig } from "../domain/fraud-assessment.js";
import { parseFraudRule } from "../domain/fraud-rule-parser.js";
import {
  FRAUD_ACTIONS,
  fraudRuleDescriptionSchema,
  fraudRuleInputSchema,
  VELOCITY_FIELDS,
  VELOCITY_WINDOWS,
  type FraudAction,
  type FraudContext,
  type FraudRule,
  type FraudRuleInput,
  type VelocityDimension,
  type VelocityField,
  type VelocityWindow,
} from "../domain/fraud-rule.js";
import type { FraudAssessment, Payment } from "../domain/payment.js";
import type { PaymentTx } from "../ports/payment-store.js";
import type { ServiceContext } from "./context.js";

const ruleIdSchema = z.string().trim().min(1).max(64);
const listNameSchema = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, "list names are lower-case identifiers");

/** Input of `fraud.lists.add/remove`. */
export const listEntrySchema = z
  .object({
    list: listNameSchema,
    /** For the built-in `allow`/`block`/`review` lists: what the value is. */
    type: z.enum(["email", "ip", "customer", "card", "country", "email_domain"]).optional(),
    value: z.string().trim().min(1).max(500),
  })
  .strict()
  .refine((e) => !FRAUD_ACTIONS.includes(e.list as FraudAction) || e.type !== undefined, { message: "allow/block/review entries need a type", path: ["type"] });
/** Input of `fraud.lists.add/remove`. */
export type ListEntryInput = z.input<typeof listEntrySchema>;

/** The facts of a payment the fraud engine needs, before it is stored. */
export type FraudSubject = Pick<Payment, "amount" | "paymentMethod" | "paymentMethodDetails" | "customer">;

const DIM_KEY: Record<VelocityDimension, (s: FraudSubject) => string | undefined> = {
  customer: (s) => s.customer.id,
  email: (s) => s.customer.email,
  ip: (s) => s.customer.ip,
  card: (s) => s.paymentMethodDetails.fingerprint,
};

/**
 * Fraud rules that really read their conditions: rules in text or structured form, built-in
 * allow/block/review lists, custom lists for `in @name`, velocity counts and a 0-100 risk score.
 * @example
 * ```ts
 * await system.fraud.addRule("block if amount > 10000 USD");
 * await system.fraud.addRule("review if payments_per_customer_hourly > 5");
 * await system.fraud.lists.add({ list: "block", type: "email", value: "mallory@example.com" });
 * ```
 */
export class FraudService {
  /** Named lists: built-in `allow`, `block`, `review` (typed entries) and custom ones for `in @list`. */
  readonly lists: {
    add(input: ListEntryInput): Promise<void>;
    remove(input: ListEntryInput): Promise<boolean>;
    values(list: string, page?: { limit?: number; cursor?: string | null }): Promise<Page<string>>;
  };

  constructor(
    private readonly ctx: ServiceContext,
    private readonly config: RiskScoreConfig = DEFAULT_RISK_CONFIG,
  ) {
    const entry = (input: ListEntryInput) => {
      const e = parse(listEntrySchema, input);
      return { list: e.list, value: e.type ? `${e.type as ListEntryType}:${e.value.toLowerCase()}` : e.value.toLowerCase() };
    };
    this.lists = {
      add: async (input) => {
        const e = entry(input);
        await ctx.store.transaction((tx) => tx.fraudLists.add(e.list, e.value, ctx.clock.now()));
      },
      remove: async (input) => {
        const e = entry(input);
        return ctx.store.transaction((tx) => tx.fraudLists.remove(e.list, e.value));
      },
      values: async (list, page = {}) => {
        const name = parse(listNameSchema, list);
        const p = parse(pageRequestSchema, page);
        return ctx.store.transaction((tx) => tx.fraudLists.values(name, p));
      },
    };
  }

  /**
   * Adds a rule, from text (`"block if amount > 10000 USD"`) or structured form, after the existing ones.
   * @throws ValidationError `invalid_rule` (text, with the bad token's position) or naming the bad field.
   */
  async addRule(rule: string | FraudRuleInput, options: { name?: string; description?: string } = {}): Promise<FraudRule> {
    const opts = parse(z.object({ name: z.string().trim().min(1).max(200).optional(), description: fraudRuleDescriptionSchema.optional() }).strict(), options);
    const parsed =
      typeof rule === "string"
        ? { ...parseFraudRule(parse(z.string().min(1).max(2000), rule)), name: opts.name ?? rule, enabled: true, source: rule, description: opts.description }
        : { ...parse(fraudRuleInputSchema, rule), source: undefined };
    return this.ctx.store.transaction(async (tx) => {
      const stored: FraudRule = {
        id: createId("frr"),
        name: parsed.name ?? `${parsed.action} rule`,
        action: parsed.action,
        conditions: parsed.conditions as FraudRule["conditions"],
        enabled: parsed.enabled,
        position: await tx.fraudRules.nextPosition(),
        source: parsed.source,
        ...(parsed.description !== undefined ? { description: parsed.description } : {}),
        createdAt: this.ctx.clock.now(),
      };
      await tx.fraudRules.insert(stored);
      return stored;
    });
  }

  /** Rules in evaluation position order. */
  async listRules(): Promise<FraudRule[]> {
    return this.ctx.store.transaction((tx) => tx.fraudRules.list());
  }

  /** Enables or disables a rule. @throws NotFoundError `rule_not_found`. */
  async setRuleEnabled(id: string, enabled: boolean): Promise<FraudRule> {
    const rid = parse(ruleIdSchema, id);
    parse(z.boolean(), enabled);
    return this.ctx.store.transaction(async (tx) => {
      const rule = await tx.fraudRules.get(rid);
      if (!rule) throw NotFoundError.of("rule_not_found", "fraud rule", id);
      const next = { ...rule, enabled };
      await tx.fraudRules.update(next);
      return next;
    });
  }

  /** Deletes a rule. @throws NotFoundError `rule_not_found`. */
  async removeRule(id: string): Promise<void> {
    const rid = parse(ruleIdSchema, id);
    await this.ctx.store.transaction(async (tx) => {
      if (!(await tx.fraudRules.delete(rid))) throw NotFoundError.of("rule_not_found", "fraud rule", rid);
    });
  }

  /** @internal Evaluates a payment inside the creating transaction (velocity counts exclude it). */
  async assess(tx: PaymentTx, subject: FraudSubject): Promise<FraudAssessment> {
    const rules = await tx.fraudRules.list();
    const now = this.ctx.clock.now().getTime();
    const wanted = new Set<VelocityField>(["payments_per_customer_hourly", "payments_per_card_hourly", "payments_per_ip_hourly", "payments_per_email_hourly"]);
    for (const r of rules) for (const c of r.conditions) if ((VELOCITY_FIELDS as readonly string[]).includes(c.field)) wanted.add(c.field as VelocityField);
    const velocity: Partial<Record<VelocityField, number>> = {};
    for (const field of wanted) {
      const [, , dim, win] = field.split("_") as [string, string, VelocityDimension, VelocityWindow];
      const value = DIM_KEY[dim](subject);
      velocity[field] = value ? await tx.payments.countSince(dim, value, new Date(now - VELOCITY_WINDOWS[win])) : 0;
    }
    const base: Omit<FraudContext, "riskScore"> = {
      amount: subject.amount,
      method: subject.paymentMethodDetails.type,
      paymentMethod: subject.paymentMethod,
      customer: subject.customer.id,
      email: subject.customer.email,
      ip: subject.customer.ip,
      country: subject.customer.country,
      cardCountry: subject.paymentMethodDetails.country,
      cardFingerprint: subject.paymentMethodDetails.fingerprint,
      velocity,
    };
    const context: FraudContext = { ...base, riskScore: riskScore(base, this.config) };
    const keys = listKeysOf(context);
    const hits = new Set<FraudAction>();
    for (const action of FRAUD_ACTIONS) if ((await tx.fraudLists.findMembers(action, keys)).length > 0) hits.add(action);
    // Resolve every `in @list` lookup the rules need up front; evaluation itself stays pure.
    const members = new Set<string>();
    for (const r of rules) {
      for (const c of r.conditions) {
        if (c.value.kind !== "list") continue;
        const v = fieldText(c.field, context);
        if (v && (await tx.fraudLists.findMembers(c.value.list, [v])).length > 0) members.add(`${c.value.list}\u0000${v.toLowerCase()}`);
      }
    }
    return assessFraud(context, rules, hits, (list, value) => members.has(`${list}\u0000${value.toLowerCase()}`), this.config);
  }
}

function fieldText(field: string, c: FraudContext): string | undefined {
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
