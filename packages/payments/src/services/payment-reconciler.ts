import { NotFoundError, parse, type Page } from "@platform/core";
import { z } from "zod";
import { voidTransaction } from "../domain/ledger.js";
import { markCanceled, toPaymentJSON, type Payment } from "../domain/payment.js";
import { recordEvent, type ServiceContext } from "./context.js";
import type { GatewayOutcome, PaymentSettlement } from "./payment-settlement.js";

const idSchema = z.string().trim().min(1).max(64);

/** Settles what the clock or a lost answer left open: expired authorisations and `processing` payments. */
export class PaymentReconciler {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly settlement: PaymentSettlement,
  ) {}

  private async get(id: string): Promise<Payment> {
    const p = await this.ctx.store.transaction((tx) => tx.payments.get(id));
    if (!p) throw new NotFoundError("payment", id, "payment_not_found");
    return p;
  }

  /**
   * Cancels manual authorisations whose hold expired (by the clock), as Stripe does after 7 days,
   * then releases them at the gateway (best effort: the provider's hold lapses anyway).
   * Run it from a scheduler. Returns the canceled payments.
   */
  async expireAuthorizations(limit = 100): Promise<Payment[]> {
    const n = parse(z.number().int().min(1).max(1000), limit);
    const expired = await this.ctx.store.transaction(async (tx) => {
      const now = this.ctx.clock.now();
      const out: Payment[] = [];
      for (const p of await tx.payments.listExpiredAuthorizations(now, n)) {
        const next = { ...markCanceled(p, "expired", now), version: p.version + 1 };
        await tx.payments.update(next);
        await tx.ledger.append(voidTransaction({ paymentId: p.id, gateway: p.gateway, gatewayReference: p.gatewayTransactionId, now }, p.amountAuthorized));
        await recordEvent(this.ctx, tx, "payment.canceled", { payment: toPaymentJSON(next) });
        out.push(next);
      }
      return out;
    });
    for (const p of expired) {
      await this.ctx.gateways
        .get(p.gateway)
        .void({ reference: p.gatewayTransactionId!, idempotencyKey: `${p.id}:void` })
        .catch(() => undefined);
    }
    return expired;
  }

  /**
   * Asks the gateway for the truth about `processing` payments (one, or every one) and records it.
   * The provider's idempotency key means a lost answer never becomes a second charge.
   * @returns the payments after reconciliation.
   */
  async reconcile(id?: string): Promise<Payment[]> {
    if (id !== undefined) return [await this.reconcileOne(parse(idSchema, id))];
    const out: Payment[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<Payment> = await this.ctx.store.transaction((tx) => tx.payments.listByStatus("processing", { limit: 100, cursor }));
      for (const p of page.items) out.push(await this.reconcileOne(p.id));
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }

  private async reconcileOne(id: string): Promise<Payment> {
    const p = await this.get(id);
    if (p.status !== "processing" || !p.pendingOperation) return p;
    const name = p.gateway;
    const state = await this.ctx.gateways.get(name).retrieve({ reference: p.gatewayTransactionId, paymentId: p.id });
    const ref = state.reference ?? p.gatewayTransactionId ?? "";
    const authorized = state.amountAuthorized ?? p.amountAuthorized;
    const lost = { code: "gateway_request_lost", message: "the gateway has no record of the request" };
    let outcome: GatewayOutcome | undefined;
    switch (state.status) {
      case "captured":
        outcome = { kind: "captured", gateway: name, reference: ref, authorized, captured: state.amountCaptured ?? authorized };
        break;
      case "authorized":
        outcome = p.pendingOperation === "authorize" ? { kind: "authorized", gateway: name, reference: ref, authorized } : { kind: "reverted", gateway: name, failure: { code: `${p.pendingOperation}_not_applied`, message: `the gateway did not apply the ${p.pendingOperation}` } };
        break;
      case "voided":
        outcome = { kind: "voided", gateway: name, reason: p.cancellationReason ?? "requested_by_customer" };
        break;
      case "failed":
        // A failed capture or void leaves the authorisation standing; only a failed authorisation fails the payment.
        outcome =
          p.pendingOperation === "authorize"
            ? { kind: "failed", gateway: name, failure: { code: "card_declined", declineCode: state.declineCode, message: "declined (reconciled)" }, reference: ref || undefined }
            : { kind: "reverted", gateway: name, failure: { code: `${p.pendingOperation}_failed`, declineCode: state.declineCode, message: `the gateway failed the ${p.pendingOperation}` } };
        break;
      case "not_found":
        outcome = p.pendingOperation === "authorize" ? { kind: "failed", gateway: name, failure: lost } : undefined;
        break;
      case "pending":
        outcome = undefined;
        break;
    }
    return outcome ? this.settlement.settle(p.id, outcome) : p;
  }
}
