import { Money, type CursorCodec, type Page } from "@platform/core";
import type { Queryable } from "@platform/core/postgres";
import type { LedgerAccount, LedgerTransaction } from "../../domain/ledger.js";
import type { LedgerRepository, PageQuery } from "../../ports/payment-store.js";
import { afterKey, toPage } from "./keyset.js";
import { run, send, type DeferWrite } from "./sql-errors.js";

interface LedgerRow {
  sequence: string;
  id: string;
  payment_id: string;
  refund_id: string | null;
  type: LedgerTransaction["type"];
  amount: string;
  currency: string;
  status: LedgerTransaction["status"];
  gateway: string;
  gateway_reference: string | null;
  failed_operation: LedgerTransaction["failedOperation"] | null;
  failure_code: string | null;
  gateway_data: LedgerTransaction["gatewayData"] | null;
  created_at: Date;
  postings: { account: LedgerAccount; direction: "debit" | "credit"; amount: string; currency: string }[];
}

const SELECT = `SELECT t.sequence, t.id, t.payment_id, t.refund_id, t.type, t.amount::text AS amount, t.currency, t.status, t.gateway,
    t.gateway_reference, t.failed_operation, t.failure_code, t.gateway_data, t.created_at,
    COALESCE((SELECT json_agg(json_build_object('account', p.account, 'direction', p.direction, 'amount', p.amount::text, 'currency', p.currency) ORDER BY p.position)
                FROM payment_postings p WHERE p.transaction_id = t.id), '[]'::json) AS postings
  FROM payment_transactions t`;

function toTransaction(r: LedgerRow): LedgerTransaction {
  return {
    id: r.id,
    paymentId: r.payment_id,
    refundId: r.refund_id ?? undefined,
    type: r.type,
    amount: Money.of(r.amount, r.currency),
    status: r.status,
    gateway: r.gateway,
    gatewayReference: r.gateway_reference ?? undefined,
    ...(r.gateway_data !== null ? { gatewayData: r.gateway_data } : {}),
    failedOperation: r.failed_operation ?? undefined,
    failureCode: r.failure_code ?? undefined,
    postings: r.postings.map((p) => ({ account: p.account, direction: p.direction, amount: Money.of(p.amount, p.currency) })),
    createdAt: r.created_at,
    sequence: Number(r.sequence),
  };
}

const bySequence = (t: LedgerTransaction): [number, string] => [t.sequence ?? 0, t.id];

/**
 * The append-only ledger: `payment_transactions` (ordered by an identity column) and their
 * double-entry `payment_postings`, written in one statement. The schema refuses updates and
 * deletes, and an unbalanced transaction at commit.
 * @throws ConflictError `duplicate_id`; DomainRuleError `ledger_unbalanced` (at commit), `ledger_immutable`;
 *   ValidationError `invalid_cursor`.
 */
export class PostgresLedgerRepository implements LedgerRepository {
  constructor(
    private readonly db: Queryable,
    private readonly codec: CursorCodec,
    private readonly defer?: DeferWrite,
  ) {}

  async append(t: LedgerTransaction): Promise<void> {
    await send(
      this.db,
      this.defer,
      `WITH t AS (
         INSERT INTO payment_transactions (id, payment_id, refund_id, type, amount, currency, status, gateway, gateway_reference, failed_operation, failure_code, created_at, gateway_data)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $17::jsonb) RETURNING id)
       INSERT INTO payment_postings (transaction_id, position, account, direction, amount, currency)
       SELECT t.id, u.ord - 1, u.account, u.direction, u.amount, u.currency
         FROM t, unnest($13::text[], $14::text[], $15::numeric[], $16::text[]) WITH ORDINALITY AS u(account, direction, amount, currency, ord)`,
      [
        t.id,
        t.paymentId,
        t.refundId ?? null,
        t.type,
        t.amount.toFixed(),
        t.amount.currency,
        t.status,
        t.gateway,
        t.gatewayReference ?? null,
        t.failedOperation ?? null,
        t.failureCode ?? null,
        t.createdAt,
        t.postings.map((p) => p.account),
        t.postings.map((p) => p.direction),
        t.postings.map((p) => p.amount.toFixed()),
        t.postings.map((p) => p.amount.currency),
        t.gatewayData === undefined ? null : JSON.stringify(t.gatewayData),
      ],
    );
  }

  async get(id: string): Promise<LedgerTransaction | null> {
    const { rows } = await run<LedgerRow>(this.db, `${SELECT} WHERE t.id = $1`, [id]);
    return rows[0] ? toTransaction(rows[0]) : null;
  }

  async allForPayment(paymentId: string): Promise<LedgerTransaction[]> {
    const { rows } = await run<LedgerRow>(this.db, `${SELECT} WHERE t.payment_id = $1 ORDER BY t.sequence`, [paymentId]);
    return rows.map(toTransaction);
  }

  async listByPayment(paymentId: string, page: PageQuery): Promise<Page<LedgerTransaction>> {
    const after = afterKey(this.codec, "ledger.payment", page.cursor);
    const { rows } = await run<LedgerRow>(this.db, `${SELECT} WHERE t.payment_id = $1 AND t.sequence > $2 ORDER BY t.sequence LIMIT $3`, [
      paymentId,
      after ? Number(after[0]) : 0,
      page.limit + 1,
    ]);
    return toPage(this.codec, rows.map(toTransaction), page.limit, "ledger.payment", bySequence);
  }

  async listByTime(range: { from: Date; to: Date }, page: PageQuery): Promise<Page<LedgerTransaction>> {
    const after = afterKey(this.codec, "ledger.time", page.cursor);
    const { rows } = await run<LedgerRow>(
      this.db,
      `${SELECT} WHERE t.created_at >= $1 AND t.created_at < $2 AND ($3::bigint IS NULL OR t.sequence < $3) ORDER BY t.sequence DESC LIMIT $4`,
      [range.from, range.to, after ? Number(after[0]) : null, page.limit + 1],
    );
    return toPage(this.codec, rows.map(toTransaction), page.limit, "ledger.time", bySequence);
  }
}
