import type { EventOutbox, Page, UnitOfWork } from "@platform/core";
import type { FraudRule } from "../domain/fraud-rule.js";
import type { IdempotencyRecord, IdempotencyResponse } from "../domain/idempotency.js";
import type { LedgerTransaction } from "../domain/ledger.js";
import type { Payment } from "../domain/payment.js";
import type { PaymentStatus } from "../domain/payment-status.js";
import type { Refund } from "../domain/refund.js";
import type { WebhookDelivery } from "../domain/webhook-delivery.js";
import type { WebhookEndpoint } from "../domain/webhook-endpoint.js";
import type { VelocityDimension } from "../domain/fraud-rule.js";
import type { FraudSignalQuery, FraudSignals } from "../domain/fraud-signals.js";

/** A keyset page request as repositories receive it (already validated). */
export interface PageQuery {
  limit: number;
  cursor?: string | null | undefined;
}

/** Payments. SQL: `payments` table, version column, indexes on status, expiry and velocity keys. */
export interface PaymentRepository {
  get(id: string): Promise<Payment | null>;
  /** Reads for an update in this transaction (SQL: `SELECT ... FOR UPDATE`). */
  getForUpdate(id: string): Promise<Payment | null>;
  /** The PostgreSQL store sends it without waiting for its answer: a failure fails the transaction. */
  insert(payment: Payment): Promise<void>;
  /**
   * Saves a new state if the stored version is still `payment.version - 1`. The PostgreSQL store
   * sends it without waiting for its answer: a conflict fails the transaction, with this error.
   * @throws ConflictError `version_conflict`.
   */
  update(payment: Payment): Promise<void>;
  /**
   * The payment of `gateway` holding the provider's `reference` (Stripe's PaymentIntent id), read for an
   * update in this transaction; null when none does (SQL: an index on (gateway, transaction_id)).
   */
  findByGatewayReferenceForUpdate(gateway: string, reference: string): Promise<Payment | null>;
  /** Payments in one status, oldest first (reconcile sweeps `processing`). */
  listByStatus(status: PaymentStatus, page: PageQuery): Promise<Page<Payment>>;
  /** Manual authorisations whose `authorizationExpiresAt` <= `now`. */
  listExpiredAuthorizations(now: Date, limit: number): Promise<Payment[]>;
  /**
   * Payments in `requires_action` whose `actionExpiresAt` <= `now`, earliest first
   * (SQL: a partial index on `action_expires_at WHERE status = 'requires_action'`).
   */
  listExpiredActions(now: Date, limit: number): Promise<Payment[]>;
  /**
   * Payments created at or after `since` by this customer / email / ip / card fingerprint
   * (SQL: `count(*) WHERE key = $1 AND created_at >= $2` on an index of (key, created_at)).
   * Values compare case-insensitively.
   */
  countSince(dimension: VelocityDimension, value: string, since: Date): Promise<number>;
}

/** The immutable ledger: append only. */
export interface LedgerRepository {
  /**
   * Appends, assigning the next `sequence` (ledger order, also the order of same-instant entries).
   * The PostgreSQL store sends it without waiting for its answer: a failure fails the transaction.
   */
  append(transaction: LedgerTransaction): Promise<void>;
  get(id: string): Promise<LedgerTransaction | null>;
  /** Every transaction of a payment in ledger order (a payment has few). */
  allForPayment(paymentId: string): Promise<LedgerTransaction[]>;
  /** Transactions of a payment in ledger order. */
  listByPayment(paymentId: string, page: PageQuery): Promise<Page<LedgerTransaction>>;
  /** Transactions with `from <= createdAt < to`, newest first (by sequence). */
  listByTime(range: { from: Date; to: Date }, page: PageQuery): Promise<Page<LedgerTransaction>>;
}

/** Refunds. SQL: `refunds` table indexed by payment and status. */
export interface RefundRepository {
  get(id: string): Promise<Refund | null>;
  insert(refund: Refund): Promise<void>;
  update(refund: Refund): Promise<void>;
  /** The refund of `gateway` the provider knows as `gatewayRefundId` (SQL: an index on (gateway, gateway_refund_id)). */
  getByGatewayRefundId(gateway: string, gatewayRefundId: string): Promise<Refund | null>;
  listByPayment(paymentId: string, page: PageQuery): Promise<Page<Refund>>;
  listByStatus(status: Refund["status"], limit: number): Promise<Refund[]>;
}

/** The outcome of claiming a key. */
export type IdempotencyClaim = { claimed: true } | { claimed: false; existing: IdempotencyRecord };

