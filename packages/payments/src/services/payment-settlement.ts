import { GatewayError, PlatformError, type Money } from "@platform/core";
import type { GatewayAuthorization } from "../ports/payment-gateway.js";
import { authorizationTransaction, captureTransaction, failureTransaction, voidTransaction } from "../domain/ledger.js";
import {
  markAuthorized,
  markCanceled,
  markCaptured,
  markFailed,
  markRequiresAction,
  revertToAuthorized,
  type CustomerAction,
  type Payment,
  type PaymentFailure,
  type PendingOperation,
} from "../domain/payment.js";
import { toPaymentJSON } from "../domain/payment-json.js";
import type { PaymentTx } from "../ports/payment-store.js";
import { gatewayDataOf } from "../domain/gateway-data.js";
import { recordEvent, type ServiceContext } from "./context.js";
import { isAmbiguous, isFallbackEligible } from "./gateway-registry.js";
import { paymentsCodes } from "../domain/error-codes.js";

/** What a gateway call (or a reconciliation) established. */
export type GatewayOutcome =
  | { kind: "authorized"; gateway: string; reference: string; authorized: Money; gatewayData?: unknown }
  | { kind: "captured"; gateway: string; reference: string; authorized: Money; captured: Money; gatewayData?: unknown }
  | { kind: "requires_action"; gateway: string; reference: string; action: CustomerAction; gatewayData?: unknown }
  | { kind: "voided"; gateway: string; reason: string }
  | { kind: "failed"; gateway: string; failure: PaymentFailure; reference?: string | undefined }
  | { kind: "reverted"; gateway: string; failure: PaymentFailure }
  | { kind: "unknown"; gateway: string; failure: PaymentFailure };

/**
 * The outcome of an authorisation the gateway answered.
 * @throws GatewayError `invalid_gateway_response` (non-retryable) for `requires_action` without an action.
 */
export function authorizationOutcome(gateway: string, res: GatewayAuthorization): GatewayOutcome {
  if (res.status === "captured")
    return {
      kind: "captured",
      gateway,
      reference: res.reference,
      authorized: res.amountAuthorized,
      captured: res.amountCaptured,
      gatewayData: res.gatewayData,
    };
  if (res.status === "authorized")
    return { kind: "authorized", gateway, reference: res.reference, authorized: res.amountAuthorized, gatewayData: res.gatewayData };
  if (!res.action)
    throw new GatewayError(paymentsCodes.invalid_gateway_response, "the gateway asked for a customer action without describing it", {
      provider: gateway,
      retryable: false,
    });
  return { kind: "requires_action", gateway, reference: res.reference, action: res.action, gatewayData: res.gatewayData };
}

/** A gateway error as a failure record. */
export function failureOf(e: GatewayError | { code: string; message: string; declineCode?: string | undefined }): PaymentFailure {
  return { code: e.code, declineCode: e.declineCode, message: e.message };
}

// What the gateway may still tell about a payment waiting for its customer: how the step ended.
const ACTION_ENDINGS: ReadonlySet<GatewayOutcome["kind"]> = new Set(["authorized", "captured", "failed", "voided"]);

/**
 * Records gateway outcomes on `processing` payments (and the end of the customer's step on
 * `requires_action` ones): state, immutable ledger transactions and events in one transaction. An
 * outcome for a payment that is no longer waiting for it (settled meanwhile by a reconcile, a
 * webhook or a concurrent caller) is ignored, so settling twice never double-books and a late
 * answer never moves a payment backwards.
 */
