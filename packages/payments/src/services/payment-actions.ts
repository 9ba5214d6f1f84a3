import { parse, PlatformError, writeLog, type GatewayError } from "@platform/core";
import { z } from "zod";
import type { Payment } from "../domain/payment.js";
import type { ServiceContext } from "./context.js";
import { isAmbiguous } from "./gateway-registry.js";
import type { GatewayPaymentState } from "../ports/payment-gateway.js";
import type { GatewayOutcome, PaymentSettlement } from "./payment-settlement.js";

// The provider key of canceling a customer's step: never the `:void` of an authorisation, whose
// stored answer (Stripe replays errors too) must not decide a later void of the completed payment.
const abandonKey = (p: Payment) => `${p.id}:abandon`;

/** What {@link PaymentActions.expireActions} did. */
export interface ExpireActionsSummary {
  /** Canceled at the gateway and recorded `canceled` (reason `abandoned`). */
  readonly canceled: number;
  /** The customer's step had ended meanwhile: its outcome was recorded instead. */
  readonly completed: number;
  /** The gateway could not be reached: left `requires_action` for the next sweep. */
  readonly deferred: number;
}

/**
 * The outcome of the provider's state for a `requires_action` payment, or undefined while the
 * customer's step is still open (or the provider does not know it).
 */
export function actionOutcome(p: Payment, state: GatewayPaymentState): GatewayOutcome | undefined {
  const name = p.gateway;
  const ref = state.reference ?? p.gatewayTransactionId ?? "";
  const authorized = state.amountAuthorized ?? p.amount;
  switch (state.status) {
    case "captured":
      return {
        kind: "captured",
        gateway: name,
        reference: ref,
        authorized,
        captured: state.amountCaptured ?? authorized,
        gatewayData: state.gatewayData,
      };
    case "authorized":
      return { kind: "authorized", gateway: name, reference: ref, authorized, gatewayData: state.gatewayData };
    case "failed":
      return {
        kind: "failed",
        gateway: name,
        reference: ref || undefined,
        failure: {
          code: "authentication_failed",
          declineCode: state.declineCode,
          message: "the customer did not complete the authentication",
        },
      };
    case "voided":
      return { kind: "voided", gateway: name, reason: "abandoned" };
    default:
      return undefined;
  }
}

/**
 * Payments waiting for their customer's step (3-D Secure): how the step ended, abandoning it, and
 * expiring the steps the customer never finished. The base of the `PaymentReconciler`.
 */
export class PaymentActions {
  constructor(
    protected readonly ctx: ServiceContext,
    protected readonly settlement: PaymentSettlement,
  ) {}

  /**
   * Asks the gateway how the customer's step of a `requires_action` payment ended and records it:
   * completed (succeeded, or requires_capture for manual capture), failed (authentication failed or
   * abandoned: the charge is then canceled at the gateway, so a later attempt cannot take money for a
   * failed payment), canceled. Still waiting: unchanged.
   */
  async refreshAction(p: Payment): Promise<Payment> {
    const state = await this.ctx.gateways.get(p.gateway).retrieve({ reference: p.gatewayTransactionId, paymentId: p.id });
    const outcome = actionOutcome(p, state);
    if (!outcome) return p;
    const next = await this.settlement.settle(p.id, outcome);
    if (outcome.kind === "failed" && next.status === "failed") await this.cancelAtGateway(next);
    return next;
  }

  /** Best effort: a charge whose payment failed must not be completed later by the customer. */
  async cancelAtGateway(p: Payment): Promise<void> {
    if (!p.gatewayTransactionId) return;
    await this.ctx.gateways
      .get(p.gateway)
      .void({ reference: p.gatewayTransactionId, idempotencyKey: abandonKey(p) })
      .catch((error: unknown) =>
        writeLog(
          this.ctx.logger,
          "warn",
          "cancel of a failed customer action at the gateway failed",
          { paymentId: p.id, reference: p.gatewayTransactionId },
          error,
        ),
      );
  }

  /**
   * Cancels the charge of a payment waiting for its customer at the gateway, then records it
   * `canceled` with `reason`. Refused because the step ended meanwhile: that outcome is recorded
   * (`completed`). Gateway unreachable or no answer: unchanged (`deferred`, with the error).
   */
  async abandon(p: Payment, reason: string): Promise<{ result: "canceled" | "completed" | "deferred"; payment: Payment; error?: unknown }> {
    try {
      // Ask first: a manual-capture intent the customer completed is cancelable too, and canceling it
      // would release a hold the customer just gave.
      const current = await this.refreshAction(p);
      if (current.status !== "requires_action") return { result: "completed", payment: current };
      if (p.gatewayTransactionId)
        await this.ctx.gateways.get(p.gateway).void({ reference: p.gatewayTransactionId, idempotencyKey: abandonKey(p) });
    } catch (e) {
      if (!PlatformError.is(e) || e.kind !== "gateway") throw e;
      if (isAmbiguous(e) || (e as GatewayError).retryable) return { result: "deferred", payment: p, error: e };
      const next = await this.refreshAction(p);
      return next.status === "requires_action" ? { result: "deferred", payment: next, error: e } : { result: "completed", payment: next };
    }
    const next = await this.settlement.settle(p.id, { kind: "voided", gateway: p.gateway, reason });
    return { result: next.status === "canceled" && next.cancellationReason === reason ? "canceled" : "completed", payment: next };
  }

  /**
   * Cancels payments whose customer step (3-D Secure) expired: cancels the charge at the gateway, then
   * records `canceled` (reason `abandoned`, as Stripe names it). When the gateway refuses because the
   * customer completed (or failed) meanwhile, its answer is recorded instead; an unreachable gateway
   * leaves the payment for the next sweep. Run it from a scheduler.
   */
  async expireActions(options: { limit?: number } = {}): Promise<ExpireActionsSummary> {
    const { limit } = parse(z.object({ limit: z.number().int().min(1).max(1000).default(100) }).strict(), options);
    const due = await this.ctx.store.transaction((tx) => tx.payments.listExpiredActions(this.ctx.clock.now(), limit));
    const summary = { canceled: 0, completed: 0, deferred: 0 };
    for (const p of due) summary[(await this.abandon(p, "abandoned")).result]++;
    return summary;
  }
}
