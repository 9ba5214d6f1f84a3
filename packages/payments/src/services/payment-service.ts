import { ConfigurationError, createId, DomainRuleError, GatewayError, Money, NotFoundError, pageRequestSchema, parse, PlatformError, ValidationError, type Page } from "@platform/core";
import { z } from "zod";
import { routeGateways, type RoutingRule } from "../domain/routing.js";
import { assertWithinMaxAmount } from "../domain/amount-limit.js";
import { failureTransaction } from "../domain/ledger.js";
import {
  assertCapturable,
  markCanceled,
  markFailed,
  markProcessing,
  toPaymentJSON,
  type Payment,
  type PaymentMethodDetails,
} from "../domain/payment.js";
import { cancelPaymentSchema, capturePaymentSchema, createPaymentSchema, type CancelPaymentInput, type CapturePaymentInput, type CreatePaymentInput } from "../domain/payment-schemas.js";
import { PAYMENT_STATUSES, type PaymentStatus } from "../domain/payment-status.js";
import type { PaymentTx } from "../ports/payment-store.js";
import { recordEvent, type ServiceContext } from "./context.js";
import type { FraudService } from "./fraud-service.js";
import type { IdempotencyRunner } from "./idempotency-runner.js";
import type { ExpireActionsSummary, PaymentReconciler } from "./payment-reconciler.js";
import { failureOf, type GatewayOutcome, type PaymentSettlement } from "./payment-settlement.js";
import { isAmbiguous } from "./gateway-registry.js";

/** Routing configuration of the payment service. */
export interface PaymentRoutingOptions {
  routing: readonly RoutingRule[];
  defaultGateway: string;
  fallback: readonly string[];
}

const idSchema = z.string().trim().min(1).max(64);
const noteSchema = z.string().max(1000).optional();

function guessMethodType(pm: string): string {
  const m = /^pm_([a-z]+)_/.exec(pm);
  return m?.[1] ?? "card";
}

/**
 * Payments: create (automatic or manual capture), capture (partial), cancel (void), fraud review,
 * authorisation expiry and reconciliation of ambiguous outcomes. Gateway calls always happen
 * outside store transactions: the intent is recorded first, the outcome after.
 */