export class PaymentSettlement {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly authorizationTtlMs: number,
    private readonly actionTtlMs: number,
  ) {}

  /**
   * Records `outcome` in its own transaction; `alsoIn` writes more in it (the idempotency key's
   * completion), whether or not the outcome changed the payment.
   */
  async settle(paymentId: string, outcome: GatewayOutcome, alsoIn?: (tx: PaymentTx) => Promise<void>): Promise<Payment> {
    return this.ctx.store.transaction(async (tx) => {
      const { payment } = await this.settleIn(tx, paymentId, outcome);
      await alsoIn?.(tx);
      return payment;
    });
  }

  /**
   * {@link settle} for the caller that wrote `expected` (the payment in flight, as it last stored
   * it), without reading it first: the update is conditional on `expected`'s version, so when nobody
   * changed the payment meanwhile the settlement is one round trip; when someone did (a reconcile, a
   * webhook, a concurrent caller), it is rolled back and settled again from the payment read under
   * lock, as {@link settle} does.
   */
  async settleFrom(expected: Payment, outcome: GatewayOutcome, alsoIn?: (tx: PaymentTx) => Promise<void>): Promise<Payment> {
    const op = expected.pendingOperation;
    if (expected.status !== "processing" || !op || (outcome.kind === "requires_action" && op !== "authorize"))
      return this.settle(expected.id, outcome, alsoIn);
    try {
      return await this.ctx.store.transaction(async (tx) => {
        const payment = await this.apply(tx, expected, op, outcome);
        await alsoIn?.(tx);
        return payment;
      });
    } catch (error) {
      if (!PlatformError.is(error, paymentsCodes.version_conflict)) throw error;
      return this.settle(expected.id, outcome, alsoIn);
    }
  }

  /** {@link settle} inside the caller's transaction; `applied` tells whether the outcome changed the payment. */
  async settleIn(tx: PaymentTx, paymentId: string, outcome: GatewayOutcome): Promise<{ payment: Payment; applied: boolean }> {
    const p = (await tx.payments.getForUpdate(paymentId))!;
    if (p.status === "requires_action") {
      if (!ACTION_ENDINGS.has(outcome.kind)) return { payment: p, applied: false };
      return { payment: await this.apply(tx, p, "authorize", outcome), applied: true };
    }
    if (p.status !== "processing" || !p.pendingOperation) return { payment: p, applied: false };
    // Only an authorisation can end up waiting for the customer.
    if (outcome.kind === "requires_action" && p.pendingOperation !== "authorize") return { payment: p, applied: false };
    return { payment: await this.apply(tx, p, p.pendingOperation, outcome), applied: true };
  }

  private async apply(tx: PaymentTx, p: Payment, op: PendingOperation, o: GatewayOutcome): Promise<Payment> {
    const now = this.ctx.clock.now();
    // Provider data is checked here, where results are recorded: unacceptable data is not kept, the outcome is.
    const gatewayData =
      o.kind === "authorized" || o.kind === "captured" || o.kind === "requires_action" ? gatewayDataOf(o.gatewayData) : undefined;
    const base = { paymentId: p.id, gateway: o.gateway, now, gatewayData };
    let next: Payment;
    switch (o.kind) {
      case "authorized": {
        next = markAuthorized(
          { ...p, gateway: o.gateway, gatewayData: gatewayData ?? p.gatewayData },
          o.reference,
          o.authorized,
          new Date(now.getTime() + this.authorizationTtlMs),
          now,
        );
        await tx.ledger.append(authorizationTransaction({ ...base, gatewayReference: o.reference }, o.authorized));
        break;
      }
      case "captured": {
        next = markCaptured(
          { ...p, gateway: o.gateway, gatewayData: gatewayData ?? p.gatewayData },
          o.reference,
          o.authorized,
          o.captured,
          now,
        );
        if (op === "authorize") await tx.ledger.append(authorizationTransaction({ ...base, gatewayReference: o.reference }, o.authorized));
        await tx.ledger.append(captureTransaction({ ...base, gatewayReference: o.reference }, o.captured, o.authorized));
        break;
      }
      case "requires_action": {
        // Nothing moved yet: no ledger entry until the customer's step ends.
        next = markRequiresAction(
          { ...p, gateway: o.gateway, gatewayData: gatewayData ?? p.gatewayData },
          o.reference,
          o.action,
          new Date(now.getTime() + this.actionTtlMs),
          now,
        );
        break;
      }
      case "voided": {
        next = markCanceled(p, o.reason, now);
        // A payment canceled while waiting for its customer held nothing: there is no hold to release.
        if (p.status !== "requires_action")
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
    else if (o.kind === "requires_action") await recordEvent(this.ctx, tx, "payment.action_required", data);
    else if (o.kind === "voided") await recordEvent(this.ctx, tx, "payment.canceled", data);
    else if (o.kind === "failed") await recordEvent(this.ctx, tx, "payment.failed", data);
    else if (o.kind === "reverted") await recordEvent(this.ctx, tx, "payment.capture_failed", data);
    else await recordEvent(this.ctx, tx, "payment.processing_started", data);
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
   * an ambiguous outcome leaves the payment `processing` for reconcile(). `alsoIn` is written with
   * the outcome (see {@link settle}).
   */
  async authorize(payment: Payment, candidates: readonly string[], alsoIn?: (tx: PaymentTx) => Promise<void>): Promise<Payment> {
    let lastError: GatewayError | undefined;
    let current = payment;
    for (const [i, name] of candidates.entries()) {
      const gateway = this.ctx.gateways.get(name);
      if (name !== current.gateway) {
        // Record the gateway about to hold the request before sending it: reconcile asks (and re-sends
        // to) the payment's gateway, and must never send this authorisation to the one that refused it.
        const moved = await this.moveTo(payment.id, name);
        if (moved.status !== "processing" || moved.gateway !== name) return moved;
        current = moved;
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
        return this.settleFrom(current, authorizationOutcome(name, res), alsoIn);
      } catch (e) {
        const error = e as GatewayError;
        if (isAmbiguous(error)) return this.settleFrom(current, { kind: "unknown", gateway: name, failure: failureOf(error) }, alsoIn);
        if (isFallbackEligible(error) && i < candidates.length - 1) {
          lastError = error;
          continue;
        }
        // The last gateway refused retryably before any charge (a 429, unavailable): nothing moved and
        // the same request may go through later, so it is no failure of the payment. It stays
        // processing; reconciliation re-sends it with the same keys (and a retry answers "pending").
        if (isFallbackEligible(error))
          return this.settleFrom(current, { kind: "unknown", gateway: name, failure: failureOf(error) }, alsoIn);
        return this.settleFrom(current, { kind: "failed", gateway: name, failure: failureOf(error) }, alsoIn);
      }
    }
    // Unreachable with a non-empty candidate list; kept for type completeness.
    return this.settle(
      payment.id,
      {
        kind: "failed",
        gateway: candidates[0] ?? payment.gateway,
        failure: failureOf(lastError ?? { code: "gateway_unavailable", message: "no gateway available" }),
      },
      alsoIn,
    );
  }
}
