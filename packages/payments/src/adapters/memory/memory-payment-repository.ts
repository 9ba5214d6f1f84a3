import { ConflictError, paginate, type CursorCodec, type MemoryTable } from "@platform/core";
import type { VelocityDimension } from "../../domain/fraud-rule.js";
import type { Payment } from "../../domain/payment.js";
import type { PaymentStatus } from "../../domain/payment-status.js";
import type { PageQuery, PaymentRepository } from "../../ports/payment-store.js";
import { paymentsCodes } from "../../domain/error-codes.js";

const MINUTE = 60_000;
const HOUR = 3_600_000;
const hourOf = (ms: number) => Math.floor(ms / HOUR);
const minuteOf = (ms: number) => Math.floor(ms / MINUTE);

/** The velocity identity of a payment per dimension: `customer:<id>`, `email:<email>`, `ip:<ip>`, `card:<fingerprint>`. */
function velocityIdentities(p: Payment): string[] {
  const keys: string[] = [];
  if (p.customer.id) keys.push(`customer:${p.customer.id.toLowerCase()}`);
  if (p.customer.email) keys.push(`email:${p.customer.email.toLowerCase()}`);
  if (p.customer.ip) keys.push(`ip:${p.customer.ip.toLowerCase()}`);
  if (p.paymentMethodDetails.fingerprint) keys.push(`card:${p.paymentMethodDetails.fingerprint.toLowerCase()}`);
  return keys;
}

/**
 * Velocity index keys: each identity filed under its hour bucket and its minute bucket, so a
 * count costs at most 60 minute lookups for the first partial hour, one lookup per later hour,
 * and a scan of one minute's rows only, never of the payment history.
 */
export function velocityKeys(p: Payment): string[] {
  const t = p.createdAt.getTime();
  return velocityIdentities(p).flatMap((k) => [`${k}|h${hourOf(t)}`, `${k}|m${minuteOf(t)}`]);
}

/** The index key of a provider reference: the gateway and its id of the object (null without one). */
export function gatewayReferenceKey(p: { gateway: string; gatewayTransactionId?: string | undefined }): string | null {
  return p.gatewayTransactionId ? `${p.gateway}\u0000${p.gatewayTransactionId}` : null;
}

export type PaymentTable = MemoryTable<Payment, never, "status" | "velocity" | "reference">;

/** Payments on a {@link MemoryTable} indexed by status and velocity keys. */
export class MemoryPaymentRepository implements PaymentRepository {
  constructor(
    private readonly table: PaymentTable,
    /**
     * Newest hour bucket per velocity identity: only an upper bound for the count loop, so it is not
     * journaled (after a rollback it may point at an empty bucket, which costs a lookup, not a wrong count).
     */
    private readonly latestHour: Map<string, number>,
    private readonly codec: CursorCodec,
  ) {}
  async get(id: string) {
    return this.table.get(id) ?? null;
  }
  async getForUpdate(id: string) {
    // Memory transactions are serialised: a plain read is already exclusive.
    return this.table.get(id) ?? null;
  }
  async findByGatewayReferenceForUpdate(gateway: string, reference: string) {
    return this.table.findBy("reference", gatewayReferenceKey({ gateway, gatewayTransactionId: reference })!)[0] ?? null;
  }
  async insert(payment: Payment) {
    this.table.insert(payment);
    const hour = hourOf(payment.createdAt.getTime());
    for (const k of velocityIdentities(payment)) if ((this.latestHour.get(k) ?? -Infinity) < hour) this.latestHour.set(k, hour);
  }
  async update(payment: Payment) {
    const current = this.table.get(payment.id);
    if (!current || current.version !== payment.version - 1) {
      throw new ConflictError(paymentsCodes.version_conflict, `payment ${payment.id} was changed concurrently`, {
        details: { paymentId: payment.id },
      });
    }
    this.table.put(payment);
  }
  async listByStatus(status: PaymentStatus, page: PageQuery) {
    return paginate(this.table.findBy("status", status), page, {
      kind: `payments.status.${status}`,
      key: (p) => [p.createdAt.getTime(), p.id],
      direction: "asc",
      codec: this.codec,
    });
  }
  async listExpiredAuthorizations(now: Date, limit: number) {
    const out: Payment[] = [];
    for (const p of this.table.findBy("status", "requires_capture")) {
      if (p.authorizationExpiresAt && p.authorizationExpiresAt.getTime() <= now.getTime()) out.push(p);
      if (out.length >= limit) break;
    }
    return out;
  }
  async listExpiredActions(now: Date, limit: number) {
    const due = this.table
      .findBy("status", "requires_action")
      .filter((p) => p.actionExpiresAt && p.actionExpiresAt.getTime() <= now.getTime());
    return due.sort((a, b) => a.actionExpiresAt!.getTime() - b.actionExpiresAt!.getTime()).slice(0, limit);
  }
  async countSince(dimension: VelocityDimension, value: string, since: Date) {
    const key = `${dimension}:${value.toLowerCase()}`;
    const latest = this.latestHour.get(key);
    const t = since.getTime();
    if (latest === undefined || hourOf(t) > latest) return 0;
    let n = 0;
    // The first minute: filter its rows; the rest of the first hour: whole minutes.
    const firstMinute = minuteOf(t);
    for (const id of this.table.idsBy("velocity", `${key}|m${firstMinute}`)) if (this.table.get(id)!.createdAt.getTime() >= t) n++;
    const nextHourStartMinute = (hourOf(t) + 1) * 60;
    for (let m = firstMinute + 1; m < nextHourStartMinute; m++) n += this.table.countBy("velocity", `${key}|m${m}`);
    // Every later hour up to the newest one this identity has: whole hours.
    for (let h = hourOf(t) + 1; h <= latest; h++) n += this.table.countBy("velocity", `${key}|h${h}`);
    return n;
  }
}
