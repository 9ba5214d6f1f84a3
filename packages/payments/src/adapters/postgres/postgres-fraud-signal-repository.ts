import type { Queryable } from "@platform/core/postgres";
import { FRAUD_ACTIONS, VELOCITY_FIELDS, type FraudAction, type VelocityField } from "../../domain/fraud-rule.js";
import { velocityParts, type FraudSignalQuery, type FraudSignals } from "../../domain/fraud-signals.js";
import type { FraudSignalRepository } from "../../ports/payment-store.js";
import { RULE_COLUMNS, toRule, type RuleRow } from "./postgres-fraud-rule-repository.js";
import { run } from "./sql-errors.js";

// One statement, function-free so the planner sees every part: the rules; a count per velocity field
// that is always counted or named by a rule's condition (a CASE, so a field without a value reads 0
// without a scan); the built-in lists holding one of the payment's keys; and the `in @list` look-ups
// of the rules' conditions, joined to the payment's text of the condition's field.
const READ_SQL = `WITH r AS (SELECT ${RULE_COLUMNS} FROM fraud_rules),
  named AS (SELECT DISTINCT c->>'field' AS field, c->'value'->>'kind' AS kind, c->'value'->>'list' AS list
              FROM r, jsonb_array_elements(r.conditions) AS c)
SELECT
  (SELECT coalesce(jsonb_agg(to_jsonb(r) ORDER BY r.position), '[]'::jsonb) FROM r) AS rules,
  (SELECT coalesce(jsonb_object_agg(v.field, CASE WHEN v.value IS NULL THEN 0 ELSE
            (SELECT count(*) FROM fraud_velocity_events e WHERE e.dimension = v.dimension AND e.value = v.value AND e.created_at >= v.since) END), '{}'::jsonb)
     FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::boolean[]) AS v(field, dimension, value, since, always)
    WHERE v.always OR v.field IN (SELECT field FROM named)) AS velocity,
  ARRAY(SELECT a.list FROM unnest($6::text[]) WITH ORDINALITY AS a(list, ord)
         WHERE EXISTS (SELECT 1 FROM fraud_list_entries l WHERE l.list = a.list AND l.value = ANY($7::text[])) ORDER BY a.ord) AS hit_lists,
  (SELECT coalesce(jsonb_agg(jsonb_build_array(m.list, m.value)), '[]'::jsonb)
     FROM (SELECT DISTINCT n.list, t.value FROM named n JOIN unnest($8::text[], $9::text[]) AS t(field, value) ON t.field = n.field
            WHERE n.kind = 'list') AS m
    WHERE EXISTS (SELECT 1 FROM fraud_list_entries l WHERE l.list = m.list AND l.value = m.value)) AS members`;

interface SignalsRow {
  rules: (Omit<RuleRow, "created_at"> & { created_at: string })[];
  velocity: Partial<Record<VelocityField, number>>;
  hit_lists: FraudAction[];
  members: [string, string][];
}

/** The fraud engine's reads in one statement (one round trip whatever the rules name). @throws ValidationError `nul_character`. */
export class PostgresFraudSignalRepository implements FraudSignalRepository {
  constructor(private readonly db: Queryable) {}

  async read(query: FraudSignalQuery): Promise<FraudSignals> {
    const always = new Set(query.alwaysCounted);
    const fields = VELOCITY_FIELDS.map((field) => ({ field, ...velocityParts(field) }));
    const texts = Object.entries(query.fieldTexts).filter((e): e is [string, string] => !!e[1]);
    const { rows } = await run<SignalsRow>(this.db, READ_SQL, [
      fields.map((f) => f.field),
      fields.map((f) => f.dimension),
      fields.map((f) => query.identities[f.dimension]?.toLowerCase() || null),
      fields.map((f) => query.since[f.window]),
      fields.map((f) => always.has(f.field)),
      FRAUD_ACTIONS,
      query.listKeys.map((k) => k.toLowerCase()),
      texts.map(([field]) => field),
      texts.map(([, text]) => text.toLowerCase()),
    ]);
    const row = rows[0]!;
    return {
      rules: row.rules.map((r) => toRule({ ...r, created_at: new Date(r.created_at) })),
      velocity: row.velocity,
      hitLists: row.hit_lists,
      members: row.members,
    };
  }
}
