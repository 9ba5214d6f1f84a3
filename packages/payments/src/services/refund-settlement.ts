import { gatewayDataOf } from "../domain/gateway-data.js";
import { failureTransaction, refundTransaction } from "../domain/ledger.js";
import { refundStatusOf, settleRefund, type Payment } from "../domain/payment.js";
import { toPaymentJSON } from "../domain/payment-json.js";
import { toRefundJSON, type Refund } from "../domain/refund.js";
import type { PaymentTx } from "../ports/payment-store.js";
import { recordEvent, type ServiceContext } from "./context.js";

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
 * Records a gateway outcome of a `pending` refund in the caller's transaction (a refund already
 * settled is left as it is); true when it changed the refund.
 */
export async function settleRefundIn(ctx: ServiceContext, tx: PaymentTx, refundId: string, o: RefundOutcome): Promise<boolean> {
  const refund = (await tx.refunds.get(refundId))!;
  if (refund.status !== "pending") return false;
  if (o.status === "pending") {
    if (refund.gatewayRefundId === o.reference) return false;
    await tx.refunds.update({ ...refund, gatewayRefundId: o.reference, updatedAt: ctx.clock.now() });
    return true;
  }
  const p = (await tx.payments.getForUpdate(refund.paymentId))!;
  const now = ctx.clock.now();
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
  const base = {
    paymentId: p.id,
    gateway: refund.gateway,
    gatewayReference: next.gatewayRefundId,
    gatewayData: gatewayDataOf(o.gatewayData),
    now,
  };
  await tx.ledger.append(
    ok
      ? refundTransaction(base, refund.amount, refund.id)
      : failureTransaction(base, refund.amount, "refund", next.failure!.code, refund.id),
  );
  const data = { refund: toRefundJSON(next), payment: toPaymentJSON(nextPayment) };
  await recordEvent(ctx, tx, ok ? "refund.succeeded" : "refund.failed", data);
  if (ok && refundStatusOf(nextPayment) === "refunded") await recordEvent(ctx, tx, "payment.refunded", { payment: data.payment });
  return true;
}
