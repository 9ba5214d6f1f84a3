import { createId, NotFoundError, pageRequestSchema, parse, type Actor, type Page, type PageRequest } from "@platform/core";
import { z } from "zod";
import { type ListEntryType } from "../domain/fraud-assessment.js";
import { parseFraudRule } from "../domain/fraud-rule-parser.js";
import {
  FRAUD_ACTIONS,
  fraudRuleDescriptionSchema,
  fraudRuleInputSchema,
  type FraudAction,
  type FraudRule,
  type FraudRuleInput,
} from "../domain/fraud-rule.js";
import { authorize } from "./authorize.js";
import type { ServiceContext } from "./context.js";
import { paymentsCodes } from "../domain/error-codes.js";

const ruleIdSchema = z.string().trim().min(1).max(64);
const listNameSchema = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, "list names are lower-case identifiers");
const listValuesSchema = pageRequestSchema.extend({ list: listNameSchema }).strict();
const ruleRefSchema = z.object({ ruleId: ruleIdSchema }).strict();

/** Input of `fraud.addRule`: the rule in text (`"block if amount > 10000 USD"`) or structured form, and its name and description for text rules. */
export const addRuleSchema = z
  .object({
    rule: z.union([z.string().min(1).max(2000), z.custom<FraudRuleInput>((v) => typeof v === "object" && v !== null)]),
    name: z.string().trim().min(1).max(200).optional(),
    description: fraudRuleDescriptionSchema.optional(),
  })
  .strict();
/** Input of `fraud.addRule`. */
export interface AddRuleInput {
  rule: string | FraudRuleInput;
  name?: string;
  description?: string;
}

/** Input of `fraud.lists.add/remove`. */
export const listEntrySchema = z
  .object({
    list: listNameSchema,
    /** For the built-in `allow`/`block`/`review` lists: what the value is. */
    type: z.enum(["email", "ip", "customer", "card", "country", "email_domain"]).optional(),
    value: z.string().trim().min(1).max(500),
  })
  .strict()
  .refine((e) => !FRAUD_ACTIONS.includes(e.list as FraudAction) || e.type !== undefined, {
    message: "allow/block/review entries need a type",
    path: ["type"],
  });
/** Input of `fraud.lists.add/remove`. */
export type ListEntryInput = z.input<typeof listEntrySchema>;

/**
 * Fraud rules that really read their conditions: rules in text or structured form, built-in
 * allow/block/review lists, custom lists for `in @name`, velocity counts and a 0-100 risk score.
 * Every method needs the `admin` role (ForbiddenError `role_required`).
 * @example
 * ```ts
 * await system.fraud.addRule(admin, { rule: "block if amount > 10000 USD" });
 * await system.fraud.addRule(admin, { rule: "review if payments_per_customer_hourly > 5" });
 * await system.fraud.lists.add(admin, { list: "block", type: "email", value: "mallory@example.com" });
 * ```
 */
export class FraudService {
  /** Named lists: built-in `allow`, `block`, `review` (typed entries) and custom ones for `in @list`. */
  readonly lists: {
    /** Adds a value to a list (a value already there stays once). */
    add(actor: Actor, input: ListEntryInput): Promise<void>;
    /** Removes a value from a list; removing a value that is not there does nothing. */
    remove(actor: Actor, input: ListEntryInput): Promise<void>;
    /** A list's values, paginated. */
    values(actor: Actor, input: { list: string } & PageRequest): Promise<Page<string>>;
  };

  constructor(private readonly ctx: ServiceContext) {
    const entry = (actor: Actor, input: ListEntryInput) => {
      authorize(actor, "admin");
      const e = parse(listEntrySchema, input);
      return { list: e.list, value: e.type ? `${e.type as ListEntryType}:${e.value.toLowerCase()}` : e.value.toLowerCase() };
    };
    this.lists = {
      add: async (actor, input) => {
        const e = entry(actor, input);
        await ctx.store.transaction((tx) => tx.fraudLists.add(e.list, e.value, ctx.clock.now()));
      },
      remove: async (actor, input) => {
        const e = entry(actor, input);
        await ctx.store.transaction((tx) => tx.fraudLists.remove(e.list, e.value));
      },
      values: async (actor, input) => {
        authorize(actor, "admin");
        const { list, ...page } = parse(listValuesSchema, input);
        return ctx.store.transaction((tx) => tx.fraudLists.values(list, page));
      },
    };
  }

  /**
   * Adds a rule, from text (`"block if amount > 10000 USD"`) or structured form, after the existing ones.
   * `name` and `description` apply to a text rule (a structured one carries its own).
   * @throws ValidationError `invalid_rule` (text, with the bad token's position) or naming the bad field; ForbiddenError `role_required`.
   */
  async addRule(actor: Actor, input: AddRuleInput): Promise<FraudRule> {
    authorize(actor, "admin");
    const { rule, ...opts } = parse(addRuleSchema, input);
    const parsed =
      typeof rule === "string"
        ? { ...parseFraudRule(rule), name: opts.name ?? rule, enabled: true, source: rule, description: opts.description }
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

  /** Rules in evaluation (position) order, paginated. @throws ValidationError `invalid_cursor`; ForbiddenError `role_required`. */
  async listRules(actor: Actor, input: PageRequest = {}): Promise<Page<FraudRule>> {
    authorize(actor, "admin");
    const page = parse(pageRequestSchema.strict(), input);
    return this.ctx.store.transaction((tx) => tx.fraudRules.page(page));
  }

  /** Enables or disables a rule. @throws NotFoundError `rule_not_found`; ForbiddenError `role_required`. */
  async setRuleEnabled(actor: Actor, input: { ruleId: string; enabled: boolean }): Promise<FraudRule> {
    authorize(actor, "admin");
    const { ruleId: rid, enabled } = parse(z.object({ ruleId: ruleIdSchema, enabled: z.boolean() }).strict(), input);
    return this.ctx.store.transaction(async (tx) => {
      const rule = await tx.fraudRules.get(rid);
      if (!rule) throw NotFoundError.of(paymentsCodes.rule_not_found, "fraud rule", rid);
      const next = { ...rule, enabled };
      await tx.fraudRules.update(next);
      return next;
    });
  }

  /** Deletes a rule. @throws NotFoundError `rule_not_found`; ForbiddenError `role_required`. */
  async removeRule(actor: Actor, input: { ruleId: string }): Promise<void> {
    authorize(actor, "admin");
    const rid = parse(ruleRefSchema, input).ruleId;
    await this.ctx.store.transaction(async (tx) => {
      if (!(await tx.fraudRules.delete(rid))) throw NotFoundError.of(paymentsCodes.rule_not_found, "fraud rule", rid);
    });
  }
}
