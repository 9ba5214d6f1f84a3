import { Money, PlatformError } from "@platform/core";
import { z } from "zod";
import { paymentsCodes } from "./error-codes.js";
import { coreCodes } from "@platform/core";

/** The three verdicts, evaluated in this order: the first matching rule wins. */
export type FraudAction = "allow" | "block" | "review";
/** The actions in evaluation order. */
export const FRAUD_ACTIONS: readonly FraudAction[] = ["allow", "block", "review"];

/** Velocity dimensions and windows: `payments_per_customer_hourly`, `payments_per_card_weekly` ... */
const VELOCITY_DIMENSIONS = ["customer", "email", "ip", "card"] as const;
/** What a velocity count groups by. */
export type VelocityDimension = (typeof VELOCITY_DIMENSIONS)[number];
/** Velocity windows in milliseconds. */
export const VELOCITY_WINDOWS = { hourly: 3_600_000, daily: 86_400_000, weekly: 604_800_000 } as const;
/** A velocity window name. */
export type VelocityWindow = keyof typeof VELOCITY_WINDOWS;
/** A velocity field name, e.g. `payments_per_card_daily`. */
export type VelocityField = `payments_per_${VelocityDimension}_${VelocityWindow}`;

/** Every velocity field name. */
export const VELOCITY_FIELDS: readonly VelocityField[] = VELOCITY_DIMENSIONS.flatMap((d) =>
  (Object.keys(VELOCITY_WINDOWS) as VelocityWindow[]).map((w) => `payments_per_${d}_${w}` as VelocityField),
);

/** Fields a condition can read. */
export const STRING_FIELDS = [
  "currency",
  "method",
  "payment_method",
  "customer",
  "email",
  "email_domain",
  "ip",
  "country",
  "card_country",
  "card_fingerprint",
] as const;
/** A text field. */
export type StringField = (typeof STRING_FIELDS)[number];
/** Numeric fields (amount aside). */
export const NUMBER_FIELDS = ["risk_score", ...VELOCITY_FIELDS] as const;
/** A numeric field. */
export type NumberField = "risk_score" | VelocityField;
/** Any field a condition can read. */
export type FraudField = "amount" | StringField | NumberField;

/** Comparison operators. */
export type ComparisonOperator = ">" | ">=" | "<" | "<=" | "==" | "!=";
/** Every operator of a condition. */
export type FraudOperator = ComparisonOperator | "in" | "not_in";

/** A value of a condition: a number, text, an amount (with or without currency), a list literal or a named list. */
export type ConditionValue =
  | { kind: "number"; value: number }
  | { kind: "string"; value: string }
  | { kind: "money"; amount: string; currency?: string | undefined }
  | { kind: "values"; values: string[] }
  | { kind: "list"; list: string };

/** One condition; all conditions of a rule must hold. */
export interface FraudCondition {
  readonly field: FraudField;
  readonly operator: FraudOperator;
  readonly value: ConditionValue;
}

/** A stored fraud rule. Rules are evaluated action by action (allow, block, review), then by `position`. */
export interface FraudRule {
  /** `frr_...` */
  readonly id: string;
  readonly name: string;
  readonly action: FraudAction;
  readonly conditions: readonly FraudCondition[];
  readonly enabled: boolean;
  readonly position: number;
  /** The text the rule was parsed from, when it came from text. */
  readonly source?: string | undefined;
  /** Free text for the people who read the rules (the specification's `Description`), up to 1,000 characters. */
  readonly description?: string | undefined;
  readonly createdAt: Date;
}

const fieldSchema = z.enum(["amount", ...STRING_FIELDS, ...NUMBER_FIELDS] as [string, ...string[]]);
// Text both stores keep exactly: PostgreSQL holds no NUL, and jsonb refuses the JSON of an unpaired surrogate.
const ruleTextSchema = z
  .string()
  .max(500)
  .superRefine((v, ctx) => {
    if (v.includes("\u0000"))
      ctx.addIssue({ code: "custom", message: "text may not contain NUL (U+0000) characters", params: { code: coreCodes.nul_character } });
    else if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(v)) {
      ctx.addIssue({
        code: "custom",
        message: "text may not contain unpaired surrogate characters",
        params: { code: coreCodes.invalid_text },
      });
    }
  });
const valueSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("number"), value: z.number().finite() }),
  z.object({ kind: z.literal("string"), value: ruleTextSchema }),
  z.object({
    kind: z.literal("money"),
    amount: z.string().regex(/^\d+(\.\d+)?$/),
    currency: z.string().length(3).toUpperCase().optional(),
  }),
  z.object({ kind: z.literal("values"), values: z.array(ruleTextSchema).max(1000) }),
  z.object({ kind: z.literal("list"), list: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/) }),
]);

/** Schema of one condition (structure form). An `amount` condition needs a `money` value with its currency. */
export const fraudConditionSchema = z
  .object({
    field: fieldSchema,
    operator: z.enum([">", ">=", "<", "<=", "==", "!=", "in", "not_in"]),
    value: valueSchema,
  })
  .superRefine((c, ctx) => {
    if (c.field === "amount" && (c.value.kind !== "money" || c.value.currency === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: ["value", "currency"],
        message: "an amount condition needs its currency (amounts compare only within one currency)",
        params: { code: paymentsCodes.invalid_rule },
      });
    } else if (c.value.kind === "money" && c.value.currency !== undefined) {
      // A bound is an amount like any other: the currency's scale and the digit limit hold for it too.
      try {
        Money.of(c.value.amount, c.value.currency);
      } catch (error) {
        const code = PlatformError.is(error) ? error.code : "invalid_amount";
        ctx.addIssue({
          code: "custom",
          path: ["value", "amount"],
          message: error instanceof Error ? error.message : "not an amount",
          params: { code },
        });
      }
    }
  });

