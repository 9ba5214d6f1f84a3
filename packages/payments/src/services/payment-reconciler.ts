import { NotFoundError, parse, PlatformError, type GatewayError, type Page } from "@platform/core";
import { z } from "zod";
import { voidTransaction } from "../domain/ledger.js";
import { markCanceled, type Payment } from "../domain/payment.js";
import { toPaymentJSON } from "../domain/payment-json.js";
import { recordEvent, type ServiceContext } from "./context.js";
import { isAmbiguous } from "./gateway-registry.js";
import { authorizationOutcome, failureOf, type GatewayOutcome, type PaymentSettlement } from "./payment-settlement.js";
import { paymentsCodes } from "../domain/error-codes.js";
import { PaymentActions } from "./payment-actions.js";

const batchSchema = z.object({ limit: z.number().int().min(1).max(1000).default(100) }).strict();

/**
 * Settles what the clock or a lost answer left open: expired authorisations and `processing` payments.
 * A payment is reconciled only once it has been `processing` for `reconcileAfterMs` by the clock
 * (measured from `updatedAt`: entering `processing`, or the last ambiguous answer), as the
 * idempotency takeover waits for a key to be that old: a younger one may have its request in flight,
 * and the gateway's "not found" or "not captured yet" would be read as a loss.
 */
export class PaymentReconciler extends PaymentActions {
  constructor(
    ctx: ServiceContext,
    settlement: PaymentSettlement,
    private readonly reconcileAfterMs: number,
  ) {
    super(ctx, settlement);
  }

  private isDue(p: Payment): boolean {
    return this.ctx.clock.now().getTime() - p.updatedAt.getTime() >= this.reconcileAfterMs;
  }

  private async get(id: string): Promise<Payment> {
    const p = await this.ctx.store.transaction((tx) => tx.payments.get(id));
    if (!p) throw NotFoundError.of(paymentsCodes.payment_not_found, "payment", id);
    return p;
  }

  /**
   * Cancels manual authorisations whose hold expired (by the clock), as Stripe does after 7 days,
   * then releases them at the gateway (best effort: the provider's hold lapses anyway).
   * Run it from a scheduler. Returns the canceled payments.
   */
  async expireAuthorizations(options: { limit?: number } = {}): Promise<Payment[]> {
    const n = parse(batchSchema, options).limit;
    const expired = await this.ctx.store.transaction(async (tx) => {
      const now = this.ctx.clock.now();
      const out: Payment[] = [];
      for (const p of await tx.payments.listExpiredAuthorizations(now, n)) {
        const next = { ...markCanceled(p, "expired", now), version: p.version + 1 };
        await tx.payments.update(next);
        await tx.ledger.append(
          voidTransaction({ paymentId: p.id, gateway: p.gateway, gatewayReference: p.gatewayTransactionId, now }, p.amountAuthorized),
        );
        await recordEvent(this.ctx, tx, "payment.canceled", { payment: toPaymentJSON(next) });
        out.push(next);
      }
      return out;
    });
    for (const p of expired) {
      await this.ctx.gateways
        .get(p.gateway)
        .void({ reference: p.gatewayTransactionId!, idempotencyKey: `${p.id}:void` })
        // Already canceled on our side; the registry logged the gateway failure and the provider
        // releases an uncaptured authorisation by itself when it expires.
        .catch(() => undefined);
    }
    return expired;
  }

