import type { FraudAction, FraudRule, VelocityDimension, VelocityField, VelocityWindow } from "./fraud-rule.js";
import { VELOCITY_FIELDS } from "./fraud-rule.js";

/** What the fraud engine reads for one payment being created, asked of the store in one call. */
export interface FraudSignalQuery {
  /** The payment's value per velocity dimension; a dimension without one counts 0. */
  readonly identities: Readonly<Partial<Record<VelocityDimension, string>>>;
  /** Start of each velocity window, by the caller's clock. */
  readonly since: Readonly<Record<VelocityWindow, Date>>;
  /** Velocity fields counted whatever the rules name (the risk score's). */
  readonly alwaysCounted: readonly VelocityField[];
  /** The payment's `type:value` keys, looked up in the built-in lists `allow`, `block` and `review`. */
  readonly listKeys: readonly string[];
  /** The payment's text per rule field (`email`, `ip`, ...): what an `in @list` condition on that field looks up. */
  readonly fieldTexts: Readonly<Partial<Record<string, string>>>;
}

/** The answer to a {@link FraudSignalQuery}. */
export interface FraudSignals {
  /** Every rule, by position. */
  readonly rules: FraudRule[];
  /** The always-counted fields and every velocity field a rule names, counted over the payments already stored. */
  readonly velocity: Partial<Record<VelocityField, number>>;
  /** The built-in lists holding one of the payment's list keys. */
  readonly hitLists: FraudAction[];
  /** `[list, lower-cased value]` of each `in @list` condition whose list holds the payment's value. */
  readonly members: [string, string][];
}

/** A velocity field split into its dimension and window. */
export function velocityParts(field: VelocityField): { dimension: VelocityDimension; window: VelocityWindow } {
  const [, , dimension, window] = field.split("_") as [string, string, VelocityDimension, VelocityWindow];
  return { dimension, window };
}

/**
 * What `rules` need read for the payment described by `query`: the velocity fields to count (the
 * always-counted ones and those the rules name) and the `[list, lower-cased value]` pairs their
 * `in @list` conditions look up (conditions on a field the payment has no text for look up nothing).
 * What a custom store's `fraudSignals.read` must answer for. Throws nothing.
 * @example
 * ```ts
 * const { fields, lookups } = signalsNeeded(await tx.fraudRules.list(), query);
 * ```
 */
export function signalsNeeded(
  rules: readonly FraudRule[],
  query: FraudSignalQuery,
): { fields: VelocityField[]; lookups: [string, string][] } {
  const fields = new Set<VelocityField>(query.alwaysCounted);
  const lookups = new Map<string, [string, string]>();
  for (const r of rules)
    for (const c of r.conditions) {
      if ((VELOCITY_FIELDS as readonly string[]).includes(c.field)) fields.add(c.field as VelocityField);
      if (c.value.kind !== "list") continue;
      const text = query.fieldTexts[c.field];
      if (text) lookups.set(`${c.value.list}\u0000${text.toLowerCase()}`, [c.value.list, text.toLowerCase()]);
    }
  return { fields: [...fields], lookups: [...lookups.values()] };
}
