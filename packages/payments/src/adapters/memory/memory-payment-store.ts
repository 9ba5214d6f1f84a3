import { ConflictError, MemoryStore, paginate, type MemoryTable, type MemoryTransaction, type Page } from "@platform/core";
import type { FraudRule, VelocityDimension } from "../../domain/fraud-rule.js";
import type { IdempotencyRecord, IdempotencyResponse } from "../../domain/idempotency.js";
import type { LedgerTransaction } from "../../domain/ledger.js";
import type { Payment } from "../../domain/payment.js";
import type { PaymentStatus } from "../../domain/payment-status.js";
import type { Refund } from "../../domain/refund.js";
import type { WebhookDelivery } from "../../domain/webhook-delivery.js";
import type { WebhookEndpoint } from "../../domain/webhook-endpoint.js";
import type {
  FraudListRepository,
  FraudRuleRepository,
  IdempotencyClaim,
  IdempotencyRepository,
  LedgerRepository,
  PageQuery,
  PaymentRepository,
  PaymentTx,
  RefundRepository,
  WebhookDeliveryRepository,
  WebhookEndpointRepository,
} from "../../ports/payment-store.js";

const DAY = 86_400_000;
const dayOf = (d: Date) => String(Math.floor(d.getTime() / DAY));

function velocityKeys(p: Payment): string[] {
  const keys: string[] = [];
  if (p.customer.id) keys.push(`customer:${p.customer.id.toLowerCase()}`);
  if (p.customer.email) keys.push(`email:${p.customer.email.toLowerCase()}`);
  if (p.customer.ip) keys.push(`ip:${p.customer.ip.toLowerCase()}`);
  if (p.paymentMethodDetails.fingerprint) keys.push(`card:${p.paymentMethodDetails.fingerprint.toLowerCase()}`);
  return keys;
}

type PaymentTable = MemoryTable<Payment, never, "status" | "velocity">;

