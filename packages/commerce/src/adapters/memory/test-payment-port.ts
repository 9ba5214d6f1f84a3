import { createId, GatewayError, type Money } from "@platform/core";
import type { ChargeLookup, ChargeRequest, ChargeResult, ChargeStatus, PaymentPort, RefundRequest } from "../../ports/payment-port.js";
import { commerceCodes } from "../../domain/error-codes.js";

/** Tokens the {@link TestPaymentPort} declines, with their decline codes. */
export const DECLINING_TOKENS: Readonly<Record<string, string>> = Object.freeze({
  tok_declined: "card_declined",
  tok_insufficient_funds: "insufficient_funds",
  tok_expired: "expired_card",
});

/** A token the {@link TestPaymentPort} charges and then answers with a timeout (`gateway_timeout`, retryable): the outcome is unknown to the caller. */
export const TIMEOUT_AFTER_CHARGE_TOKEN = "tok_timeout_after_charge";

/** A charge as the {@link TestPaymentPort} recorded it. */
export interface TestCharge {
  readonly reference: string;
  readonly orderId: string;
  readonly amount: Money;
  readonly idempotencyKey: string;
  refunded: Money | null;
}

/**
 * The in-process test payment port: succeeds, except for the tokens in
 * {@link DECLINING_TOKENS} and {@link TIMEOUT_AFTER_CHARGE_TOKEN}; repeats of an idempotency key
 * return the first (reconciled) result without a second charge, like a real gateway. It moves no
 * real money: it is never used by default (name it: `payments: testPaymentPort()`), and it is refused
 * under `NODE_ENV=production` unless the host passes `allowTestPaymentPort: true`.
 * @example
 * ```ts
 * const payments = new TestPaymentPort();
 * const platform = createECommercePlatform({ payments });
 * payments.charges.length; // charges taken
 * ```
 */
export class TestPaymentPort implements PaymentPort {
  /** Moves no real money. */
  readonly testMode = true;
  /** Every charge taken (one per idempotency key). */
  readonly charges: TestCharge[] = [];
  private readonly byKey = new Map<string, Promise<ChargeResult>>();
  /** Charges taken whose answer was a timeout, by idempotency key. */
  private readonly timedOut = new Map<string, string>();
  private readonly refunds = new Map<string, string>();

  /** Charges once per idempotency key. @throws GatewayError for the declining tokens. */
  async charge(request: ChargeRequest): Promise<ChargeResult> {
    const taken = this.timedOut.get(request.idempotencyKey);
    if (taken) return { reference: taken };
    const seen = this.byKey.get(request.idempotencyKey);
    if (seen) return seen;
    const result = this.take(request);
    this.byKey.set(request.idempotencyKey, result);
    return result;
  }

  /** What happened to the charge of this idempotency key (never charges). */
  async retrieve(lookup: ChargeLookup): Promise<ChargeStatus> {
    const taken = this.timedOut.get(lookup.idempotencyKey);
    if (taken) return { status: "succeeded", reference: taken };
    const seen = this.byKey.get(lookup.idempotencyKey);
    if (!seen) return { status: "not_found" };
    try {
      return { status: "succeeded", reference: (await seen).reference };
    } catch (e) {
      return { status: "failed", code: e instanceof GatewayError ? e.code : "payment_failed" };
    }
  }

  /** Refunds once per idempotency key. @throws GatewayError `charge_not_found`, `refund_exceeds_charge`. */
  async refund(request: RefundRequest): Promise<{ reference: string }> {
    const done = this.refunds.get(request.idempotencyKey);
    if (done) return { reference: done };
    const charge = this.charges.find((c) => c.reference === request.reference);
    if (!charge)
      throw new GatewayError(commerceCodes.charge_not_found, `no charge ${request.reference}`, { provider: "test", retryable: false });
    if (request.amount.greaterThan(charge.amount))
      throw new GatewayError(commerceCodes.refund_exceeds_charge, "refund larger than the charge", { provider: "test", retryable: false });
    charge.refunded = request.amount;
    const reference = createId("re");
    this.refunds.set(request.idempotencyKey, reference);
    return { reference };
  }

  private async take(request: ChargeRequest): Promise<ChargeResult> {
    // Yield once, like a network call, so concurrency bugs can show.
    await Promise.resolve();
    // Own keys only: "constructor" or "__proto__" are tokens like any other, not Object.prototype members.
    const token = request.paymentToken;
    const decline = token && Object.hasOwn(DECLINING_TOKENS, token) ? DECLINING_TOKENS[token] : undefined;
    if (decline)
      throw new GatewayError(decline, `test payment declined: ${decline}`, { provider: "test", retryable: false, declineCode: decline });
    const reference = createId("pay");
    this.charges.push({
      reference,
      orderId: request.orderId,
      amount: request.amount,
      idempotencyKey: request.idempotencyKey,
      refunded: null,
    });
    if (request.paymentToken === TIMEOUT_AFTER_CHARGE_TOKEN) {
      this.timedOut.set(request.idempotencyKey, reference);
      throw new GatewayError(commerceCodes.gateway_timeout, "test gateway charged, then timed out", {
        provider: "test",
        retryable: true,
        details: { reference },
      });
    }
    return { reference };
  }
}

/**
 * A new {@link TestPaymentPort}: the payment port of tests and demos, chosen by name.
 * @example
 * ```ts
 * const platform = createECommercePlatform({ payments: testPaymentPort() });
 * ```
 */
export function testPaymentPort(): TestPaymentPort {
  return new TestPaymentPort();
}