  /**
   * Asks the gateway for the truth about `processing` payments (one, or every one) that have been
   * `processing` for at least `reconcileAfter`, and records it. An operation the gateway has not
   * applied is sent again with the same provider idempotency key (never a second charge); only a
   * definitive decline fails it. Younger payments are left alone. At most `limit` (default 100) are
   * reconciled per call, oldest first.
   * @returns the payments after reconciliation (only those that were due).
   */
  async reconcileDue(options: { limit?: number } = {}): Promise<Payment[]> {
    const { limit } = parse(batchSchema, options);
    const out: Payment[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<Payment> = await this.ctx.store.transaction((tx) => tx.payments.listByStatus("processing", { limit: 100, cursor }));
      for (const p of page.items) {
        if (out.length >= limit) return out;
        if (this.isDue(p)) out.push(await this.reconcileOne(p.id));
      }
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }

  /** Reconciles one payment: a due `processing` one with the gateway, a `requires_action` one by its customer's step; others unchanged. */
  async reconcileOne(id: string): Promise<Payment> {
    const p = await this.get(id);
    if (p.status === "requires_action") return this.refreshAction(p);
    if (p.status !== "processing" || !p.pendingOperation || !this.isDue(p)) return p;
    const name = p.gateway;
    const state = await this.ctx.gateways.get(name).retrieve({ reference: p.gatewayTransactionId, paymentId: p.id });
    const ref = state.reference ?? p.gatewayTransactionId ?? "";
    const authorized = state.amountAuthorized ?? p.amountAuthorized;
    let outcome: GatewayOutcome | undefined;
    switch (state.status) {
      case "captured":
        outcome = {
          kind: "captured",
          gateway: name,
          reference: ref,
          authorized,
          captured: state.amountCaptured ?? authorized,
          gatewayData: state.gatewayData,
        };
        break;
      case "authorized":
        // A capture or void not applied (yet): send it again rather than undo an intent that may still land.
        if (p.pendingOperation !== "authorize") return this.resend(p);
        outcome = { kind: "authorized", gateway: name, reference: ref, authorized, gatewayData: state.gatewayData };
        break;
      case "voided":
        outcome = { kind: "voided", gateway: name, reason: p.cancellationReason ?? "requested_by_customer" };
        break;
      case "failed":
        // A failed capture or void leaves the authorisation standing; only a failed authorisation fails the payment.
        outcome =
          p.pendingOperation === "authorize"
            ? {
                kind: "failed",
                gateway: name,
                failure: { code: "card_declined", declineCode: state.declineCode, message: "declined (reconciled)" },
                reference: ref || undefined,
              }
            : {
                kind: "reverted",
                gateway: name,
                failure: {
                  code: `${p.pendingOperation}_failed`,
                  declineCode: state.declineCode,
                  message: `the gateway failed the ${p.pendingOperation}`,
                },
              };
        break;
      case "not_found":
        // The request may not have landed yet (or was lost): re-send it with the same idempotency key.
        if (p.pendingOperation === "authorize") return this.resend(p);
        outcome = undefined;
        break;
      case "requires_action":
        // The authorisation reached the gateway and waits for the customer (the answer was lost).
        outcome =
          p.pendingOperation === "authorize" && state.action
            ? { kind: "requires_action", gateway: name, reference: ref, action: state.action, gatewayData: state.gatewayData }
            : undefined;
        break;
      case "pending":
        outcome = undefined;
        break;
    }
    return outcome ? this.settlement.settle(p.id, outcome) : p;
  }

  /**
   * Sends the pending operation again through the payment's gateway (never another: the first request
   * may still land there) with the provider idempotency key of the first request. A decline settles it;
   * an unavailable gateway leaves it for the next sweep, an ambiguous answer restarts its wait.
   */
  private async resend(p: Payment): Promise<Payment> {
    const name = p.gateway;
    const gateway = this.ctx.gateways.get(name);
    let outcome: GatewayOutcome;
    try {
      if (p.pendingOperation === "authorize") {
        const res = await gateway.authorize({
          paymentId: p.id,
          idempotencyKey: `${p.id}:authorize`,
          amount: p.amount,
          paymentMethod: p.paymentMethod,
          capture: p.captureMethod === "automatic",
          metadata: p.metadata,
        });
        outcome = authorizationOutcome(name, res);
      } else if (p.pendingOperation === "capture") {
        const res = await gateway.capture({
          reference: p.gatewayTransactionId!,
          amount: p.pendingCaptureAmount ?? p.amountAuthorized,
          idempotencyKey: `${p.id}:capture`,
        });
        outcome = {
          kind: "captured",
          gateway: name,
          reference: res.reference,
          authorized: p.amountAuthorized,
          captured: res.amountCaptured,
          gatewayData: res.gatewayData,
        };
      } else {
        await gateway.void({ reference: p.gatewayTransactionId!, idempotencyKey: `${p.id}:void` });
        outcome = { kind: "voided", gateway: name, reason: p.cancellationReason ?? "requested_by_customer" };
      }
    } catch (e) {
      if (!PlatformError.is(e) || e.kind !== "gateway") throw e;
      const failure = failureOf(e as GatewayError);
      if (isAmbiguous(e)) outcome = { kind: "unknown", gateway: name, failure };
      else if ((e as GatewayError).retryable) return p;
      else
        outcome =
          p.pendingOperation === "authorize" ? { kind: "failed", gateway: name, failure } : { kind: "reverted", gateway: name, failure };
    }
    return this.settlement.settle(p.id, outcome);
  }
}
