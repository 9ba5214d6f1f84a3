import { createId, NotFoundError, pageRequestSchema, parse, PlatformError, type Actor, type Page, type PageRequest } from "@platform/core";
import { z } from "zod";
import { assertWithinMaxAmount } from "../domain/amount-limit.js";
import { refundableAmount, reserveRefund } from "../domain/payment.js";
import { toPaymentJSON } from "../domain/payment-json.js";
import { createRefundSchema, toRefundJSON, type CreateRefundInput, type Refund } from "../domain/refund.js";
import { recordEvent, type ServiceContext } from "./context.js";
import { isAmbiguous } from "./gateway-registry.js";
import type { IdempotencyRunner } from "./idempotency-runner.js";
import { settleRefundIn, type RefundOutcome } from "./refund-settlement.js";

export type { RefundOutcome } from "./refund-settlement.js";
import { authorize } from "./authorize.js";
import { paymentsCodes } from "../domain/error-codes.js";

const idSchema = z.string().trim().min(1).max(64);
const refundRefSchema = z.object({ refundId: idSchema }).strict();
const byPaymentSchema = pageRequestSchema.extend({ paymentId: idSchema }).strict();
const batchSchema = z.object({ limit: z.number().int().min(1).max(1000).default(100) }).strict();

/**
 * Refunds, full or partial, sent through the gateway that captured the payment. The amount is
 * reserved on the payment before the gateway call, so concurrent refunds can never exceed the
 * capture; a failed refund frees it again.
 */
export class RefundService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly idempotency: IdempotencyRunner,
  ) {}

  /**
   * Refunds `amount` (default: everything still refundable) of a succeeded payment.
   * Resolves with the refund: `succeeded`, `pending` (gateway outcome unknown or asynchronous) or `failed`.
   * @throws ValidationError `amount_too_large` (above `maxAmount`), the money input codes.
   * @throws DomainRuleError `refund_exceeds_captured`, `invalid_transition` (payment not succeeded), `currency_mismatch`.
   * @throws NotFoundError `payment_not_found`. @throws IdempotencyError `idempotency_conflict`.
   * @throws ForbiddenError `role_required` (needs `payments:write`).
   * @example
   * ```ts
   * const refund = await system.refunds.create(actor, { paymentId: p.id, amount: { amount: "10.00", currency: "USD" }, reason: "requested_by_customer" });
   * ```
   */
  async create(actor: Actor, input: CreateRefundInput): Promise<Refund> {
    authorize(actor, "payments:write");
    const data = parse(createRefundSchema, input);
    if (data.amount) assertWithinMaxAmount(data.amount, this.ctx.maxAmountMinor);
    const { idempotencyKey, ...params } = data;
    return this.idempotency.run({
      scope: "refunds.create",
      key: idempotencyKey,
      params,
      begin: async (tx) => {
        const p = await tx.payments.getForUpdate(data.paymentId);
        if (!p) throw NotFoundError.of(paymentsCodes.payment_not_found, "payment", data.paymentId);
        const now = this.ctx.clock.now();
        const amount = data.amount ?? refundableAmount(p);
        const reserved = { ...reserveRefund(p, amount, now), version: p.version + 1 };
        const refund: Refund = {
          id: createId("re"),
          paymentId: p.id,
          amount,
          reason: data.reason,
          status: "pending",
          gateway: p.gateway,
          metadata: data.metadata,
          createdAt: now,
          updatedAt: now,
        };
        await tx.payments.update(reserved);
        await tx.refunds.insert(refund);
        await recordEvent(this.ctx, tx, "refund.created", { refund: toRefundJSON(refund), payment: toPaymentJSON(reserved) });
        return refund.id;
      },
      finish: (id) => this.send(id),
      load: (id) => this.load(id),
    });
  }

  private async send(refundId: string): Promise<void> {
    const refund = await this.load(refundId);
    const payment = await this.ctx.store.transaction((tx) => tx.payments.get(refund.paymentId));
    try {
      const res = await this.ctx.gateways.get(refund.gateway).refund({
        reference: payment!.gatewayTransactionId!,
        refundId: refund.id,
        amount: refund.amount,
        idempotencyKey: `${refund.id}:refund`,
      });
      const gatewayData = res.gatewayData;
      if (res.status === "pending") await this.settle(refund.id, { status: "pending", reference: res.reference });
      else if (res.status === "succeeded") await this.settle(refund.id, { status: "succeeded", reference: res.reference, gatewayData });
      else
        await this.settle(refund.id, {
          status: "failed",
          reference: res.reference,
          code: "refund_failed",
          declineCode: res.declineCode,
          message: "the gateway failed the refund",
          gatewayData,
        });
    } catch (e) {
      if (!PlatformError.is(e) || e.kind !== "gateway") throw e;
      // Unknown outcome: stays pending (the amount stays reserved) until reconcile().
      if (isAmbiguous(e)) return;
      await this.settle(refund.id, {
        status: "failed",
        code: e.code,
        declineCode: (e.details.declineCode as string | undefined) ?? undefined,
        message: e.message,
      });
    }
  }

  private async settle(refundId: string, o: RefundOutcome): Promise<void> {
    await this.ctx.store.transaction((tx) => settleRefundIn(this.ctx, tx, refundId, o));
  }

  /**
   * Settles a refund whose outcome was unknown now (`payments:write` or `admin`, as `payments.reconcile`), by sending it again with the same
   * provider idempotency key (the provider answers with the original result and never refunds
   * twice). A settled refund is returned as it is.
   * @throws NotFoundError `refund_not_found`; ForbiddenError `role_required`.
   */
  async reconcile(actor: Actor, input: { refundId: string }): Promise<Refund> {
    authorize(actor, "payments:write");
    return this.reconcileOne(parse(refundRefSchema, input).refundId);
  }

  private async reconcileOne(id: string): Promise<Refund> {
    const refund = await this.load(id);
    if (refund.status === "pending") await this.send(refund.id);
    return this.load(id);
  }

  /**
   * Reconciles up to `limit` (default 100, at most 1000) pending refunds, oldest first: a background
   * duty, no actor. Returns them after the attempt.
   * @throws ValidationError `validation_failed` for a bad `limit`.
   */
  async reconcilePending(options: { limit?: number } = {}): Promise<Refund[]> {
    const { limit } = parse(batchSchema, options);
    const pending = await this.ctx.store.transaction((tx) => tx.refunds.listByStatus("pending", limit));
    const out: Refund[] = [];
    for (const r of pending) out.push(await this.reconcileOne(r.id));
    return out;
  }

  /** A refund by id (`payments:read`). @throws NotFoundError `refund_not_found`; ForbiddenError `role_required`. */
  async get(actor: Actor, input: { refundId: string }): Promise<Refund> {
    authorize(actor, "payments:read");
    return this.load(parse(refundRefSchema, input).refundId);
  }

  private async load(rid: string): Promise<Refund> {
    const r = await this.ctx.store.transaction((tx) => tx.refunds.get(rid));
    if (!r) throw NotFoundError.of(paymentsCodes.refund_not_found, "refund", rid);
    return r;
  }

  /** Refunds of a payment, oldest first, paginated (`payments:read`). @throws ValidationError `invalid_cursor`; ForbiddenError `role_required`. */
  async listByPayment(actor: Actor, input: { paymentId: string } & PageRequest): Promise<Page<Refund>> {
    authorize(actor, "payments:read");
    const { paymentId, ...page } = parse(byPaymentSchema, input);
    return this.ctx.store.transaction((tx) => tx.refunds.listByPayment(paymentId, page));
  }
}
