import { checkActor, GatewayError, PlatformError, ValidationError, type Actor } from "@platform/core";
import type { Payment, PaymentSystem, Refund } from "@platform/payments";
import type { ChargeLookup, ChargeRequest, ChargeResult, ChargeStatus, PaymentPort, RefundRequest } from "../../ports/payment-port.js";
import { commerceCodes } from "../../domain/error-codes.js";

/** Options of {@link PaymentSystemPaymentPort}. */
export interface PaymentSystemPortOptions {
  /** Payment method used when checkout passes no token (e.g. a saved method). Default: a token is required. */
  defaultPaymentMethod?: string;
  /** Forces one gateway of the payment system; otherwise its routing rules choose. */
  gateway?: string;
  /**
   * The actor the adapter calls the payment system with (default {@link COMMERCE_PAYMENTS_ACTOR}:
   * `payments:read` and `payments:write`, which `payments.create`, `get`, `findByIdempotencyKey`,
   * `cancel`, `reconcile` and `refunds.create` need).
   */
  actor?: Actor;
}

/** The default actor of {@link PaymentSystemPaymentPort}: charges, refunds and reads, nothing admin. */
export const COMMERCE_PAYMENTS_ACTOR: Actor = Object.freeze({
  id: "commerce",
  roles: Object.freeze(["payments:read", "payments:write"]) as readonly string[],
});

/** The part of a payment system the adapter uses (the documented stable contract). */
export type PaymentSystemLike = {
  payments: Pick<PaymentSystem["payments"], "create" | "get" | "reconcile"> &
    Partial<Pick<PaymentSystem["payments"], "findByIdempotencyKey" | "cancel">>;
  refunds: Pick<PaymentSystem["refunds"], "create">;
};

/**
 * Commerce's {@link PaymentPort} on top of `@platform/payments`: a charge is an automatic-capture
 * payment keyed by commerce's idempotency key (a retried checkout never charges twice, also in the
 * payment system's own ledger), a refund is a refund of that payment.
 * @example
 * ```ts
 * import { createPaymentSystem } from "@platform/payments";
 * import { paymentPortFor } from "@platform/commerce/payments";
 * const platform = createECommercePlatform({ payments: paymentPortFor(createPaymentSystem({ gateways: { stripe: myStripeGateway } })) });
 * ```
 */
export class PaymentSystemPaymentPort implements PaymentPort {
  private readonly actor: Actor;

  /** @throws ValidationError `invalid_actor` for a malformed `options.actor`. */
  constructor(
    private readonly system: PaymentSystemLike,
    private readonly options: PaymentSystemPortOptions = {},
  ) {
    this.actor = checkActor(options.actor ?? COMMERCE_PAYMENTS_ACTOR);
  }

  /** A payment still open after asking its gateway (`payments.reconcile`); a settled one as it stands. */
  private async refreshed(payment: Payment): Promise<Payment> {
    if (payment.status !== "processing" && payment.status !== "requires_action") return payment;
    return this.system.payments.reconcile(this.actor, { paymentId: payment.id });
  }

  /**
   * Creates and captures a payment. A payment method that needs the customer (3-D Secure) answers the
   * payment id with `action` (client secret and next action from the payment's `customerAction`).
   * @throws GatewayError with the payment's failure code (`card_declined`, `insufficient_funds`, `fraud_blocked` ...),
   *   or `payment_pending` (held for review or outcome unknown; retryable).
   * @throws ValidationError `payment_method_required`, or the payment system's input codes.
   */
  async charge(request: ChargeRequest): Promise<ChargeResult> {
    const paymentMethod = request.paymentToken ?? this.options.defaultPaymentMethod;
    if (!paymentMethod) throw ValidationError.field(commerceCodes.payment_method_required, "paymentToken", "a payment token is required");
    let payment: Payment = await this.system.payments.create(this.actor, {
      amount: request.amount.toJSON(),
      paymentMethod,
      captureMethod: "automatic",
      idempotencyKey: request.idempotencyKey,
      orderId: request.orderId,
      description: request.description,
      customer: { id: request.customerId },
      metadata: { orderId: request.orderId },
      ...(this.options.gateway ? { gateway: this.options.gateway } : {}),
    });
    // A replay of a key whose outcome was unknown: let the payment system ask its gateway (it
    // does so only once the payment is old enough to have no request in flight).
    // Waiting for the customer: a replay (a retried checkout) asks the gateway whether the step ended.
    payment = await this.refreshed(payment);
    if (payment.status === "succeeded") return { reference: payment.id };
    if (payment.status === "requires_action") {
      return {
        reference: payment.id,
        action: { clientSecret: payment.customerAction?.clientSecret ?? null, nextAction: payment.customerAction?.nextAction ?? {} },
      };
    }
    if (payment.status === "failed" || payment.status === "canceled") {
      const code = payment.failure?.code ?? "payment_failed";
      throw new GatewayError(code, payment.failure?.message ?? `payment ${payment.id} ${payment.status}`, {
        provider: "platform_payments",
        retryable: false,
        declineCode: payment.failure?.declineCode,
        details: { paymentId: payment.id },
      });
    }
    throw new GatewayError(commerceCodes.payment_pending, `payment ${payment.id} is ${payment.status}`, {
      provider: "platform_payments",
      retryable: true,
      details: { paymentId: payment.id, reference: payment.id },
    });
  }

