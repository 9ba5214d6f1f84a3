import { CursorCodec, defaultCursorCodec, MemoryStore, type MemoryTransaction } from "@platform/core";
import type { FraudRule } from "../../domain/fraud-rule.js";
import type { IdempotencyRecord } from "../../domain/idempotency.js";
import type { LedgerTransaction } from "../../domain/ledger.js";
import type { Payment } from "../../domain/payment.js";
import type { Refund } from "../../domain/refund.js";
import type { WebhookDelivery } from "../../domain/webhook-delivery.js";
import type { WebhookEndpoint } from "../../domain/webhook-endpoint.js";
import type { GatewayEventRecord, PaymentTx } from "../../ports/payment-store.js";
import {
  MemoryFraudListRepository,
  MemoryFraudRuleRepository,
  MemoryFraudSignalRepository,
  type ListEntry,
} from "./memory-fraud-repositories.js";
import { idemId, MemoryIdempotencyRepository } from "./memory-idempotency-repository.js";
import { dayOf, MemoryLedgerRepository } from "./memory-ledger-repository.js";
import { gatewayReferenceKey, MemoryPaymentRepository, velocityKeys } from "./memory-payment-repository.js";
import { MemoryRefundRepository } from "./memory-refund-repository.js";
import { gatewayEventId, MemoryGatewayEventRepository } from "./memory-gateway-event-repository.js";
import { MemoryWebhookDeliveryRepository, MemoryWebhookEndpointRepository } from "./memory-webhook-repositories.js";

/** Options of {@link MemoryPaymentStore}. */
export interface MemoryPaymentStoreOptions {
  /** Secret of the page cursors' HMAC, at least 32 characters. Default: a random secret per process. */
  cursorSecret?: string;
}

/**
 * The default store: indexed in-memory tables with serialised, fully rolled-back transactions.
 * Lookups go through indexes (status, velocity keys, ledger by payment and by day, due deliveries).
 * @example
 * ```ts
 * const system = createPaymentSystem({ store: new MemoryPaymentStore(), gateways: { test: new TestGateway() } });
 * ```
 */
export class MemoryPaymentStore extends MemoryStore<PaymentTx> {
  private readonly paymentsTable = this.table<Payment, never, "status" | "velocity" | "reference">("payments", {
    id: (p) => p.id,
    indexes: { status: (p) => p.status, velocity: velocityKeys, reference: gatewayReferenceKey },
  });
  private readonly ledgerTable = this.table<LedgerTransaction, never, "payment" | "day">("ledger_transactions", {
    id: (t) => t.id,
    indexes: { payment: (t) => t.paymentId, day: (t) => dayOf(t.createdAt) },
  });
  private readonly refundsTable = this.table<Refund, never, "payment" | "status" | "reference">("refunds", {
    id: (r) => r.id,
    indexes: {
      payment: (r) => r.paymentId,
      status: (r) => r.status,
      reference: (r) => (r.gatewayRefundId ? gatewayReferenceKey({ gateway: r.gateway, gatewayTransactionId: r.gatewayRefundId }) : null),
    },
  });
  private readonly ledgerSequence = { next: 0 };
  private readonly refundOrder = new Map<string, number>();
  private readonly velocityLatestHour = new Map<string, number>();
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
  private readonly gatewayEventsTable = this.table<GatewayEventRecord>("gateway_events", {
    id: (e) => gatewayEventId(e.gateway, e.eventId),
  });

  private cursorCodec: CursorCodec;

  /** @throws ConfigurationError `weak_cursor_secret`. */
  constructor(options: MemoryPaymentStoreOptions = {}) {
    super();
    this.cursorCodec = options.cursorSecret === undefined ? defaultCursorCodec : new CursorCodec(options.cursorSecret);
  }

  /** Signs and checks this store's page cursors with `secret` from now on. @throws ConfigurationError `weak_cursor_secret`. */
  setCursorSecret(secret: string): void {
    this.cursorCodec = new CursorCodec(secret);
  }

  protected createTransaction(tx: MemoryTransaction): PaymentTx {
    const payments = new MemoryPaymentRepository(this.paymentsTable, this.velocityLatestHour, this.cursorCodec);
    const fraudRules = new MemoryFraudRuleRepository(this.rulesTable, this.cursorCodec);
    const fraudLists = new MemoryFraudListRepository(this.listsTable, this.cursorCodec);
    const webhookEndpoints = new MemoryWebhookEndpointRepository(this.endpointsTable, this.cursorCodec);
    return {
      outbox: tx,
      payments,
      ledger: new MemoryLedgerRepository(this.ledgerTable, this.ledgerSequence, this.cursorCodec),
      refunds: new MemoryRefundRepository(this.refundsTable, this.cursorCodec, this.refundOrder),
      idempotency: new MemoryIdempotencyRepository(this.idempotencyTable),
      fraudRules,
      fraudLists,
      fraudSignals: new MemoryFraudSignalRepository(fraudRules, fraudLists, payments),
      webhookEndpoints,
      webhookDeliveries: new MemoryWebhookDeliveryRepository(this.deliveriesTable, this.cursorCodec, webhookEndpoints),
      gatewayEvents: new MemoryGatewayEventRepository(this.gatewayEventsTable),
    };
  }
}
