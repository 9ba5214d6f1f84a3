import { createId, writeLog, type Money, type MoneyJSON } from "@platform/core";
import { refundableAmount, reserveRefund, type Payment } from "../domain/payment.js";
import { toPaymentJSON } from "../domain/payment-json.js";
import { toRefundJSON, type Refund, type RefundReason } from "../domain/refund.js";
import type { PaymentTx } from "../ports/payment-store.js";
import { recordEvent, type ServiceContext } from "./context.js";
import { settleRefundIn, type RefundOutcome } from "./refund-settlement.js";

/**
 * A refund made at the provider outside the SDK (Stripe's dashboard or API by another tool): no refund
 * of ours names it, so it is identified by the provider's ids only.
 */
export interface ExternalRefundInput {
  /** The provider's refund id (Stripe: `re_...`): the import is idempotent on it. */
  reference: string;
  /** The provider's id of the refunded payment (Stripe: the PaymentIntent id). */
  paymentReference: string;
  amount: MoneyJSON;
  status: "succeeded" | "failed" | "pending";
  reason?: RefundReason | undefined;
  declineCode?: string | undefined;
  gatewayData?: unknown;
}

/** {@link ExternalRefundInput} once validated: the amount as money. */
type ParsedExternalRefund = Omit<ExternalRefundInput, "amount"> & { amount: Money };

function outcomeOf(r: ParsedExternalRefund): RefundOutcome {
  return r.status === "failed"
    ? {
        status: "failed",
        reference: r.reference,
        code: "refund_failed",
        declineCode: r.declineCode,
        message: "the gateway failed the refund",
        gatewayData: r.gatewayData,
      }
    : { status: r.status, reference: r.reference, gatewayData: r.gatewayData };
}

/**
 * Imports (or settles) a provider-made refund in the caller's transaction, as a refund of the payment
 * holding `paymentReference`: once per provider refund id (the payment row is locked first, so two
 * deliveries of it serialise, and the second finds the first's refund). A new one reserves its amount
 * like `refunds.create` (`refund.created`), then settles by the status the provider reported (ledger,
 * `refund.succeeded`, the payment's refunded amount). A failed refund that was never imported moves no
 * money and is not recorded; one the records cannot hold (the payment is not `succeeded`, another
 * currency, more than is left to refund) is logged and left for an operator: the provider's own records
 * keep it, and a webhook that always failed would be redelivered for days.
 * Returns `unknown` when no payment of the gateway holds the reference, else whether anything changed.
 */
export async function importExternalRefundIn(
  ctx: ServiceContext,
  tx: PaymentTx,
  gateway: string,
  r: ParsedExternalRefund,
): Promise<{ applied: boolean; payment: Payment } | "unknown"> {
  const p = await tx.payments.findByGatewayReferenceForUpdate(gateway, r.paymentReference);
  if (!p) return "unknown";
  const existing = await tx.refunds.getByGatewayRefundId(gateway, r.reference);
  if (existing) {
    const applied = existing.paymentId === p.id && (await settleRefundIn(ctx, tx, existing.id, outcomeOf(r)));
    return { applied, payment: (await tx.payments.get(p.id))! };
  }
  if (r.status === "failed") return { applied: false, payment: p };
  const amount = r.amount;
  if (p.status !== "succeeded" || amount.currency !== p.amount.currency || amount.greaterThan(refundableAmount(p))) {
    writeLog(ctx.logger, "warn", "a refund made at the gateway does not fit the payment's records; left for an operator", {
      paymentId: p.id,
      gateway,
      refundReference: r.reference,
    });
    return { applied: false, payment: p };
  }
  const now = ctx.clock.now();
  const reserved = { ...reserveRefund(p, amount, now), version: p.version + 1 };
  const refund: Refund = {
    id: createId("re"),
    paymentId: p.id,
    amount,
    reason: r.reason ?? "other",
    status: "pending",
    gateway,
    gatewayRefundId: r.reference,
    metadata: { origin: "gateway" },
    createdAt: now,
    updatedAt: now,
  };
  await tx.payments.update(reserved);
  await tx.refunds.insert(refund);
  await recordEvent(ctx, tx, "refund.created", { refund: toRefundJSON(refund), payment: toPaymentJSON(reserved) });
  if (r.status !== "pending") await settleRefundIn(ctx, tx, refund.id, outcomeOf(r));
  return { applied: true, payment: (await tx.payments.get(p.id))! };
}
