import { DomainRuleError, NotFoundError, parse, ValidationError, type Actor, type Page } from "@platform/core";
import { assertWithinMaxAmount } from "../domain/amount-limit.js";
import { markCanceled, markProcessing, type Payment } from "../domain/payment.js";
import { toPaymentJSON } from "../domain/payment-json.js";
import {
  cancelPaymentSchema,
  capturePaymentSchema,
  createPaymentSchema,
  findByIdempotencyKeySchema,
  listByStatusSchema,
  paymentRefSchema,
  reviewDecisionSchema,
  type CancelPaymentInput,
  type CapturePaymentInput,
  type CreatePaymentInput,
  type ListByStatusInput,
  type PaymentRef,
  type ReviewDecisionInput,
} from "../domain/payment-schemas.js";
import { authorize } from "./authorize.js";
import { recordEvent, type ServiceContext } from "./context.js";
import type { FraudAssessor } from "./fraud-assessor.js";
import type { IdempotencyRunner } from "./idempotency-runner.js";
import { PaymentCancellation } from "./payment-cancellation.js";
import { PaymentCapture } from "./payment-capture.js";
import { PaymentCreation, type PaymentRoutingOptions } from "./payment-creation.js";
import { lockPayment } from "./payment-lock.js";
import type { ExpireActionsSummary } from "./payment-actions.js";
import type { PaymentReconciler } from "./payment-reconciler.js";
import type { PaymentSettlement } from "./payment-settlement.js";
import { paymentsCodes } from "../domain/error-codes.js";

export type { PaymentRoutingOptions } from "./payment-creation.js";

/**
 * Payments: create (automatic or manual capture), capture (partial), cancel (void), fraud review,
 * authorisation expiry and reconciliation of ambiguous outcomes. Methods take the caller's `Actor`
 * first (roles `payments:read`, `payments:write`, `admin`); the duties take none. Gateway calls always happen
 * outside store transactions: the intent is recorded first, the outcome after.
 */
export class PaymentService {
  private readonly creation: PaymentCreation;
  private readonly captures: PaymentCapture;
  private readonly cancellations: PaymentCancellation;

  constructor(
    private readonly ctx: ServiceContext,
    fraud: FraudAssessor,
    private readonly idempotency: IdempotencyRunner,
    private readonly settlement: PaymentSettlement,
    routing: PaymentRoutingOptions,
    private readonly reconciler: PaymentReconciler,
  ) {
    const load = (id: string) => this.load(id);
    this.creation = new PaymentCreation(ctx, fraud, idempotency, settlement, routing, load);
    this.captures = new PaymentCapture(ctx, idempotency, settlement, load);
    this.cancellations = new PaymentCancellation(ctx, idempotency, settlement, reconciler, load);
  }

  /**
   * Creates a payment and, unless fraud rules block it or hold it for review, sends it to the gateway.
   * A decline resolves with `status: "failed"` and `failure`; it does not throw. A payment method that
   * needs the customer (3-D Secure) resolves with `status: "requires_action"` and `customerAction`
   * (`nextAction` and `clientSecret` for the host's front end); the customer's outcome arrives later
   * (gateway webhooks, `reconcile`), or `expireActions()` cancels it.
   * @throws ValidationError `invalid_actor`; ForbiddenError `role_required` (needs `payments:write`).
   * @throws ValidationError `amount_not_positive`, `amount_precision`, `amount_too_large` (above `maxAmount`), `unknown_currency`, `unknown_gateway`,
   *   `unknown_payment_method`, `raw_card_data`, `validation_failed`.
   * @throws IdempotencyError `idempotency_conflict` (same key, other parameters), `idempotency_key_in_use`.
   * @example
   * ```ts
   * const p = await system.payments.create(actor, { amount: { amount: "99.99", currency: "USD" }, paymentMethod: "pm_card_visa", idempotencyKey: "order_123" });
   * p.status; // "succeeded"
   * ```
   */
  async create(actor: Actor, input: CreatePaymentInput): Promise<Payment> {
    authorize(actor, "payments:write");
    const data = parse(createPaymentSchema, input);
    assertWithinMaxAmount(data.amount, this.ctx.maxAmountMinor);
    if (data.gateway !== undefined && !this.ctx.gateways.has(data.gateway)) {
      throw ValidationError.field(
        paymentsCodes.unknown_gateway,
        "gateway",
        `no gateway named ${JSON.stringify(data.gateway)} is registered`,
      );
    }
    const { idempotencyKey, ...params } = data;
    return this.idempotency.shared("payments.create", idempotencyKey, params, () => this.creation.createOnce(data, idempotencyKey, params));
  }

