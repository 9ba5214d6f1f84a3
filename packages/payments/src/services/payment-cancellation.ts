import { DomainRuleError, PlatformError } from "@platform/core";
import { markCanceled, markProcessing, type Payment } from "../domain/payment.js";
import { toPaymentJSON } from "../domain/payment-json.js";
import type { cancelPaymentSchema } from "../domain/payment-schemas.js";
import { recordEvent, type ServiceContext } from "./context.js";
import type { IdempotencyRunner } from "./idempotency-runner.js";
import { lockPayment } from "./payment-lock.js";
import type { PaymentReconciler } from "./payment-reconciler.js";
import { failureOf, type GatewayOutcome, type PaymentSettlement } from "./payment-settlement.js";
import { isAmbiguous } from "./gateway-registry.js";
import { paymentsCodes } from "../domain/error-codes.js";

/**
 * The cancel flow of a payment holding no captured money: a `created` one is canceled at once, an
 * authorisation is voided at the gateway (outside any transaction), one waiting for its customer is
 * abandoned through the reconciler. The public entry is `PaymentService.cancel`.
 */
export class PaymentCancellation {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly idempotency: IdempotencyRunner,
    private readonly settlement: PaymentSettlement,
    private readonly reconciler: PaymentReconciler,
    private readonly load: (id: string) => Promise<Payment>,
  ) {}

  async cancel(data: ReturnType<typeof cancelPaymentSchema.parse>): Promise<Payment> {
    const pid = data.paymentId;
    return this.idempotency.run({
      scope: "payments.cancel",
      key: data.idempotencyKey,
      params: { paymentId: pid, reason: data.reason },
      begin: async (tx) => {
        const p = await lockPayment(tx, pid);
        const now = this.ctx.clock.now();
        if (p.status === "created") {
          const next = {
            ...markCanceled(p, data.reason, now),
            review: p.review ? { ...p.review, status: "rejected" as const, closedAt: now } : undefined,
            version: p.version + 1,
          };
          await tx.payments.update(next);
          await recordEvent(this.ctx, tx, "payment.canceled", { payment: toPaymentJSON(next) });
          return pid;
        }
        // Waiting for the customer: canceled at the gateway first (finish), as an expiry would.
        if (p.status === "requires_action") return pid;
        if (p.status !== "requires_capture") {
          throw new DomainRuleError(paymentsCodes.invalid_transition, `payment ${pid} is ${p.status} and cannot be canceled`, {
            details: { from: p.status, to: "canceled" },
          });
        }
        await tx.payments.update({ ...markProcessing(p, "void", now), cancellationReason: data.reason, version: p.version + 1 });
        return pid;
      },
      finish: async (pid2) => {
        const p = await this.load(pid2);
        if (p.status === "requires_action") {
          const { result, error } = await this.reconciler.abandon(p, data.reason);
          if (result === "deferred") throw error;
          return;
        }
        if (p.status !== "processing" || p.pendingOperation !== "void") return;
        await this.voidAtGateway(p, p.cancellationReason ?? data.reason, true);
      },
      load: (pid2) => this.load(pid2),
    });
  }

  private async voidAtGateway(p: Payment, reason: string, rethrow: boolean): Promise<void> {
    const name = p.gateway;
    try {
      await this.ctx.gateways.get(name).void({ reference: p.gatewayTransactionId!, idempotencyKey: `${p.id}:void` });
      await this.settlement.settle(p.id, { kind: "voided", gateway: name, reason });
    } catch (e) {
      if (!PlatformError.is(e) || e.kind !== "gateway") throw e;
      const outcome: GatewayOutcome = isAmbiguous(e)
        ? { kind: "unknown", gateway: name, failure: failureOf(e as never) }
        : { kind: "reverted", gateway: name, failure: failureOf(e as never) };
      await this.settlement.settle(p.id, outcome);
      if (rethrow && outcome.kind === "reverted") throw e;
    }
  }
}