class MemoryPaymentRepository implements PaymentRepository {
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

type LedgerTable = MemoryTable<LedgerTransaction, never, "payment" | "day">;

class MemoryLedgerRepository implements LedgerRepository {
  constructor(
    private readonly table: LedgerTable,
    private readonly counter: { next: number },
  ) {}
  async append(t: LedgerTransaction) {
    // A gap left by a rolled-back append is harmless, like a PostgreSQL sequence.
    this.table.insert({ ...t, sequence: ++this.counter.next });
  }
  async get(id: string) {
    return this.table.get(id);
  }
  async allForPayment(paymentId: string) {
    return this.table.findBy("payment", paymentId).sort((a, b) => (a.sequence ?? 0) - (b.sequence ?? 0));
  }
  async listByPayment(paymentId: string, page: PageQuery) {
    return paginate(this.table.findBy("payment", paymentId), page, { kind: "ledger.payment", key: (t) => [t.sequence ?? 0, t.id], direction: "asc" });
  }
  async listByTime(range: { from: Date; to: Date }, page: PageQuery): Promise<Page<LedgerTransaction>> {
    // Day buckets keep a range query proportional to the days it spans, not to the whole ledger.
    const rows: LedgerTransaction[] = [];
    const from = range.from.getTime();
    const to = range.to.getTime();
    for (let day = Math.floor(from / DAY); day <= Math.floor((to - 1) / DAY); day++) {
      for (const t of this.table.findBy("day", String(day))) {
        const at = t.createdAt.getTime();
        if (at >= from && at < to) rows.push(t);
      }
    }
    return paginate(rows, page, { kind: "ledger.time", key: (t) => [t.sequence ?? 0, t.id], direction: "desc" });
  }
}

class MemoryRefundRepository implements RefundRepository {
  constructor(private readonly table: MemoryTable<Refund, never, "payment" | "status">) {}
  async get(id: string) {
    return this.table.get(id);
  }
  async insert(r: Refund) {
    this.table.insert(r);
  }
  async update(r: Refund) {
    this.table.put(r);
  }
  async listByPayment(paymentId: string) {
    return this.table.findBy("payment", paymentId).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  }
  async listByStatus(status: Refund["status"], limit: number) {
    return this.table.findBy("status", status).slice(0, limit);
  }
}

const idemId = (scope: string, key: string) => `${scope}\u0000${key}`;

class MemoryIdempotencyRepository implements IdempotencyRepository {
  constructor(private readonly table: MemoryTable<IdempotencyRecord>) {}
  async claim(record: IdempotencyRecord, now: Date): Promise<IdempotencyClaim> {
    const existing = this.table.get(idemId(record.scope, record.key));
    if (existing && existing.expiresAt.getTime() > now.getTime()) return { claimed: false, existing };
    this.table.put(record);
    return { claimed: true };
  }
  async get(scope: string, key: string) {
    return this.table.get(idemId(scope, key));
  }
  async attach(scope: string, key: string, resourceId: string) {
    const r = this.table.get(idemId(scope, key));
    if (r) this.table.put({ ...r, resourceId });
  }
  async complete(scope: string, key: string, response: IdempotencyResponse) {
    const r = this.table.get(idemId(scope, key));
    if (r) this.table.put({ ...r, status: "completed", resourceId: response.resourceId, response });
  }
  async release(scope: string, key: string) {
    this.table.delete(idemId(scope, key));
  }
}

class MemoryFraudRuleRepository implements FraudRuleRepository {
  constructor(private readonly table: MemoryTable<FraudRule>) {}
  async list() {
    return [...this.table.values()].sort((a, b) => a.position - b.position);
  }
  async get(id: string) {
    return this.table.get(id);
  }
  async insert(rule: FraudRule) {
    this.table.insert(rule);
  }
  async update(rule: FraudRule) {
    this.table.put(rule);
  }
  async delete(id: string) {
    return this.table.delete(id);
  }
  async nextPosition() {
    let max = 0;
    for (const r of this.table.values()) max = Math.max(max, r.position);
    return max + 1;
  }
}

interface ListEntry {
  list: string;
  value: string;
  addedAt: Date;
}

class MemoryFraudListRepository implements FraudListRepository {
  constructor(private readonly table: MemoryTable<ListEntry, never, "list">) {}
  async add(list: string, value: string, now: Date) {
    const id = `${list}\u0000${value.toLowerCase()}`;
    if (!this.table.has(id)) this.table.insert({ list, value: value.toLowerCase(), addedAt: now });
  }
  async remove(list: string, value: string) {
    return this.table.delete(`${list}\u0000${value.toLowerCase()}`);
  }
  async findMembers(list: string, values: readonly string[]) {
    return values.filter((v) => this.table.has(`${list}\u0000${v.toLowerCase()}`));
  }
  async values(list: string, page: PageQuery) {
    const p = paginate(this.table.findBy("list", list), page, { kind: `fraud.list.${list}`, key: (e) => [e.value, e.value], direction: "asc" });
    return { items: p.items.map((e) => e.value), nextCursor: p.nextCursor };
  }
}

class MemoryWebhookEndpointRepository implements WebhookEndpointRepository {
  constructor(private readonly table: MemoryTable<WebhookEndpoint, never, "enabled">) {}
  async get(id: string) {
    return this.table.get(id);
  }
  async insert(e: WebhookEndpoint) {
    this.table.insert(e);
  }
  async update(e: WebhookEndpoint) {
    this.table.put(e);
  }
  async delete(id: string) {
    return this.table.delete(id);
  }
  async listEnabled() {
    return this.table.findBy("enabled", "1");
  }
  async list(page: PageQuery) {
    return paginate(this.table.values(), page, { kind: "webhooks.endpoints", key: (e) => [e.createdAt.getTime(), e.id], direction: "asc" });
  }
}

class MemoryWebhookDeliveryRepository implements WebhookDeliveryRepository {
  constructor(private readonly table: MemoryTable<WebhookDelivery, never, "active" | "endpoint">) {}
  async get(id: string) {
    return this.table.get(id);
  }
  async insert(d: WebhookDelivery) {
    this.table.insert(d);
  }
  async update(d: WebhookDelivery) {
    this.table.put(d);
  }
  async claimDue(now: Date, leaseUntil: Date, limit: number) {
    const t = now.getTime();
    const due: WebhookDelivery[] = [];
    for (const d of this.table.findBy("active", "1")) {
      const ready = d.status === "pending" ? (d.nextAttemptAt?.getTime() ?? 0) <= t : (d.leaseUntil?.getTime() ?? 0) <= t;
      if (ready) due.push(d);
    }
    due.sort((a, b) => (a.nextAttemptAt?.getTime() ?? 0) - (b.nextAttemptAt?.getTime() ?? 0));
    return due.slice(0, limit).map((d) => this.table.put({ ...d, status: "sending", leaseUntil, updatedAt: now }));
  }
  async listByEndpoint(endpointId: string, page: PageQuery) {
    return paginate(this.table.findBy("endpoint", endpointId), page, { kind: "webhooks.deliveries", key: (d) => [d.createdAt.getTime(), d.id], direction: "desc" });
  }
  async nextDueAt() {
    let min: number | undefined;
    for (const d of this.table.findBy("active", "1")) {
      const at = d.status === "pending" ? (d.nextAttemptAt?.getTime() ?? 0) : (d.leaseUntil?.getTime() ?? 0);
      if (min === undefined || at < min) min = at;
    }
    return min === undefined ? undefined : new Date(min);
  }
}

/**
 * The default store: indexed in-memory tables with serialised, fully rolled-back transactions.
 * Lookups go through indexes (status, velocity keys, ledger by payment and by day, due deliveries).
 * @example
 * ```ts
 * const system = createPaymentSystem({ store: new MemoryPaymentStore() });
 * ```
 */
export class MemoryPaymentStore extends MemoryStore<PaymentTx> {
  private readonly paymentsTable = this.table<Payment, never, "status" | "velocity">("payments", {
    id: (p) => p.id,
    indexes: { status: (p) => p.status, velocity: velocityKeys },
  });
  private readonly ledgerTable = this.table<LedgerTransaction, never, "payment" | "day">("ledger_transactions", {
    id: (t) => t.id,
    indexes: { payment: (t) => t.paymentId, day: (t) => dayOf(t.createdAt) },
  });
  private readonly refundsTable = this.table<Refund, never, "payment" | "status">("refunds", {
    id: (r) => r.id,
    indexes: { payment: (r) => r.paymentId, status: (r) => r.status },
  });
  private readonly ledgerSequence = { next: 0 };
  private readonly idempotencyTable = this.table<IdempotencyRecord>("idempotency_keys", { id: (r) => idemId(r.scope, r.key) });
  private readonly rulesTable = this.table<FraudRule>("fraud_rules", { id: (r) => r.id });
  private readonly listsTable = this.table<ListEntry, never, "list">("fraud_list_entries", {
    id: (e) => `${e.list}\u0000${e.value}`,
    indexes: { list: (e) => e.list },
  });
  private readonly endpointsTable = this.table<WebhookEndpoint, never, "enabled">("webhook_endpoints", {
    id: (e) => e.id,
    indexes: { enabled: (e) => (e.enabled ? "1" : null) },
  });
  private readonly deliveriesTable = this.table<WebhookDelivery, never, "active" | "endpoint">("webhook_deliveries", {
    id: (d) => d.id,
    indexes: { active: (d) => (d.status === "pending" || d.status === "sending" ? "1" : null), endpoint: (d) => d.endpointId },
  });

  protected createTransaction(tx: MemoryTransaction): PaymentTx {
    return {
      outbox: tx,
      payments: new MemoryPaymentRepository(this.paymentsTable),
      ledger: new MemoryLedgerRepository(this.ledgerTable, this.ledgerSequence),
      refunds: new MemoryRefundRepository(this.refundsTable),
      idempotency: new MemoryIdempotencyRepository(this.idempotencyTable),
      fraudRules: new MemoryFraudRuleRepository(this.rulesTable),
      fraudLists: new MemoryFraudListRepository(this.listsTable),
      webhookEndpoints: new MemoryWebhookEndpointRepository(this.endpointsTable),
      webhookDeliveries: new MemoryWebhookDeliveryRepository(this.deliveriesTable),
    };
  }
}
