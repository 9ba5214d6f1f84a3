import type { CursorCodec, Page } from "@platform/core";
import type { Queryable } from "@platform/core/postgres";
import type { FraudRule } from "../../domain/fraud-rule.js";
import type { FraudRuleRepository, PageQuery } from "../../ports/payment-store.js";
import { afterKey, toPage } from "./keyset.js";
import { run } from "./sql-errors.js";

/** A `fraud_rules` row as the driver returns it. */
export interface RuleRow {
  id: string;
  name: string;
  action: FraudRule["action"];
  conditions: FraudRule["conditions"];
  enabled: boolean;
  position: number;
  source: string | null;
  description: string | null;
  created_at: Date;
}

/** The columns of a rule, in {@link RuleRow} order. */
export const RULE_COLUMNS = "id, name, action, conditions, enabled, position, source, created_at, description";
// Serialises position assignment of concurrent `addRule` calls (any process) until commit.
const POSITION_LOCK = 7_313_370_101;

/** A rule from its row. */
export function toRule(r: RuleRow): FraudRule {
  return {
    id: r.id,
    name: r.name,
    action: r.action,
    conditions: r.conditions,
    enabled: r.enabled,
    position: r.position,
    source: r.source ?? undefined,
    ...(r.description !== null ? { description: r.description } : {}),
    createdAt: r.created_at,
  };
}

/**
 * Fraud rules on `fraud_rules` (unique position, conditions as jsonb).
 * @throws ConflictError `duplicate_id`, `duplicate_position` (at commit); ValidationError `nul_character`.
 */
export class PostgresFraudRuleRepository implements FraudRuleRepository {
  constructor(
    private readonly db: Queryable,
    private readonly codec: CursorCodec,
  ) {}

  async list(): Promise<FraudRule[]> {
    const { rows } = await run<RuleRow>(this.db, `SELECT ${RULE_COLUMNS} FROM fraud_rules ORDER BY position`);
    return rows.map(toRule);
  }

  async page(page: PageQuery): Promise<Page<FraudRule>> {
    const after = afterKey(this.codec, "fraud.rules", page.cursor);
    const { rows } = await run<RuleRow>(
      this.db,
      `SELECT ${RULE_COLUMNS} FROM fraud_rules WHERE ($1::int IS NULL OR position > $1) ORDER BY position LIMIT $2`,
      [after ? after[0] : null, page.limit + 1],
    );
    return toPage(this.codec, rows.map(toRule), page.limit, "fraud.rules", (r) => [r.position, r.id]);
  }

  async get(id: string): Promise<FraudRule | null> {
    const { rows } = await run<RuleRow>(this.db, `SELECT ${RULE_COLUMNS} FROM fraud_rules WHERE id = $1`, [id]);
    return rows[0] ? toRule(rows[0]) : null;
  }

  async insert(rule: FraudRule): Promise<void> {
    await run(this.db, `INSERT INTO fraud_rules (${RULE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, [
      rule.id,
      rule.name,
      rule.action,
      JSON.stringify(rule.conditions),
      rule.enabled,
      rule.position,
      rule.source ?? null,
      rule.createdAt,
      rule.description ?? null,
    ]);
  }

  async update(rule: FraudRule): Promise<void> {
    await run(
      this.db,
      "UPDATE fraud_rules SET name = $2, action = $3, conditions = $4, enabled = $5, position = $6, source = $7, description = $8 WHERE id = $1",
      [
        rule.id,
        rule.name,
        rule.action,
        JSON.stringify(rule.conditions),
        rule.enabled,
        rule.position,
        rule.source ?? null,
        rule.description ?? null,
      ],
    );
  }

  async delete(id: string): Promise<boolean> {
    const { rowCount } = await run(this.db, "DELETE FROM fraud_rules WHERE id = $1", [id]);
    return rowCount === 1;
  }

  async nextPosition(): Promise<number> {
    // A transaction-scoped advisory lock: two processes adding rules at once get distinct positions.
    await run(this.db, "SELECT pg_advisory_xact_lock($1)", [POSITION_LOCK]);
    const { rows } = await run<{ next: number }>(this.db, "SELECT COALESCE(max(position), 0) + 1 AS next FROM fraud_rules");
    return rows[0]!.next;
  }
}