/** Idempotency keys. SQL: primary key (scope, key); claim = `INSERT ... ON CONFLICT DO UPDATE ... WHERE expires_at <= now`. */
export interface IdempotencyRepository {
  /** Inserts an `in_progress` record unless a live (unexpired at `now`) one exists, which is returned instead. */
  claim(record: IdempotencyRecord, now: Date): Promise<IdempotencyClaim>;
  get(scope: string, key: string): Promise<IdempotencyRecord | null>;
  /** Links the resource created by the claiming call (PostgreSQL: sent without waiting, as `payments.insert`). */
  attach(scope: string, key: string, resourceId: string): Promise<void>;
  /** Stores the final response (PostgreSQL: sent without waiting, as `payments.insert`). */
  complete(scope: string, key: string, response: IdempotencyResponse): Promise<void>;
  /** Forgets a key whose operation was rejected before it changed anything. */
  release(scope: string, key: string): Promise<void>;
  /**
   * Extends the lease of an in-progress key held under `leaseToken` until `until`; false (nothing
   * changed) when the key completed or another caller took it over.
   * SQL: `UPDATE ... WHERE status = 'in_progress' AND lease_token = $token`.
   */
  renewLease(scope: string, key: string, leaseToken: string, until: Date): Promise<boolean>;
  /**
   * Takes over an in-progress key whose lease lapsed at `now` (its owner is presumed dead): sets the
   * new token and lease and returns the record, or null when the lease is live, the key completed
   * or another caller took it first. One conditional UPDATE, so exactly one caller wins.
   */
  takeOver(scope: string, key: string, now: Date, leaseToken: string, until: Date): Promise<IdempotencyRecord | null>;
  /**
   * Deletes up to `limit` records that expired at or before `now` and were created at or before
   * `createdBefore` (the retention); returns how many. A live key is never deleted. SQL: one bounded
   * `DELETE ... WHERE (scope, key) IN (SELECT ... LIMIT n FOR UPDATE SKIP LOCKED)`, safe in many processes.
   */
  purgeExpired(now: Date, createdBefore: Date, limit: number): Promise<number>;
}

/** Fraud rules, ordered by position. */
export interface FraudRuleRepository {
  /** Every rule, by position (what the fraud engine evaluates; few). */
  list(): Promise<FraudRule[]>;
  /** Rules by position, paginated. */
  page(page: PageQuery): Promise<Page<FraudRule>>;
  get(id: string): Promise<FraudRule | null>;
  insert(rule: FraudRule): Promise<void>;
  update(rule: FraudRule): Promise<void>;
  delete(id: string): Promise<boolean>;
  /** The next free position (SQL: `max(position) + 1`). */
  nextPosition(): Promise<number>;
}

/** Named value lists (`allow`, `block`, `review` hold `type:value` entries; custom lists hold plain values). */
export interface FraudListRepository {
  add(list: string, value: string, now: Date): Promise<void>;
  remove(list: string, value: string): Promise<boolean>;
  /** The subset of `values` present in `list` (one indexed query). */
  findMembers(list: string, values: readonly string[]): Promise<string[]>;
  values(list: string, page: PageQuery): Promise<Page<string>>;
}

/**
 * The fraud engine's reads for a payment being created, in one call: the rules, the velocity counts
 * and the list look-ups they need (see `signalsNeeded`). SQL: one SELECT whose sub-selects read the
 * rules' conditions, so it is one round trip whatever the rules name.
 */
export interface FraudSignalRepository {
  read(query: FraudSignalQuery): Promise<FraudSignals>;
}

/** Webhook endpoints. */
export interface WebhookEndpointRepository {
  get(id: string): Promise<WebhookEndpoint | null>;
  insert(endpoint: WebhookEndpoint): Promise<void>;
  update(endpoint: WebhookEndpoint): Promise<void>;
  /**
   * Disables the endpoint if it is enabled and still has `url`, changing only `enabled`,
   * `disabledReason` and `updatedAt` (SQL: one conditional UPDATE of those columns), so a concurrent
   * change of other fields is kept. Returns whether it was disabled.
   */
  disable(id: string, url: string, reason: string, now: Date): Promise<boolean>;
  delete(id: string): Promise<boolean>;
  /** Enabled endpoints (few per account: read whole). */
  listEnabled(): Promise<WebhookEndpoint[]>;
  list(page: PageQuery): Promise<Page<WebhookEndpoint>>;
}

/** An event as its webhook deliveries carry it. */
export interface DeliveryMessage {
  /** The event id (each endpoint gets it once). */
  readonly id: string;
  readonly type: string;
  /** The signed body. */
  readonly payload: string;
}

