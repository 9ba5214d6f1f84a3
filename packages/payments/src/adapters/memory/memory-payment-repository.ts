import { ConflictError, paginate, type MemoryTable } from "@platform/core";
import type { VelocityDimension } from "../../domain/fraud-rule.js";
import type { Payment } from "../../domain/payment.js";
import type { PaymentStatus } from "../../domain/payment-status.js";
import type { PageQuery, PaymentRepository } from "../../ports/payment-store.js";

/** Velocity index keys of a payment: `customer:<id>`, `email:<email>`, `ip:<ip>`, `card:<fingerprint>`. */
export function velocityKeys(p: Payment): string[] {
  const keys: string[] = [];
  if (p.customer.id) keys.push(`customer:${p.customer.id.toLowerCase()}`);
  if (p.customer.email) keys.push(`email:${p.customer.email.toLowerCase()}`);
  if (p.customer.ip) keys.push(`ip:${p.customer.ip.toLowerCase()}`);
  if (p.paymentMethodDetails.fingerprint) keys.push(`card:${p.paymentMethodDetails.fingerprint.toLowerCase()}`);
  return keys;
}

/** The payments table with its status and velocity indexes. */
export type PaymentTable = MemoryTable<Payment, never, "status" | "velocity">;

/** Payments on a {@link MemoryTable} indexed by status and velocity keys. */
export class MemoryPaymentRepository implements PaymentRepository {
  constructor(private readonly table: PaymentTable) {}
  async get(id: string) {
    return this.table.get(id);
  }
  async getForUpdate(id: string) {
    // Memory transactions are serialised: a plain read is already exclusive.
    return this.table.get(id);
  }
  async insert(payment: Payment) {
    this.table.insert(payment);
  }
  async update(payment: Payment) {
    const current = this.table.get(payment.id);
    if (!current || current.version !== payment.version - 1) {
      throw new ConflictError(`payment ${payment.id} was changed concurrently`, "version_conflict", { details: { paymentId: payment.id } });
    }
    this.table.put(payment);
  }
  async listByStatus(status: PaymentStatus, page: PageQuery) {
    return paginate(this.table.findBy("status", status), page, { kind: `payments.status.${status}`, key: (p) => [p.createdAt.getTime(), p.id], direction: "asc" });
  }
  async listExpiredAuthorizations(now: Date, limit: number) {
    const out: Payment[] = [];
    for (const p of this.table.findBy("status", "requires_capture")) {
      if (p.authorizationExpiresAt && p.authorizationExpiresAt.getTime() <= now.getTime()) out.push(p);
      if (out.length >= limit) break;
    }
    return out;
  }
  async countSince(dimension: VelocityDimension, value: string, since: Date) {
    let n = 0;
    const t = since.getTime();
    for (const id of this.table.idsBy("velocity", `${dimension}:${value.toLowerCase()}`)) {
      if (this.table.get(id)!.createdAt.getTime() >= t) n++;
    }
    return n;
  }
}