  /**
   * Resolves a charge of unknown outcome by its payment id, or by its idempotency key when the id
   * was never learned (reconciled with the gateway when it is still `processing`). No payment under
   * the key is `not_found`: nothing was charged with it. A system without `findByIdempotencyKey`
   * answers `pending` for a lookup without reference.
   */
  async retrieve(lookup: ChargeLookup): Promise<ChargeStatus> {
    const found = await this.find(lookup);
    if (found === "unknown") return { status: "pending", reference: null };
    if (!found) return { status: "not_found" };
    return statusOf(await this.refreshed(found));
  }

  /**
   * Cancels a payment waiting for its customer (`payments.cancel`, reason `abandoned`: canceled at
   * the gateway), then answers how it stands; a payment in any other state is only looked up. The
   * gateway unreachable: `requires_action` (ask again later).
   */
  async cancel(lookup: ChargeLookup): Promise<ChargeStatus> {
    const found = await this.find(lookup);
    if (!found || found === "unknown" || found.status !== "requires_action" || !this.system.payments.cancel) return this.retrieve(lookup);
    try {
      return statusOf(await this.system.payments.cancel(this.actor, { paymentId: found.id, reason: "abandoned" }));
    } catch (e) {
      if (e instanceof GatewayError || (PlatformError.is(e) && e.kind === "gateway"))
        return { status: "requires_action", reference: found.id };
      throw e;
    }
  }

  private async find(lookup: ChargeLookup): Promise<Payment | null | "unknown"> {
    if (lookup.reference !== null) return this.system.payments.get(this.actor, { paymentId: lookup.reference });
    if (!this.system.payments.findByIdempotencyKey) return "unknown";
    return this.system.payments.findByIdempotencyKey(this.actor, { idempotencyKey: lookup.idempotencyKey });
  }

  /** Refunds a captured payment. @throws GatewayError with the refund's failure code. */
  async refund(request: RefundRequest): Promise<{ reference: string }> {
    const refund: Refund = await this.system.refunds.create(this.actor, {
      paymentId: request.reference,
      amount: request.amount.toJSON(),
      reason: "requested_by_customer",
      idempotencyKey: request.idempotencyKey,
      metadata: { orderId: request.orderId, reason: request.reason.slice(0, 500) },
    });
    if (refund.status === "failed") {
      throw new GatewayError(refund.failure?.code ?? "refund_failed", refund.failure?.message ?? "refund failed", {
        provider: "platform_payments",
        retryable: false,
        details: { refundId: refund.id },
      });
    }
    return { reference: refund.id };
  }
}

function statusOf(payment: Payment): ChargeStatus {
  if (payment.status === "succeeded") return { status: "succeeded", reference: payment.id };
  if (payment.status === "failed" || payment.status === "canceled")
    return { status: "failed", code: payment.failure?.code ?? "payment_failed" };
  if (payment.status === "requires_action") return { status: "requires_action", reference: payment.id };
  return { status: "pending", reference: payment.id };
}

/**
 * The actor {@link followPaymentEvents} confirms orders with by default: `admin` (commerce's
 * `orders.confirmPayment` is a back-office action; the payment events are the system's own).
 */
export const PAYMENT_EVENTS_ACTOR: Actor = Object.freeze({ id: "payment-events", roles: Object.freeze(["admin"]) as readonly string[] });

/**
 * Keeps orders in step with their payments: on `payment.succeeded`, `payment.failed`,
 * `payment.canceled` and `payment.action_required` of a payment made for an order (its `orderId`),
 * calls `orders.confirmPayment(actor, { orderId })` (default actor {@link PAYMENT_EVENTS_ACTOR}), which asks the payment port and pays, cancels or marks the
 * order. Events are published after commit in the process that made the change (a Stripe webhook
 * handled by `handleStripeWebhook`, a reconcile, an expiry sweep); the order sweeper
 * (`orders.sweepPendingPayments`) covers what another process changed. Errors go to `onError`
 * (default: ignored, the sweeper retries). Returns a function that stops following.
 * @example
 * ```ts
 * const stop = followPaymentEvents(paymentSystem, platform.orders, { onError: (e) => log.warn(e) });
 * ```
 */
export function followPaymentEvents(
  system: { events: Pick<PaymentSystem["events"], "on"> },
  orders: { confirmPayment(actor: Actor, input: { orderId: string }): Promise<unknown> },
  options: { onError?: (error: unknown) => void; actor?: Actor } = {},
): () => void {
  const actor = checkActor(options.actor ?? PAYMENT_EVENTS_ACTOR);
  const follow = (e: { data: { payment: { orderId: string | null } } }) => {
    const orderId = e.data.payment.orderId;
    if (orderId) void orders.confirmPayment(actor, { orderId }).catch((error: unknown) => options.onError?.(error));
  };
  const offs = (["payment.succeeded", "payment.failed", "payment.canceled", "payment.action_required"] as const).map((type) =>
    system.events.on(type, follow),
  );
  return () => offs.forEach((off) => off());
}

/** One-line wiring: the commerce payment port of a payment system. */
export function paymentPortFor(system: PaymentSystemLike, options: PaymentSystemPortOptions = {}): PaymentPort {
  return new PaymentSystemPaymentPort(system, options);
}