export class PaymentService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly fraud: FraudService,
    private readonly idempotency: IdempotencyRunner,
    private readonly settlement: PaymentSettlement,
    private readonly routing: PaymentRoutingOptions,
    private readonly reconciler: PaymentReconciler,
  ) {}

  private candidates(p: Pick<Payment, "amount" | "paymentMethod">, methodType: string, forced?: string): string[] {
    return routeGateways(this.routing.routing, { amount: p.amount, paymentMethod: p.paymentMethod, methodType }, { ...this.routing, forced });
  }

  /**
   * Creates a payment and, unless fraud rules block it or hold it for review, sends it to the gateway.
   * A decline resolves with `status: "failed"` and `failure`; it does not throw. A payment method that
   * needs the customer (3-D Secure) resolves with `status: "requires_action"` and `customerAction`
   * (`nextAction` and `clientSecret` for the host's front end); the customer's outcome arrives later
   * (gateway webhooks, `reconcile(id)`), or `expireActions()` cancels it.
   * @throws ValidationError `amount_not_positive`, `amount_precision`, `amount_too_large` (above `maxAmount`), `unknown_currency`, `unknown_gateway`,
   *   `unknown_payment_method`, `raw_card_data`, `validation_failed`.
   * @throws IdempotencyError `idempotency_conflict` (same key, other parameters), `idempotency_key_in_use`.
   * @example
   * ```ts
   * const p = await system.payments.create({ amount: { amount: "99.99", currency: "USD" }, paymentMethod: "pm_card_visa", idempotencyKey: "order_123" });
   * p.status; // "succeeded"
   * ```
   */
  async create(input: CreatePaymentInput): Promise<Payment> {
    const data = parse(createPaymentSchema, input);
    assertWithinMaxAmount(data.amount, this.ctx.maxAmountMinor);
    if (data.gateway !== undefined && !this.ctx.gateways.has(data.gateway)) {
      throw ValidationError.field("unknown_gateway", "gateway", `no gateway named ${JSON.stringify(data.gateway)} is registered`);
    }
    const { idempotencyKey, ...params } = data;
    return this.idempotency.shared("payments.create", idempotencyKey, params, () => this.createOnce(data, idempotencyKey, params));
  }

  private async createOnce(data: ReturnType<typeof createPaymentSchema.parse>, idempotencyKey: string | undefined, params: object): Promise<Payment> {
    const routed = this.candidates(data, guessMethodType(data.paymentMethod), data.gateway);
    // The lookup is a step before the charge: a gateway that fails it retryably is skipped like one
    // that refuses the authorisation, and the rest of the list (never the skipped one) is tried.
    const { details, candidates } = await this.describe(routed, data.paymentMethod);
    const primary = candidates[0]!;
    await this.ctx.gateways.get(primary).assertSupported?.({ amount: data.amount, capture: data.captureMethod === "automatic" });
    return this.idempotency.run({
      scope: "payments.create",
      key: idempotencyKey,
      params,
      begin: async (tx) => {
        const now = this.ctx.clock.now();
        const zero = Money.zero(data.amount.currency);
        const draft: Payment = {
          id: createId("pay"),
          orderId: data.orderId,
          description: data.description,
          amount: data.amount,
          amountAuthorized: zero,
          amountCaptured: zero,
          amountRefunded: zero,
          amountRefundPending: zero,
          refundStatus: "none",
          status: "created",
          captureMethod: data.captureMethod,
          paymentMethod: data.paymentMethod,
          paymentMethodDetails: details,
          gateway: primary,
          fraud: { outcome: "allow", score: 0, matchedRules: [], reason: "default" },
          customer: data.customer,
          metadata: data.metadata,
          createdAt: now,
          updatedAt: now,
          version: 1,
        };
        const fraud = await this.fraud.assess(tx, draft);
        let payment: Payment = { ...draft, fraud };
        if (fraud.outcome === "block") {
          payment = markFailed(payment, { code: "fraud_blocked", message: `blocked by fraud ${fraud.reason}` }, now);
          await tx.ledger.append(failureTransaction({ paymentId: payment.id, gateway: primary, now }, payment.amount, "authorize", "fraud_blocked"));
        } else if (fraud.outcome === "review") {
          payment = { ...payment, review: { status: "pending", openedAt: now } };
        } else {
          payment = markProcessing(payment, "authorize", now);
        }
        await tx.payments.insert(payment);
        const json = { payment: toPaymentJSON(payment) };
        await recordEvent(this.ctx, tx, "payment.created", json);
        if (fraud.outcome === "block") await recordEvent(this.ctx, tx, "payment.failed", json);
        if (fraud.outcome === "review") await recordEvent(this.ctx, tx, "payment.review_required", json);
        return payment.id;
      },
      finish: async (id) => {
        const p = await this.get(id);
        if (p.status === "processing" && p.pendingOperation === "authorize") await this.settlement.authorize(p, candidates);
      },
      load: (id) => this.get(id),
    });
  }

  /**
   * Describes the payment method at the first candidate that answers. Nothing can be charged by a
   * lookup, so any retryable gateway failure (also an ambiguous one) moves on to the next candidate;
   * a definitive answer ("unknown method", a non-retryable error) does not.
   */
  private async describe(candidates: readonly string[], paymentMethod: string): Promise<{ details: PaymentMethodDetails; candidates: string[] }> {
    for (const [i, name] of candidates.entries()) {
      let details: PaymentMethodDetails | undefined;
      try {
        details = await this.ctx.gateways.get(name).describePaymentMethod(paymentMethod);
      } catch (e) {
        if (e instanceof GatewayError && e.retryable && i < candidates.length - 1) continue;
        throw e;
      }
      if (!details) throw ValidationError.field("unknown_payment_method", "paymentMethod", `gateway ${name} does not know payment method ${paymentMethod}`);
      return { details, candidates: candidates.slice(i) };
    }
    throw new ConfigurationError("unknown_gateway", "no gateway to route the payment to");
  }

  /** A payment by id. @throws NotFoundError `payment_not_found`. */
  async get(id: string): Promise<Payment> {
    const pid = parse(idSchema, id);
    const p = await this.ctx.store.transaction((tx) => tx.payments.get(pid));
    if (!p) throw NotFoundError.of("payment_not_found", "payment", pid);
    return p;
  }

  /**
   * The payment a `payments.create` call with this idempotency key made, or null when none was
   * recorded under it (nothing was charged with that key). Lets a caller whose process died before
   * it learned the payment id resolve the charge by the key alone. Never creates or charges.
   * @throws ValidationError `validation_failed` for an empty or over-long key.
   */
  async findByIdempotencyKey(idempotencyKey: string): Promise<Payment | null> {
    const key = parse(z.string().min(1).max(255), idempotencyKey);
    return this.ctx.store.transaction(async (tx) => {
      const record = await tx.idempotency.get("payments.create", key);
      if (!record?.resourceId) return null;
      return (await tx.payments.get(record.resourceId)) ?? null;
    });
  }

  /** Payments in one status, oldest first, paginated. @throws ValidationError. */
  async listByStatus(status: PaymentStatus, page: { limit?: number; cursor?: string | null } = {}): Promise<Page<Payment>> {
    const s = parse(z.enum(PAYMENT_STATUSES as [PaymentStatus, ...PaymentStatus[]]), status);
    const p = parse(pageRequestSchema, page);
    return this.ctx.store.transaction((tx) => tx.payments.listByStatus(s, p));
  }

  private async lock(tx: PaymentTx, id: string): Promise<Payment> {
    const p = await tx.payments.getForUpdate(id);
    if (!p) throw NotFoundError.of("payment_not_found", "payment", id);
    return p;
  }

  /**
   * Captures an authorised (`requires_capture`) payment, fully or partially; the rest of the hold is released.
   * @throws ValidationError `amount_too_large` (above `maxAmount`), the money input codes.
   * @throws DomainRuleError `invalid_transition`, `capture_exceeds_authorized`, `authorization_expired`, `currency_mismatch`.
   * @throws GatewayError when the gateway declines the capture (the authorisation stays `requires_capture`).
   */
  async capture(id: string, input: CapturePaymentInput = {}): Promise<Payment> {
    const pid = parse(idSchema, id);
    const data = parse(capturePaymentSchema, input);
    if (data.amount) assertWithinMaxAmount(data.amount, this.ctx.maxAmountMinor);
    return this.idempotency.run({
      scope: "payments.capture",
      key: data.idempotencyKey,
      params: { paymentId: pid, amount: data.amount },
      begin: async (tx) => {
        const p = await this.lock(tx, pid);
        const now = this.ctx.clock.now();
        if (p.status === "requires_capture" && p.authorizationExpiresAt && p.authorizationExpiresAt.getTime() <= now.getTime()) {
          throw new DomainRuleError("authorization_expired", `the authorisation of ${pid} expired at ${p.authorizationExpiresAt.toISOString()}`, { details: { paymentId: pid } });
        }
        const amount = data.amount ?? p.amountAuthorized;
        assertCapturable(p, amount);
        await tx.payments.update({ ...markProcessing(p, "capture", now, amount), version: p.version + 1 });
        return pid;
      },
      finish: async (pid2) => {
        const p = await this.get(pid2);
        // A takeover of an abandoned key may find the capture already settled (by reconcile): nothing to send.
        if (p.status !== "processing" || p.pendingOperation !== "capture" || !p.pendingCaptureAmount) return;
        const name = p.gateway;
        try {
          const res = await this.ctx.gateways.get(name).capture({ reference: p.gatewayTransactionId!, amount: p.pendingCaptureAmount, idempotencyKey: `${p.id}:capture` });
          await this.settlement.settle(p.id, { kind: "captured", gateway: name, reference: res.reference, authorized: p.amountAuthorized, captured: res.amountCaptured, gatewayData: res.gatewayData });
        } catch (e) {
          if (!PlatformError.is(e) || e.kind !== "gateway") throw e;
          const outcome: GatewayOutcome = isAmbiguous(e) ? { kind: "unknown", gateway: name, failure: failureOf(e as never) } : { kind: "reverted", gateway: name, failure: failureOf(e as never) };
          await this.settlement.settle(p.id, outcome);
          if (outcome.kind === "reverted") throw e;
        }
      },
      load: (pid2) => this.get(pid2),
    });
  }

  /**
   * Cancels a payment that holds no captured money: voids an authorisation, cancels one still
   * `created` (e.g. held for review), or cancels the charge of one waiting for its customer
   * (`requires_action`; when the customer completed or failed meanwhile, that outcome is recorded
   * and returned instead).
   * @throws DomainRuleError `invalid_transition` (captured, failed, canceled or processing).
   * @throws GatewayError when the gateway refuses the void (the payment stays `requires_capture`), or
   *   cannot be reached to cancel a `requires_action` one (it stays `requires_action`; retry).
   */
  async cancel(id: string, input: CancelPaymentInput = {}): Promise<Payment> {
    const pid = parse(idSchema, id);
    const data = parse(cancelPaymentSchema, input);
    return this.idempotency.run({
      scope: "payments.cancel",
      key: data.idempotencyKey,
      params: { paymentId: pid, reason: data.reason },
      begin: async (tx) => {
        const p = await this.lock(tx, pid);
        const now = this.ctx.clock.now();
        if (p.status === "created") {
          const next = { ...markCanceled(p, data.reason, now), review: p.review ? { ...p.review, status: "rejected" as const, closedAt: now } : undefined, version: p.version + 1 };
          await tx.payments.update(next);
          await recordEvent(this.ctx, tx, "payment.canceled", { payment: toPaymentJSON(next) });
          return pid;
        }
        // Waiting for the customer: canceled at the gateway first (finish), as an expiry would.
        if (p.status === "requires_action") return pid;
        if (p.status !== "requires_capture") {
          throw new DomainRuleError("invalid_transition", `payment ${pid} is ${p.status} and cannot be canceled`, { details: { from: p.status, to: "canceled" } });
        }
        await tx.payments.update({ ...markProcessing(p, "void", now), cancellationReason: data.reason, version: p.version + 1 });
        return pid;
      },
      finish: async (pid2) => {
        const p = await this.get(pid2);
        if (p.status === "requires_action") {
          const { result, error } = await this.reconciler.abandon(p, data.reason);
          if (result === "deferred") throw error;
          return;
        }
        if (p.status !== "processing" || p.pendingOperation !== "void") return;
        await this.voidAtGateway(p, p.cancellationReason ?? data.reason, true);
      },
      load: (pid2) => this.get(pid2),
    });
  }

  private async voidAtGateway(p: Payment, reason: string, rethrow: boolean): Promise<void> {
    const name = p.gateway;
    try {
      await this.ctx.gateways.get(name).void({ reference: p.gatewayTransactionId!, idempotencyKey: `${p.id}:void` });
      await this.settlement.settle(p.id, { kind: "voided", gateway: name, reason });
    } catch (e) {
      if (!PlatformError.is(e) || e.kind !== "gateway") throw e;
      const outcome: GatewayOutcome = isAmbiguous(e) ? { kind: "unknown", gateway: name, failure: failureOf(e as never) } : { kind: "reverted", gateway: name, failure: failureOf(e as never) };
      await this.settlement.settle(p.id, outcome);
      if (rethrow && outcome.kind === "reverted") throw e;
    }
  }

  /**
   * Approves a payment held for review and sends it to the gateway.
   * @throws DomainRuleError `review_not_pending`. @throws NotFoundError `payment_not_found`.
   */
  async approveReview(id: string, note?: string): Promise<Payment> {
    const pid = parse(idSchema, id);
    parse(noteSchema, note);
    const p = await this.ctx.store.transaction(async (tx) => {
      const cur = await this.lock(tx, pid);
      if (cur.status !== "created" || cur.review?.status !== "pending") throw new DomainRuleError("review_not_pending", `payment ${pid} has no pending review`, { details: { paymentId: pid } });
      const now = this.ctx.clock.now();
      const next = { ...markProcessing(cur, "authorize", now), review: { ...cur.review, status: "approved" as const, closedAt: now, note }, version: cur.version + 1 };
      await tx.payments.update(next);
      await recordEvent(this.ctx, tx, "payment.review_approved", { payment: toPaymentJSON(next) });
      return next;
    });
    return this.settlement.authorize(p, this.candidates(p, p.paymentMethodDetails.type, p.gateway));
  }

  /** Rejects a payment held for review: it is canceled as `fraudulent`. @throws DomainRuleError `review_not_pending`. */
  async rejectReview(id: string, note?: string): Promise<Payment> {
    const pid = parse(idSchema, id);
    parse(noteSchema, note);
    return this.ctx.store.transaction(async (tx) => {
      const cur = await this.lock(tx, pid);
      if (cur.status !== "created" || cur.review?.status !== "pending") throw new DomainRuleError("review_not_pending", `payment ${pid} has no pending review`, { details: { paymentId: pid } });
      const now = this.ctx.clock.now();
      const next = { ...markCanceled(cur, "fraudulent", now), review: { ...cur.review, status: "rejected" as const, closedAt: now, note }, version: cur.version + 1 };
      await tx.payments.update(next);
      await recordEvent(this.ctx, tx, "payment.canceled", { payment: toPaymentJSON(next) });
      return next;
    });
  }

  /**
   * Cancels manual authorisations whose hold expired (by the clock), as Stripe does after 7 days,
   * then releases them at the gateway (best effort). Run it from a scheduler. Returns the canceled payments.
   */
  expireAuthorizations(limit = 100): Promise<Payment[]> {
    return this.reconciler.expireAuthorizations(limit);
  }

  /**
   * Cancels payments left in `requires_action` past their `actionExpiresAt` (`requiresActionTtl`,
   * default 1 hour): the charge is canceled at the gateway, then the payment is recorded `canceled`
   * with reason `abandoned` (event `payment.canceled`). A payment whose customer finished meanwhile
   * gets that outcome instead; one whose gateway is unreachable waits for the next sweep. Run it from
   * a scheduler (several workers may run it at once: the gateway calls share idempotency keys).
   * @throws ValidationError `validation_failed` for a `limit` outside 1..1000 or an unknown option.
   * @example
   * ```ts
   * const { canceled, completed, deferred } = await system.payments.expireActions({ limit: 100 });
   * ```
   */
  expireActions(options: { limit?: number } = {}): Promise<ExpireActionsSummary> {
    return this.reconciler.expireActions(options);
  }

  /**
   * Asks the gateway for the truth about `processing` payments (one, or every one) and records it,
   * once they have been `processing` for `reconcileAfter` (default 60 s by the clock; a younger one may
   * still be in flight and is returned unchanged). An authorisation the gateway has not seen, or a
   * capture/void it has not applied, is re-sent with the same provider idempotency key: a lost answer
   * never becomes a second charge, and only a definitive decline fails a payment. Run it from a scheduler.
   * With an id of a `requires_action` payment, asks the gateway how the customer's step ended and
   * records it at once (completed: `succeeded` or `requires_capture`; failed or abandoned: `failed`,
   * and the charge is canceled at the gateway; still open: unchanged). The sweep leaves those to
   * webhooks and `expireActions`.
   * @throws NotFoundError `payment_not_found` for an unknown id.
   */
  reconcile(id?: string): Promise<Payment[]> {
    return this.reconciler.reconcile(id);
  }
}
