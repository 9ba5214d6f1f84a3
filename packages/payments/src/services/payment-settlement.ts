import { type GatewayError, type Money } from "@platform/core";
import {
  authorizationTransaction,
  captureTransaction,
  failureTransaction,
  voidTransaction,
} from "../domain/ledger.js";
import {
  markAuthorized,
  markCanceled,
  markCaptured,
  markFailed,
  revertToAuthorized,
  toPaymentJSON,
  type Payment,
  type PaymentFailure,
  type PendingOperation,
} from "../domain/payment.js";
import type { PaymentTx } from "../ports/payment-store.js";
import { gatewayDataOf } from "../domain/gateway-data.js";
import { recordEvent, type ServiceContext } from "./context.js";
import { isAmbiguous, isFallbackEligible } from "./gateway-registry.js";

/** What a gateway call (or a reconciliation) established. */
export type GatewayOutcome =
  | { kind: "authorized"; gateway: string; reference: string; authorized: Money; gatewayData?: unknown }
  | { kind: "captured"; gateway: string; reference: string; authorized: Money; captured: Money; gatewayData?: unknown }
  | { kind: "voided"; gateway: string; reason: string }
  | { kind: "failed"; gateway: string; failure: PaymentFailure; reference?: string | undefined }
  | { kind: "reverted"; gateway: string; failure: PaymentFailure }
  | { kind: "unknown"; gateway: string; failure: PaymentFailure };

/** A gateway error as a failure record. */
export function failureOf(e: GatewayError | { code: string; message: string; declineCode?: string | undefined }): PaymentFailure {
  return { code: e.code, declineCode: e.declineCode, message: e.message };
}

/**
 * Records gateway outcomes on `processing` payments: state, immutable ledger transactions and events
 * in one transaction. An outcome for a payment that is no longer `processing` (settled meanwhile by a
 * reconcile or a concurrent caller) is ignored, so settling twice never double-books.
 */
