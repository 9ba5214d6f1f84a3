import { ConfigurationError, createId, GatewayError, Money, ValidationError } from "@platform/core";
import { routeGateways, type RoutingRule } from "../domain/routing.js";
import { failureTransaction } from "../domain/ledger.js";
import { markFailed, markProcessing, type Payment, type PaymentMethodDetails } from "../domain/payment.js";
import { toPaymentJSON } from "../domain/payment-json.js";
import type { createPaymentSchema } from "../domain/payment-schemas.js";
import { recordEvent, type ServiceContext } from "./context.js";
import type { FraudAssessor } from "./fraud-assessor.js";
import type { IdempotencyRunner } from "./idempotency-runner.js";
import type { PaymentSettlement } from "./payment-settlement.js";
import { paymentsCodes } from "../domain/error-codes.js";

/** Routing configuration of the payment service. */
export interface PaymentRoutingOptions {
  routing: readonly RoutingRule[];
  defaultGateway: string;
  fallback: readonly string[];
}

function guessMethodType(pm: string): string {
  const m = /^pm_([a-z]+)_/.exec(pm);
  return m?.[1] ?? "card";
}

/**
 * The create flow of a payment: routing, the payment method lookup, the fraud assessment and the
 * first gateway call, under the idempotency key. The public entry is `PaymentService.create`.
 */
export class PaymentCreation {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly fraud: FraudAssessor,
    private readonly idempotency: IdempotencyRunner,
    private readonly settlement: PaymentSettlement,
    private readonly routing: PaymentRoutingOptions,
    private readonly load: (id: string) => Promise<Payment>,
  ) {}

  /** Gateways to try for a payment, in order. */
  candidates(p: Pick<Payment, "amount" | "paymentMethod">, methodType: string, forced?: string): string[] {
    return routeGateways(
      this.routing.routing,
      { amount: p.amount, paymentMethod: p.paymentMethod, methodType },
      { ...this.routing, forced },
    );
  }

  async createOnce(
    data: ReturnType<typeof createPaymentSchema.parse>,
    idempotencyKey: string | undefined,
    params: object,
  ): Promise<Payment> {
    const routed = this.candidates(data, guessMethodType(data.paymentMethod), data.gateway);
    // The lookup is a step before the charge: a gateway that fails it retryably is skipped like one
    // that refuses the authorisation, and the rest of the list (never the skipped one) is tried.
    const { details, candidates } = await this.describe(routed, data.paymentMethod);
    const primary = candidates[0]!;
    await this.ctx.gateways.get(primary).assertSupported?.({ amount: data.amount, capture: data.captureMethod === "automatic" });
    return this.idempotency.run({
      scope: "payments.create",
      key: idempotencyKey,
      params,
      begin: async (tx) => {
        const now = this.ctx.clock.now();
        const zero = Money.zero(data.amount.currency);
        const draft: Payment = {
          id: createId("pay"),
          orderId: data.orderId,
          description: data.description,
          amount: data.amount,
          amountAuthorized: zero,
          amountCaptured: zero,
          amountRefunded: zero,
          amountRefundPending: zero,
          refundStatus: "none",
          status: "created",
          captureMethod: data.captureMethod,
          paymentMethod: data.paymentMethod,
          paymentMethodDetails: details,
          gateway: primary,
          fraud: { outcome: "allow", score: 0, matchedRules: [], reason: "default" },
          customer: data.customer,
          metadata: data.metadata,
          createdAt: now,
          updatedAt: now,
          version: 1,
        };
        const fraud = await this.fraud.assess(tx, draft);
        let payment: Payment = { ...draft, fraud };
        if (fraud.outcome === "block") {
          payment = markFailed(payment, { code: "fraud_blocked", message: `blocked by fraud ${fraud.reason}` }, now);
          await tx.ledger.append(
            failureTransaction({ paymentId: payment.id, gateway: primary, now }, payment.amount, "authorize", "fraud_blocked"),
          );
        } else if (fraud.outcome === "review") {
          payment = { ...payment, review: { status: "pending", openedAt: now } };
        } else {
          payment = markProcessing(payment, "authorize", now);
        }
        await tx.payments.insert(payment);
        const json = { payment: toPaymentJSON(payment) };
        await recordEvent(this.ctx, tx, "payment.created", json);
        if (fraud.outcome === "block") await recordEvent(this.ctx, tx, "payment.failed", json);
        if (fraud.outcome === "review") await recordEvent(this.ctx, tx, "payment.review_required", json);
        return { id: payment.id, resource: payment };
      },
      // The payment as begun by this caller (a takeover re-reads it); the settled one is the result.
      finish: async (id, begun: Payment | undefined, completeKey) => {
        const p = begun ?? (await this.load(id));
        if (p.status === "processing" && p.pendingOperation === "authorize")
          return this.settlement.authorize(p, candidates, (tx) => completeKey(tx));
        return p;
      },
      load: (id) => this.load(id),
    });
  }

  /**
   * Describes the payment method at the first candidate that answers. Nothing can be charged by a
   * lookup, so any retryable gateway failure (also an ambiguous one) moves on to the next candidate;
   * a definitive answer ("unknown method", a non-retryable error) does not.
   */
  private async describe(
    candidates: readonly string[],
    paymentMethod: string,
  ): Promise<{ details: PaymentMethodDetails; candidates: string[] }> {
    for (const [i, name] of candidates.entries()) {
      let details: PaymentMethodDetails | null;
      try {
        details = await this.ctx.gateways.get(name).describePaymentMethod(paymentMethod);
      } catch (e) {
        if (e instanceof GatewayError && e.retryable && i < candidates.length - 1) continue;
        throw e;
      }
      if (!details)
        throw ValidationError.field(
          paymentsCodes.unknown_payment_method,
          "paymentMethod",
          `gateway ${name} does not know payment method ${paymentMethod}`,
        );
      return { details, candidates: candidates.slice(i) };
    }
    throw new ConfigurationError(paymentsCodes.unknown_gateway, "no gateway to route the payment to");
  }
}
