import { ConflictError, type CursorCodec, type Page } from "@platform/core";
import { snapshotRead, type Queryable } from "@platform/core/postgres";
import type { VelocityDimension } from "../../domain/fraud-rule.js";
import type { Payment } from "../../domain/payment.js";
import type { PaymentStatus } from "../../domain/payment-status.js";
import type { PageQuery, PaymentRepository } from "../../ports/payment-store.js";
import { afterKey, toPage } from "./keyset.js";
import { PAYMENT_COLUMNS, paymentValues, toPayment, type PaymentRow } from "./payment-row.js";
import { run, send, type DeferWrite } from "./sql-errors.js";
import { paymentsCodes } from "../../domain/error-codes.js";

const COLUMNS = PAYMENT_COLUMNS.join(", ");
// A plain read: a transaction that only reads a payment needs no BEGIN/COMMIT.
const GET_SQL = snapshotRead(`SELECT ${COLUMNS} FROM payments WHERE id = $1`);
const PLACEHOLDERS = PAYMENT_COLUMNS.map((_, i) => `$${i + 1}`).join(", ");
// Every column but the key.
const UPDATED = PAYMENT_COLUMNS.map((c, i) => [c, i] as const).filter(([c]) => c !== "id");
// The version check fails as an SQL error (no row updated divides by zero), which aborts the
// transaction as a constraint would: so the update can go out without waiting for its answer.
const UPDATE_SQL = `WITH u AS (UPDATE payments SET ${UPDATED.map(([c, i]) => `${c} = $${i + 1}`).join(", ")}
  WHERE id = $1 AND version = $${PAYMENT_COLUMNS.length + 1} RETURNING 1)
  SELECT 1 / count(*) AS updated FROM u`;
const DIVISION_BY_ZERO = "22012";
const INSERT_SQL = `WITH p AS (INSERT INTO payments (${COLUMNS}) VALUES (${PLACEHOLDERS}) RETURNING id, created_at)
  INSERT INTO fraud_velocity_events (dimension, value, created_at, payment_id)
  SELECT u.dimension, u.value, p.created_at, p.id FROM p, unnest($${PAYMENT_COLUMNS.length + 1}::text[], $${PAYMENT_COLUMNS.length + 2}::text[]) AS u(dimension, value)`;

/** The velocity identities of a payment: dimension and lower-cased value. */
function identities(p: Payment): [VelocityDimension, string][] {
  const out: [VelocityDimension, string][] = [];
  if (p.customer.id) out.push(["customer", p.customer.id.toLowerCase()]);
  if (p.customer.email) out.push(["email", p.customer.email.toLowerCase()]);
  if (p.customer.ip) out.push(["ip", p.customer.ip.toLowerCase()]);
  if (p.paymentMethodDetails.fingerprint) out.push(["card", p.paymentMethodDetails.fingerprint.toLowerCase()]);
  return out;
}

/**
 * Payments on the `payments` table. `update` is a conditional UPDATE on the version,
 * `getForUpdate` a row lock; inserting a payment also files its velocity identities in
 * `fraud_velocity_events` (same statement), which `countSince` counts over an index range.
 * @throws ConflictError `version_conflict` (update), `duplicate_id` (insert); DomainRuleError
 *   `amount_invariant_violated`; ValidationError `nul_character`, `invalid_cursor`.
 */
export class PostgresPaymentRepository implements PaymentRepository {
  constructor(
    private readonly db: Queryable,
    private readonly codec: CursorCodec,
    private readonly defer?: DeferWrite,
  ) {}

  async get(id: string): Promise<Payment | null> {
    const { rows } = await run<PaymentRow>(this.db, GET_SQL, [id]);
    return rows[0] ? toPayment(rows[0]) : null;
  }

  async getForUpdate(id: string): Promise<Payment | null> {
    const { rows } = await run<PaymentRow>(this.db, `SELECT ${COLUMNS} FROM payments WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0] ? toPayment(rows[0]) : null;
  }

  async findByGatewayReferenceForUpdate(gateway: string, reference: string): Promise<Payment | null> {
    const { rows } = await run<PaymentRow>(
      this.db,
      `SELECT ${COLUMNS} FROM payments WHERE gateway = $1 AND transaction_id = $2 ORDER BY created_at, id LIMIT 1 FOR UPDATE`,
      [gateway, reference],
    );
    return rows[0] ? toPayment(rows[0]) : null;
  }

  async insert(payment: Payment): Promise<void> {
    const ids = identities(payment);
    await send(this.db, this.defer, INSERT_SQL, [...paymentValues(payment), ids.map((i) => i[0]), ids.map((i) => i[1])]);
  }

  async update(payment: Payment): Promise<void> {
    const write = run(this.db, UPDATE_SQL, [...paymentValues(payment), payment.version - 1]).catch((error: unknown) => {
      if ((error as { code?: unknown } | null)?.code !== DIVISION_BY_ZERO) throw error;
      throw new ConflictError(paymentsCodes.version_conflict, `payment ${payment.id} was changed concurrently`, {
        details: { paymentId: payment.id },
        cause: error,
      });
    });
    if (this.defer) this.defer(write);
    else await write;
  }

  async listByStatus(status: PaymentStatus, page: PageQuery): Promise<Page<Payment>> {
    const kind = `payments.status.${status}`;
    const after = afterKey(this.codec, kind, page.cursor);
    const { rows } = await run<PaymentRow>(
      this.db,
      `SELECT ${COLUMNS} FROM payments
        WHERE status = $1 AND ($2::timestamptz IS NULL OR (created_at, id) > ($2, $3))
        ORDER BY created_at, id LIMIT $4`,
      [status, after ? new Date(Number(after[0])) : null, after?.[1] ?? "", page.limit + 1],
    );
    return toPage(this.codec, rows.map(toPayment), page.limit, kind, (p) => [p.createdAt.getTime(), p.id]);
  }

  async listExpiredAuthorizations(now: Date, limit: number): Promise<Payment[]> {
    // Locked, skipping rows another sweeper holds: concurrent schedulers split the work.
    const { rows } = await run<PaymentRow>(
      this.db,
      `SELECT ${COLUMNS} FROM payments
        WHERE status = 'requires_capture' AND authorization_expires_at <= $1
        ORDER BY authorization_expires_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now, limit],
    );
    return rows.map(toPayment);
  }

  async listExpiredActions(now: Date, limit: number): Promise<Payment[]> {
    const { rows } = await run<PaymentRow>(
      this.db,
      `SELECT ${COLUMNS} FROM payments
        WHERE status = 'requires_action' AND action_expires_at <= $1
        ORDER BY action_expires_at LIMIT $2`,
      [now, limit],
    );
    return rows.map(toPayment);
  }

  async countSince(dimension: VelocityDimension, value: string, since: Date): Promise<number> {
    const { rows } = await run<{ n: number }>(
      this.db,
      "SELECT count(*)::int AS n FROM fraud_velocity_events WHERE dimension = $1 AND value = $2 AND created_at >= $3",
      [dimension, value.toLowerCase(), since],
    );
    return rows[0]?.n ?? 0;
  }
}