/** Webhook deliveries: the durable queue of the dispatcher. */
export interface WebhookDeliveryRepository {
  get(id: string): Promise<WebhookDelivery | null>;
  insert(delivery: WebhookDelivery): Promise<void>;
  /**
   * Writes one `pending` delivery of `message`, due at `now`, per enabled endpoint whose filters match
   * its type, and calls `onWritten` with how many once they are written (before the transaction
   * commits). SQL: one `INSERT ... SELECT` over `webhook_endpoints`, which the PostgreSQL store sends
   * without waiting for its answer: a failure fails the transaction.
   */
  insertForEvent(message: DeliveryMessage, now: Date, onWritten: (count: number) => void): Promise<void>;
  update(delivery: WebhookDelivery): Promise<void>;
  /**
   * Claims up to `limit` deliveries that are `pending` with `nextAttemptAt <= now`, or `sending` with an
   * expired lease, marking them `sending` until `leaseUntil` under `leaseToken`
   * (SQL: `UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED) RETURNING *`).
   */
  claimDue(now: Date, leaseUntil: Date, limit: number, leaseToken: string): Promise<WebhookDelivery[]>;
  /**
   * Claims one delivery whatever its status or schedule (a manual retry), marking it `sending` until
   * `leaseUntil` under `leaseToken`, unless it is `sending` under a lease still live at `now`: then null (as when it
   * does not exist). SQL: one conditional `UPDATE ... WHERE NOT (status = 'sending' AND lease_until > now) RETURNING *`.
   */
  claim(id: string, now: Date, leaseUntil: Date, leaseToken: string): Promise<WebhookDelivery | null>;
  /**
   * Saves a delivery after an attempt only if it is still `sending` under `leaseToken` (the claim of
   * the caller), whether or not the lease time lapsed meanwhile; returns false, changing nothing, when
   * another claim took it over. SQL: `UPDATE ... WHERE id = $1 AND status = 'sending' AND lease_token = $2`.
   */
  recordAttempt(delivery: WebhookDelivery, leaseToken: string): Promise<boolean>;
  listByEndpoint(endpointId: string, page: PageQuery): Promise<Page<WebhookDelivery>>;
  /** When the earliest pending delivery is due (for a worker's sleep), if any. */
  nextDueAt(): Promise<Date | null>;
  /**
   * Deletes up to `limit` finished (`succeeded` or `failed`) deliveries, with their attempt logs, last
   * updated at or before `before`; returns how many. Pending and sending ones stay, and so does an
   * original while a replay of it remains. SQL: one bounded `DELETE ... FOR UPDATE SKIP LOCKED`.
   */
  purgeFinished(before: Date, limit: number): Promise<number>;
}

/** A provider event (a Stripe webhook delivery) as recorded when applied. */
export interface GatewayEventRecord {
  /** The registered gateway name the event belongs to. */
  readonly gateway: string;
  /** The provider's event id (Stripe: `evt_...`). */
  readonly eventId: string;
  readonly type: string;
  readonly receivedAt: Date;
}

/** Provider events applied, by (gateway, event id). SQL: `gateway_events`, primary key (gateway, event_id). */
export interface GatewayEventRepository {
  /**
   * Records an event unless one with its (gateway, event id) is recorded: true when this call recorded
   * it. In the transaction that applies the event, so each applies once across processes
   * (SQL: `INSERT ... ON CONFLICT DO NOTHING`; a concurrent insert of the same key waits for the other
   * transaction and then reports false).
   */
  record(event: GatewayEventRecord): Promise<boolean>;
  /**
   * Deletes up to `limit` events received at or before `before`; returns how many. SQL: one bounded
   * `DELETE ... WHERE (gateway, event_id) IN (SELECT ... LIMIT n FOR UPDATE SKIP LOCKED)` on the `received_at` index.
   */
  purgeBefore(before: Date, limit: number): Promise<number>;
}

/** Everything one transaction of the payment system can touch. */
export interface PaymentTx {
  readonly payments: PaymentRepository;
  readonly ledger: LedgerRepository;
  readonly refunds: RefundRepository;
  readonly idempotency: IdempotencyRepository;
  readonly fraudRules: FraudRuleRepository;
  readonly fraudLists: FraudListRepository;
  readonly fraudSignals: FraudSignalRepository;
  readonly webhookEndpoints: WebhookEndpointRepository;
  readonly webhookDeliveries: WebhookDeliveryRepository;
  readonly gatewayEvents: GatewayEventRepository;
  readonly outbox: EventOutbox;
}

/** The payment system's store: a unit of work over {@link PaymentTx} that signs its page cursors. */
export interface PaymentStore extends UnitOfWork<PaymentTx> {
  /**
   * Signs and checks this store's page cursors with `secret` from now on (the system's
   * `cursorSecret`). Without one the store uses its process's random secret.
   * @throws ConfigurationError `weak_cursor_secret` (shorter than 32 characters).
   */
  setCursorSecret(secret: string): void;
}