  /** A payment by id (`payments:read`). @throws NotFoundError `payment_not_found`; ForbiddenError `role_required`. */
  async get(actor: Actor, input: PaymentRef): Promise<Payment> {
    authorize(actor, "payments:read");
    return this.load(parse(paymentRefSchema, input).paymentId);
  }

  private async load(pid: string): Promise<Payment> {
    const p = await this.ctx.store.transaction((tx) => tx.payments.get(pid));
    if (!p) throw NotFoundError.of(paymentsCodes.payment_not_found, "payment", pid);
    return p;
  }

  /**
   * The payment a `payments.create` call with this idempotency key made, or null when none was
   * recorded under it (nothing was charged with that key). Lets a caller whose process died before
   * it learned the payment id resolve the charge by the key alone. Never creates or charges.
   * Needs `payments:read`.
   * @throws ValidationError `validation_failed` for an empty or over-long key; ForbiddenError `role_required`.
   */
  async findByIdempotencyKey(actor: Actor, input: { idempotencyKey: string }): Promise<Payment | null> {
    authorize(actor, "payments:read");
    const key = parse(findByIdempotencyKeySchema, input).idempotencyKey;
    return this.ctx.store.transaction(async (tx) => {
      const record = await tx.idempotency.get("payments.create", key);
      if (!record?.resourceId) return null;
      return (await tx.payments.get(record.resourceId)) ?? null;
    });
  }

  /** Payments in one status, oldest first, paginated (`payments:read`). @throws ValidationError `invalid_cursor`, `validation_failed`; ForbiddenError `role_required`. */
  async listByStatus(actor: Actor, input: ListByStatusInput): Promise<Page<Payment>> {
    authorize(actor, "payments:read");
    const { status, ...page } = parse(listByStatusSchema, input);
    return this.ctx.store.transaction((tx) => tx.payments.listByStatus(status, page));
  }

  /**
   * Captures an authorised (`requires_capture`) payment, fully or partially; the rest of the hold is released.
   * @throws ValidationError `amount_too_large` (above `maxAmount`), the money input codes.
   * @throws DomainRuleError `invalid_transition`, `capture_exceeds_authorized`, `authorization_expired`, `currency_mismatch`.
   * @throws GatewayError when the gateway declines the capture (the authorisation stays `requires_capture`).
   * @throws ForbiddenError `role_required` (needs `payments:write`); NotFoundError `payment_not_found`.
   * @example
   * ```ts
   * await system.payments.capture(actor, { paymentId: p.id, amount: { amount: "20.00", currency: "USD" } });
   * ```
   */
  async capture(actor: Actor, input: CapturePaymentInput): Promise<Payment> {
    authorize(actor, "payments:write");
    const data = parse(capturePaymentSchema, input);
    if (data.amount) assertWithinMaxAmount(data.amount, this.ctx.maxAmountMinor);
    return this.captures.capture(data);
  }

  /**
   * Cancels a payment that holds no captured money: voids an authorisation, cancels one still
   * `created` (e.g. held for review), or cancels the charge of one waiting for its customer
   * (`requires_action`; when the customer completed or failed meanwhile, that outcome is recorded
   * and returned instead).
   * @throws DomainRuleError `invalid_transition` (captured, failed, canceled or processing).
   * @throws GatewayError when the gateway refuses the void (the payment stays `requires_capture`), or
   *   cannot be reached to cancel a `requires_action` one (it stays `requires_action`; retry).
   * @throws ForbiddenError `role_required` (needs `payments:write`); NotFoundError `payment_not_found`.
   */
  async cancel(actor: Actor, input: CancelPaymentInput): Promise<Payment> {
    authorize(actor, "payments:write");
    return this.cancellations.cancel(parse(cancelPaymentSchema, input));
  }

