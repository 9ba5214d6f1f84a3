import type { CursorCodec, Page } from "@platform/core";
import type { Queryable } from "@platform/core/postgres";
import type { FraudListRepository, PageQuery } from "../../ports/payment-store.js";
import { afterKey, toPage } from "./keyset.js";
import { run } from "./sql-errors.js";

/**
 * Named fraud lists on `fraud_list_entries` (primary key (list, lower-cased value)).
 * @throws ValidationError `nul_character`, `invalid_cursor`.
 */
export class PostgresFraudListRepository implements FraudListRepository {
  constructor(
    private readonly db: Queryable,
    private readonly codec: CursorCodec,
  ) {}

  async add(list: string, value: string, now: Date): Promise<void> {
    await run(this.db, "INSERT INTO fraud_list_entries (list, value, added_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", [
      list,
      value.toLowerCase(),
      now,
    ]);
  }

  async remove(list: string, value: string): Promise<boolean> {
    const { rowCount } = await run(this.db, "DELETE FROM fraud_list_entries WHERE list = $1 AND value = $2", [list, value.toLowerCase()]);
    return rowCount === 1;
  }

  async findMembers(list: string, values: readonly string[]): Promise<string[]> {
    if (values.length === 0) return [];
    const { rows } = await run<{ value: string }>(
      this.db,
      "SELECT value FROM fraud_list_entries WHERE list = $1 AND value = ANY($2::text[])",
      [list, values.map((v) => v.toLowerCase())],
    );
    const found = new Set(rows.map((r) => r.value));
    return values.filter((v) => found.has(v.toLowerCase()));
  }

  async values(list: string, page: PageQuery): Promise<Page<string>> {
    const kind = `fraud.list.${list}`;
    const after = afterKey(this.codec, kind, page.cursor);
    const { rows } = await run<{ value: string }>(
      this.db,
      "SELECT value FROM fraud_list_entries WHERE list = $1 AND value > $2 ORDER BY value LIMIT $3",
      [list, after ? String(after[0]) : "", page.limit + 1],
    );
    return toPage(
      this.codec,
      rows.map((r) => r.value),
      page.limit,
      kind,
      (v) => [v, v],
    );
  }
}