export class PaymentSettlement {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly authorizationTtlMs: number,
  ) {}

  async settle(paymentId: string, outcome: GatewayOutcome): Promise<Payment> {
    return this.ctx.store.transaction(async (tx) => {
      const p = (await tx.payments.getForUpdate(paymentId))!;
      if (p.status !== "processing" || !p.pendingOperation) return p;
      const next = await this.apply(tx, p, p.pendingOperation, outcome);
      return next;
    });
  }

  private async apply(tx: PaymentTx, p: Payment, op: PendingOperation, o: GatewayOutcome): Promise<Payment> {
    const now = this.ctx.clock.now();
    // Provider data is checked here, where results are recorded: unacceptable data is not kept, the outcome is.
    const gatewayData = o.kind === "authorized" || o.kind === "captured" ? gatewayDataOf(o.gatewayData) : undefined;
    const base = { paymentId: p.id, gateway: o.gateway, now, gatewayData };
    let next: Payment;
    switch (o.kind) {
      case "authorized": {
        next = markAuthorized({ ...p, gateway: o.gateway, gatewayData: gatewayData ?? p.gatewayData }, o.reference, o.authorized, new Date(now.getTime() + this.authorizationTtlMs), now);
        await tx.ledger.append(authorizationTransaction({ ...base, gatewayReference: o.reference }, o.authorized));
        break;
      }
      case "captured": {
        next = markCaptured({ ...p, gateway: o.gateway, gatewayData: gatewayData ?? p.gatewayData }, o.reference, o.authorized, o.captured, now);
        if (op === "authorize") await tx.ledger.append(authorizationTransaction({ ...base, gatewayReference: o.reference }, o.authorized));
        await tx.ledger.append(captureTransaction({ ...base, gatewayReference: o.reference }, o.captured, o.authorized));
        break;
      }
      case "voided": {
        next = markCanceled(p, o.reason, now);
        await tx.ledger.append(voidTransaction({ ...base, gatewayReference: p.gatewayTransactionId }, p.amountAuthorized));
        break;
      }
      case "failed": {
        next = markFailed({ ...p, gateway: o.gateway }, o.failure, now, o.reference);
        await tx.ledger.append(failureTransaction({ ...base, gatewayReference: o.reference }, p.amount, op, o.failure.code));
        break;
      }
      case "reverted": {
        next = revertToAuthorized(p, o.failure, now);
        const attempted = op === "capture" ? (p.pendingCaptureAmount ?? p.amountAuthorized) : p.amountAuthorized;
        await tx.ledger.append(failureTransaction({ ...base, gatewayReference: p.gatewayTransactionId }, attempted, op, o.failure.code));
        break;
      }
      case "unknown": {
        // Stays processing: only reconcile() may decide. Remember which gateway holds the truth.
        next = { ...p, gateway: o.gateway, lastError: o.failure, updatedAt: now };
        break;
      }
    }
    next = { ...next, version: p.version + 1 };
    await tx.payments.update(next);
    const data = { payment: toPaymentJSON(next) };
    if (o.kind === "authorized") await recordEvent(this.ctx, tx, "payment.authorized", data);
    else if (o.kind === "captured") await recordEvent(this.ctx, tx, "payment.succeeded", data);
    else if (o.kind === "voided") await recordEvent(this.ctx, tx, "payment.canceled", data);
    else if (o.kind === "failed") await recordEvent(this.ctx, tx, "payment.failed", data);
    else if (o.kind === "reverted") await recordEvent(this.ctx, tx, "payment.capture_failed", data);
    else await recordEvent(this.ctx, tx, "payment.processing", data);
    return next;
  }

  /** Points a payment whose authorisation is still pending at another gateway (also restarts its reconcile wait). */
  private async moveTo(paymentId: string, gateway: string): Promise<Payment> {
    return this.ctx.store.transaction(async (tx) => {
      const p = (await tx.payments.getForUpdate(paymentId))!;
      if (p.status !== "processing" || p.pendingOperation !== "authorize") return p;
      const next = { ...p, gateway, updatedAt: this.ctx.clock.now(), version: p.version + 1 };
      await tx.payments.update(next);
      return next;
    });
  }

  /**
   * Sends the authorisation of a `processing` payment, outside any transaction, trying `candidates`
   * in order. The next gateway is tried only when the previous one failed retryably *before* charging;
   * an ambiguous outcome leaves the payment `processing` for reconcile().
   */
  async authorize(payment: Payment, candidates: readonly string[]): Promise<Payment> {
    let lastError: GatewayError | undefined;
    let current = payment.gateway;
    for (const [i, name] of candidates.entries()) {
      const gateway = this.ctx.gateways.get(name);
      if (name !== current) {
        // Record the gateway about to hold the request before sending it: reconcile asks (and re-sends
        // to) the payment's gateway, and must never send this authorisation to the one that refused it.
        const moved = await this.moveTo(payment.id, name);
        if (moved.status !== "processing" || moved.gateway !== name) return moved;
        current = name;
      }
      try {
        const res = await gateway.authorize({
          paymentId: payment.id,
          idempotencyKey: `${payment.id}:authorize`,
          amount: payment.amount,
          paymentMethod: payment.paymentMethod,
          capture: payment.captureMethod === "automatic",
          metadata: payment.metadata,
        });
        return res.status === "captured"
          ? this.settle(payment.id, { kind: "captured", gateway: name, reference: res.reference, authorized: res.amountAuthorized, captured: res.amountCaptured, gatewayData: res.gatewayData })
          : this.settle(payment.id, { kind: "authorized", gateway: name, reference: res.reference, authorized: res.amountAuthorized, gatewayData: res.gatewayData });
      } catch (e) {
        const error = e as GatewayError;
        if (isAmbiguous(error)) return this.settle(payment.id, { kind: "unknown", gateway: name, failure: failureOf(error) });
        if (isFallbackEligible(error) && i < candidates.length - 1) {
          lastError = error;
          continue;
        }
        return this.settle(payment.id, { kind: "failed", gateway: name, failure: failureOf(error) });
      }
    }
    // Unreachable with a non-empty candidate list; kept for type completeness.
    return this.settle(payment.id, { kind: "failed", gateway: candidates[0] ?? payment.gateway, failure: failureOf(lastError ?? { code: "gateway_unavailable", message: "no gateway available" }) });
  }
}
