import { DomainRuleError, PlatformError, type GatewayError } from "@platform/core";
import { assertCapturable, markProcessing, type Payment } from "../domain/payment.js";
import type { capturePaymentSchema } from "../domain/payment-schemas.js";
import type { ServiceContext } from "./context.js";
import type { IdempotencyRunner } from "./idempotency-runner.js";
import { lockPayment } from "./payment-lock.js";
import { failureOf, type GatewayOutcome, type PaymentSettlement } from "./payment-settlement.js";
import { isAmbiguous } from "./gateway-registry.js";
import { paymentsCodes } from "../domain/error-codes.js";

/**
 * The capture flow of an authorised payment: the capture is recorded as pending under the
 * idempotency key, sent to the gateway outside any transaction, and its outcome settled (an
 * ambiguous one stays `processing` for reconciliation). The public entry is `PaymentService.capture`.
 */
export class PaymentCapture {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly idempotency: IdempotencyRunner,
    private readonly settlement: PaymentSettlement,
    private readonly load: (id: string) => Promise<Payment>,
  ) {}

  capture(data: ReturnType<typeof capturePaymentSchema.parse>): Promise<Payment> {
    const pid = data.paymentId;
    return this.idempotency.run({
      scope: "payments.capture",
      key: data.idempotencyKey,
      params: { paymentId: pid, amount: data.amount },
      begin: async (tx) => {
        const p = await lockPayment(tx, pid);
        const now = this.ctx.clock.now();
        if (p.status === "requires_capture" && p.authorizationExpiresAt && p.authorizationExpiresAt.getTime() <= now.getTime()) {
          throw new DomainRuleError(
            paymentsCodes.authorization_expired,
            `the authorisation of ${pid} expired at ${p.authorizationExpiresAt.toISOString()}`,
            { details: { paymentId: pid } },
          );
        }
        const amount = data.amount ?? p.amountAuthorized;
        assertCapturable(p, amount);
        const next = { ...markProcessing(p, "capture", now, amount), version: p.version + 1 };
        await tx.payments.update(next);
        return { id: pid, resource: next };
      },
      // The payment as begun by this caller (a takeover re-reads it); the settled one is the result.
      finish: async (pid2, begun: Payment | undefined, completeKey) => {
        const p = begun ?? (await this.load(pid2));
        // A takeover of an abandoned key may find the capture already settled (by reconcile): nothing to send.
        if (p.status !== "processing" || p.pendingOperation !== "capture" || !p.pendingCaptureAmount) return p;
        const name = p.gateway;
        try {
          const res = await this.ctx.gateways
            .get(name)
            .capture({ reference: p.gatewayTransactionId!, amount: p.pendingCaptureAmount, idempotencyKey: `${p.id}:capture` });
          return await this.settlement.settleFrom(
            p,
            {
              kind: "captured",
              gateway: name,
              reference: res.reference,
              authorized: p.amountAuthorized,
              captured: res.amountCaptured,
              gatewayData: res.gatewayData,
            },
            (tx) => completeKey(tx),
          );
        } catch (e) {
          if (!PlatformError.is(e) || e.kind !== "gateway") throw e;
          const outcome: GatewayOutcome = isAmbiguous(e)
            ? { kind: "unknown", gateway: name, failure: failureOf(e as never) }
            : { kind: "reverted", gateway: name, failure: failureOf(e as never) };
          // A decline of the capture is the answer the key keeps (and the caller gets).
          const settled = await this.settlement.settleFrom(p, outcome, (tx) =>
            completeKey(tx, outcome.kind === "reverted" ? (e as GatewayError) : undefined),
          );
          if (outcome.kind === "reverted") throw e;
          return settled;
        }
      },
      load: (pid2) => this.load(pid2),
    });
  }
}
