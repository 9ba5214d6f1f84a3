import { createId, NotFoundError, parse, PlatformError } from "@platform/core";
import { z } from "zod";
import { assertWithinMaxAmount } from "../domain/amount-limit.js";
import { gatewayDataOf } from "../domain/gateway-data.js";
import { failureTransaction, refundTransaction } from "../domain/ledger.js";
import { refundableAmount, refundStatusOf, reserveRefund, settleRefund, toPaymentJSON, type Payment } from "../domain/payment.js";
import { createRefundSchema, toRefundJSON, type CreateRefundInput, type Refund } from "../domain/refund.js";
import { recordEvent, type ServiceContext } from "./context.js";
import { isAmbiguous } from "./gateway-registry.js";
import type { PaymentTx } from "../ports/payment-store.js";
import type { IdempotencyRunner } from "./idempotency-runner.js";

const idSchema = z.string().trim().min(1).max(64);

/** What the gateway said about a refund. */
export interface RefundOutcome {
  status: "succeeded" | "failed" | "pending";
  reference?: string | undefined;
  code?: string;
  declineCode?: string | undefined;
  message?: string;
  gatewayData?: unknown;
}

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
   * @example
   * ```ts
   * const refund = await system.refunds.create({ paymentId: p.id, amount: { amount: "10.00", currency: "USD" }, reason: "requested_by_customer" });
   * ```
   */
  async create(input: CreateRefundInput): Promise<Refund> {
    const data = parse(createRefundSchema, input);
    if (data.amount) assertWithinMaxAmount(data.amount, this.ctx.maxAmountMinor);
    const { idempotencyKey, ...params } = data;
    return this.idempotency.run({
      scope: "refunds.create",
      key: idempotencyKey,
      params,
      begin: async (tx) => {
        const p = await tx.payments.getForUpdate(data.paymentId);
        if (!p) throw NotFoundError.of("payment_not_found", "payment", data.paymentId);
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
      load: (id) => this.get(id),
    });
  }

  private async send(refundId: string): Promise<void> {
    const refund = await this.get(refundId);
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
      else await this.settle(refund.id, { status: "failed", reference: res.reference, code: "refund_failed", declineCode: res.declineCode, message: "the gateway failed the refund", gatewayData });
    } catch (e) {
      if (!PlatformError.is(e) || e.kind !== "gateway") throw e;
      // Unknown outcome: stays pending (the amount stays reserved) until reconcile().
      if (isAmbiguous(e)) return;
      await this.settle(refund.id, { status: "failed", code: e.code, declineCode: (e.details.declineCode as string | undefined) ?? undefined, message: e.message });
    }
  }

  private async settle(refundId: string, o: RefundOutcome): Promise<void> {
    await this.ctx.store.transaction((tx) => this.settleIn(tx, refundId, o));
  }

  /**
   * Records a gateway outcome of a `pending` refund in the caller's transaction (a refund already
   * settled is left as it is); true when it changed the refund.
   */
  async settleIn(tx: PaymentTx, refundId: string, o: RefundOutcome): Promise<boolean> {
    const refund = (await tx.refunds.get(refundId))!;
    if (refund.status !== "pending") return false;
    if (o.status === "pending") {
      if (refund.gatewayRefundId === o.reference) return false;
      await tx.refunds.update({ ...refund, gatewayRefundId: o.reference, updatedAt: this.ctx.clock.now() });
      return true;
    }
    const p = (await tx.payments.getForUpdate(refund.paymentId))!;
    const now = this.ctx.clock.now();
    const ok = o.status === "succeeded";
    const nextPayment: Payment = { ...settleRefund(p, refund.amount, ok, now), version: p.version + 1 };
    const next: Refund = {
      ...refund,
      status: o.status,
      gatewayRefundId: o.reference ?? refund.gatewayRefundId,
      failure: ok ? undefined : { code: o.code ?? "refund_failed", declineCode: o.declineCode, message: o.message ?? "refund failed" },
      updatedAt: now,
    };
    await tx.payments.update(nextPayment);
    await tx.refunds.update(next);
    const base = { paymentId: p.id, gateway: refund.gateway, gatewayReference: next.gatewayRefundId, gatewayData: gatewayDataOf(o.gatewayData), now };
    await tx.ledger.append(ok ? refundTransaction(base, refund.amount, refund.id) : failureTransaction(base, refund.amount, "refund", next.failure!.code, refund.id));
    const data = { refund: toRefundJSON(next), payment: toPaymentJSON(nextPayment) };
    await recordEvent(this.ctx, tx, ok ? "refund.succeeded" : "refund.failed", data);
    if (ok && refundStatusOf(nextPayment) === "refunded") await recordEvent(this.ctx, tx, "payment.refunded", { payment: data.payment });
    return true;
  }

  /**
   * Settles a refund whose outcome was unknown, by sending it again with the same provider
   * idempotency key (the provider answers with the original result and never refunds twice).
   * @throws NotFoundError `refund_not_found`.
   */
  async reconcile(id: string): Promise<Refund> {
    const refund = await this.get(id);
    if (refund.status === "pending") await this.send(refund.id);
    return this.get(id);
  }

  /** Reconciles up to `limit` pending refunds (run it from a scheduler); returns them after the attempt. */
  async reconcilePending(limit = 100): Promise<Refund[]> {
    const n = parse(z.number().int().min(1).max(1000), limit);
    const pending = await this.ctx.store.transaction((tx) => tx.refunds.listByStatus("pending", n));
    const out: Refund[] = [];
    for (const r of pending) out.push(await this.reconcile(r.id));
    return out;
  }

  /** A refund by id. @throws NotFoundError `refund_not_found`. */
  async get(id: string): Promise<Refund> {
    const rid = parse(idSchema, id);
    const r = await this.ctx.store.transaction((tx) => tx.refunds.get(rid));
    if (!r) throw NotFoundError.of("refund_not_found", "refund", rid);
    return r;
  }

  /** Every refund of a payment, oldest first. */
  async listByPayment(paymentId: string): Promise<Refund[]> {
    const pid = parse(idSchema, paymentId);
    return this.ctx.store.transaction((tx) => tx.refunds.listByPayment(pid));
  }
}