  /**
   * Approves a payment held for review and sends it to the gateway (`admin`); `note` is kept on the
   * review, with the actor's id as `reviewedBy`.
   * @throws DomainRuleError `review_not_pending`. @throws NotFoundError `payment_not_found`; ForbiddenError `role_required`.
   */
  async approveReview(actor: Actor, input: ReviewDecisionInput): Promise<Payment> {
    const p = await this.decide(actor, input, "approved");
    return this.settlement.authorize(p, this.creation.candidates(p, p.paymentMethodDetails.type, p.gateway));
  }

  /**
   * Rejects a payment held for review (`admin`): it is canceled as `fraudulent`.
   * @throws DomainRuleError `review_not_pending`; NotFoundError `payment_not_found`; ForbiddenError `role_required`.
   */
  rejectReview(actor: Actor, input: ReviewDecisionInput): Promise<Payment> {
    return this.decide(actor, input, "rejected");
  }

  // Closes a pending review: approved moves the payment on to its authorisation, rejected cancels it as fraudulent.
  private decide(actor: Actor, input: ReviewDecisionInput, decision: "approved" | "rejected"): Promise<Payment> {
    authorize(actor, "admin");
    const { paymentId: pid, note } = parse(reviewDecisionSchema, input);
    return this.ctx.store.transaction(async (tx) => {
      const cur = await lockPayment(tx, pid);
      if (cur.status !== "created" || cur.review?.status !== "pending")
        throw new DomainRuleError(paymentsCodes.review_not_pending, `payment ${pid} has no pending review`, {
          details: { paymentId: pid },
        });
      const now = this.ctx.clock.now();
      const moved = decision === "approved" ? markProcessing(cur, "authorize", now) : markCanceled(cur, "fraudulent", now);
      const next = {
        ...moved,
        review: { ...cur.review, status: decision, closedAt: now, note, decidedBy: actor.id ?? undefined },
        version: cur.version + 1,
      };
      await tx.payments.update(next);
      await recordEvent(this.ctx, tx, decision === "approved" ? "payment.review_approved" : "payment.canceled", {
        payment: toPaymentJSON(next),
      });
      return next;
    });
  }

  /**
   * Cancels manual authorisations whose hold expired (by the clock), as Stripe does after 7 days,
   * then releases them at the gateway (best effort). A background duty: no actor. Returns the
   * canceled payments.
   * @throws ValidationError `validation_failed` for a `limit` outside 1..1000.
   */
  expireAuthorizations(options: { limit?: number } = {}): Promise<Payment[]> {
    return this.reconciler.expireAuthorizations(options);
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
   * The reconciliation duty: asks the gateway for the truth about `processing` payments that have
   * been `processing` for `reconcileAfter` (default 60 s by the clock; a younger one may still be in
   * flight) and records it, up to `limit` (default 100) per call. An authorisation the gateway has
   * not seen, or a capture/void it has not applied, is re-sent with the same provider idempotency
   * key: a lost answer never becomes a second charge, and only a definitive decline fails a payment.
   * Payments waiting for their customer are left to webhooks and `expireActions`. A background
   * duty: no actor. Returns the payments it reconciled, after reconciliation.
   * @throws ValidationError `validation_failed` for a `limit` outside 1..1000.
   * @example
   * ```ts
   * const reconciled = await system.payments.reconcileDue({ limit: 100 });
   * ```
   */
  reconcileDue(options: { limit?: number } = {}): Promise<Payment[]> {
    return this.reconciler.reconcileDue(options);
  }

  /**
   * Reconciles one payment now (`payments:write` or `admin`: it only re-sends, with the same provider
   * key, what the payment's own create, capture or cancel sent, so a client that may charge may ask
   * for the outcome of its charge; commerce's payment adapter does on a retried checkout): a `processing` one as `reconcileDue` does once it is due
   * (a younger one is returned unchanged); a `requires_action` one by asking the gateway how the
   * customer's step ended (completed: `succeeded` or `requires_capture`; failed or abandoned:
   * `failed`, and the charge is canceled at the gateway; still open: unchanged). Any other payment is
   * returned as it is.
   * @throws NotFoundError `payment_not_found`; ForbiddenError `role_required`.
   */
  reconcile(actor: Actor, input: PaymentRef): Promise<Payment> {
    authorize(actor, "payments:write");
    return this.reconciler.reconcileOne(parse(paymentRefSchema, input).paymentId);
  }
}
