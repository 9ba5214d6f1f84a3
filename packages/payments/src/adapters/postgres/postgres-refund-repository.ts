import { Money, type CursorCodec, type Page } from "@platform/core";
import type { Queryable } from "@platform/core/postgres";
import type { Refund } from "../../domain/refund.js";
import type { PageQuery, RefundRepository } from "../../ports/payment-store.js";
import { afterKey, toPage } from "./keyset.js";
import { run } from "./sql-errors.js";

interface RefundRow {
  id: string;
  payment_id: string;
  amount: string;
  currency: string;
  reason: Refund["reason"];
  status: Refund["status"];
  gateway: string;
  gateway_refund_id: string | null;
  failure: Refund["failure"] | null;
  metadata: Record<string, string>;
  created_at: Date;
  updated_at: Date;
  seq: string;
}

const COLUMNS =
  "id, payment_id, amount::text AS amount, currency, reason, status, gateway, gateway_refund_id, failure, metadata, created_at, updated_at, seq::text AS seq";

function toRefund(r: RefundRow): Refund {
  return {
    id: r.id,
    paymentId: r.payment_id,
    amount: Money.of(r.amount, r.currency),
    reason: r.reason,
    status: r.status,
    gateway: r.gateway,
    gatewayRefundId: r.gateway_refund_id ?? undefined,
    failure: r.failure ?? undefined,
    metadata: r.metadata,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));

/**
 * Refunds on the `refunds` table (foreign key to the payment, indexed by payment and pending status).
 * @throws ConflictError `duplicate_id`, `reference_not_found`; ValidationError `nul_character`.
 */
export class PostgresRefundRepository implements RefundRepository {
  constructor(
    private readonly db: Queryable,
    private readonly codec: CursorCodec,
  ) {}

  async get(id: string): Promise<Refund | null> {
    const { rows } = await run<RefundRow>(this.db, `SELECT ${COLUMNS} FROM refunds WHERE id = $1`, [id]);
    return rows[0] ? toRefund(rows[0]) : null;
  }

  async getByGatewayRefundId(gateway: string, gatewayRefundId: string): Promise<Refund | null> {
    const { rows } = await run<RefundRow>(
      this.db,
      `SELECT ${COLUMNS} FROM refunds WHERE gateway = $1 AND gateway_refund_id = $2 ORDER BY seq LIMIT 1`,
      [gateway, gatewayRefundId],
    );
    return rows[0] ? toRefund(rows[0]) : null;
  }

  async insert(r: Refund): Promise<void> {
    await run(
      this.db,
      `INSERT INTO refunds (id, payment_id, amount, currency, reason, status, gateway, gateway_refund_id, failure, metadata, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        r.id,
        r.paymentId,
        r.amount.toFixed(),
        r.amount.currency,
        r.reason,
        r.status,
        r.gateway,
        r.gatewayRefundId ?? null,
        json(r.failure),
        json(r.metadata),
        r.createdAt,
        r.updatedAt,
      ],
    );
  }

  async update(r: Refund): Promise<void> {
    // Amount, payment and currency of a refund never change.
    await run(
      this.db,
      "UPDATE refunds SET reason = $2, status = $3, gateway = $4, gateway_refund_id = $5, failure = $6, metadata = $7, updated_at = $8 WHERE id = $1",
      [r.id, r.reason, r.status, r.gateway, r.gatewayRefundId ?? null, json(r.failure), json(r.metadata), r.updatedAt],
    );
  }

  async listByPayment(paymentId: string, page: PageQuery): Promise<Page<Refund>> {
    const after = afterKey(this.codec, "refunds.payment", page.cursor);
    const { rows } = await run<RefundRow>(
      this.db,
      `SELECT ${COLUMNS} FROM refunds WHERE payment_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      [paymentId, after ? after[0] : "0", page.limit + 1],
    );
    const bySeq = new Map(rows.map((r) => [r.id, r.seq]));
    return toPage(this.codec, rows.map(toRefund), page.limit, "refunds.payment", (r) => [bySeq.get(r.id)!, r.id]);
  }

  async listByStatus(status: Refund["status"], limit: number): Promise<Refund[]> {
    const { rows } = await run<RefundRow>(this.db, `SELECT ${COLUMNS} FROM refunds WHERE status = $1 ORDER BY seq LIMIT $2`, [
      status,
      limit,
    ]);
    return rows.map(toRefund);
  }
}