/** A fraud rule's description: trimmed free text of 1 to 1,000 characters, no NUL. */
export const fraudRuleDescriptionSchema = z
  .string()
  .trim()
  .min(1)
  .max(1000)
  .refine((s) => !s.includes("\u0000"), { message: "must not contain NUL characters", params: { code: coreCodes.nul_character } });

/** Input of `fraud.addRule` in structured form; `fraud.addRule("block if ...")` takes text. */
export const fraudRuleInputSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    action: z.enum(["allow", "block", "review"]),
    conditions: z.array(fraudConditionSchema).min(1).max(20),
    enabled: z.boolean().default(true),
    description: fraudRuleDescriptionSchema.optional(),
  })
  .strict();
/** Input of `fraud.addRule` in structured form. */
export type FraudRuleInput = z.input<typeof fraudRuleInputSchema>;

/** The facts a rule is evaluated against. */
export interface FraudContext {
  amount: Money;
  method: string;
  paymentMethod: string;
  customer?: string | undefined;
  email?: string | undefined;
  ip?: string | undefined;
  country?: string | undefined;
  cardCountry?: string | undefined;
  cardFingerprint?: string | undefined;
  /** Earlier payments in each window (the current one not counted). */
  velocity: Partial<Record<VelocityField, number>>;
  riskScore: number;
}

function stringOf(field: StringField, ctx: FraudContext): string | undefined {
  switch (field) {
    case "currency":
      return ctx.amount.currency;
    case "method":
      return ctx.method;
    case "payment_method":
      return ctx.paymentMethod;
    case "customer":
      return ctx.customer;
    case "email":
      return ctx.email;
    case "email_domain":
      return ctx.email?.split("@")[1];
    case "ip":
      return ctx.ip;
    case "country":
      return ctx.country ?? ctx.cardCountry;
    case "card_country":
      return ctx.cardCountry;
    case "card_fingerprint":
      return ctx.cardFingerprint;
  }
}

/** Reads a field's value from the context (undefined when the payment does not carry it). */
function fieldValue(field: FraudField, ctx: FraudContext): string | number | Money | undefined {
  if (field === "amount") return ctx.amount;
  if (field === "risk_score") return ctx.riskScore;
  if (field.startsWith("payments_per_")) return ctx.velocity[field as VelocityField] ?? 0;
  return stringOf(field as StringField, ctx);
}

function compare(a: number, op: FraudOperator, b: number): boolean {
  switch (op) {
    case ">":
      return a > b;
    case ">=":
      return a >= b;
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case "==":
      return a === b;
    case "!=":
      return a !== b;
    default:
      return false;
  }
}

/** Membership test of a named list, resolved by the service before evaluation. */
export type ListLookup = (list: string, value: string) => boolean;

/** True when the condition holds. A missing field never matches (except `!=` / `not_in`, which hold). */
function conditionHolds(c: FraudCondition, ctx: FraudContext, inList: ListLookup): boolean {
  const actual = fieldValue(c.field, ctx);
  if (actual === undefined) return c.operator === "!=" || c.operator === "not_in";
  if (actual instanceof Money) {
    // Amounts compare only within their currency: a condition without one (stored before currencies
    // were required) matches nothing rather than comparing 100 with ¥5000.
    if (c.value.kind !== "money" || c.value.currency !== actual.currency) return false;
    return compare(actual.amount.comparedTo(c.value.amount), c.operator, 0);
  }
  if (typeof actual === "number") {
    return c.value.kind === "number" && compare(actual, c.operator, c.value.value);
  }
  const text = actual.toLowerCase();
  const eq = (v: string) => v.toLowerCase() === text;
  switch (c.operator) {
    case "==":
      return c.value.kind === "string" && eq(c.value.value);
    case "!=":
      return c.value.kind === "string" && !eq(c.value.value);
    case "in":
    case "not_in": {
      const member = c.value.kind === "values" ? c.value.values.some(eq) : c.value.kind === "list" ? inList(c.value.list, text) : false;
      return c.operator === "in" ? member : !member;
    }
    default:
      return false;
  }
}

/** True when every condition of the rule holds. */
export function ruleMatches(rule: Pick<FraudRule, "conditions">, ctx: FraudContext, inList: ListLookup): boolean {
  return rule.conditions.every((c) => conditionHolds(c, ctx, inList));
}

/** Renders a condition back to rule text. */
function conditionToText(c: FraudCondition): string {
  const op = c.operator === "not_in" ? "not in" : c.operator;
  const v = c.value;
  const value =
    v.kind === "number"
      ? String(v.value)
      : v.kind === "money"
        ? `${v.amount}${v.currency ? ` ${v.currency}` : ""}`
        : v.kind === "string"
          ? JSON.stringify(v.value)
          : v.kind === "list"
            ? `@${v.list}`
            : `[${v.values.map((s) => JSON.stringify(s)).join(", ")}]`;
  return `${c.field} ${op} ${value}`;
}

/** Renders a rule back to text: `block if amount > 10000 USD and country in ["XX"]`. */
export function ruleToText(rule: Pick<FraudRule, "action" | "conditions">): string {
  return `${rule.action} if ${rule.conditions.map(conditionToText).join(" and ")}`;
}
