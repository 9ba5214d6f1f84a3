import * as crypto from "node:crypto";
import { DomainRuleError, GatewayError, IdempotencyError, PlatformError, parse, writeLog } from "@platform/core";
import { canceledCheckoutError, chargeKeyOf, classifyChargeError, unknownOutcomeError } from "../domain/charge-outcome.js";
import { checkoutSchema, isPaymentOpen, type CheckoutInput, type Order } from "../domain/order.js";
import type { PaymentPort } from "../ports/payment-port.js";
import { checkoutAddresses } from "./checkout-addresses.js";
import type { CartPricing } from "./cart-pricing.js";
import { OrderPlacement, type CheckoutData } from "./order-placement.js";
import { OrderSettlement } from "./order-settlement.js";
import type { ServiceContext } from "./service-context.js";
import { isUnconfiguredPaymentPort, noPaymentPortError } from "./unconfigured-payment-port.js";
import { commerceCodes } from "../domain/error-codes.js";

// The one-shot digest (Node 20.12+) skips building a Hash object per checkout; same hex either way.
const oneShotHash = (crypto as { hash?: (algorithm: string, data: string, encoding: "hex") => string }).hash;
function sha256Hex(text: string): string {
  return oneShotHash ? oneShotHash("sha256", text, "hex") : crypto.createHash("sha256").update(text).digest("hex");
}

/**
 * Checkout: validate the cart, reserve stock and create the order (transaction 1), charge
 * through the {@link PaymentPort} outside any transaction, then mark paid, commit stock and
 * clear the cart, or cancel and release stock (transaction 2).
 */
export class CheckoutService {
  private readonly inflight = new Map<string, { fingerprint: string; promise: Promise<Order> }>();
  private readonly settlement: OrderSettlement;
  private readonly placement: OrderPlacement;

  constructor(
    private readonly ctx: ServiceContext,
    pricing: CartPricing,
    private readonly payments: PaymentPort,
    reservationTtlMs: number,
  ) {
    this.settlement = new OrderSettlement(ctx, payments);
    this.placement = new OrderPlacement(ctx, pricing, reservationTtlMs);
  }

  /**
   * Places and pays an order from the actor's cart. A retry with the same idempotency key
   * (also concurrent) returns the same order and never charges twice. A cart is bought once:
   * while another checkout of it (any key) has a pending order, this one answers `checkout_in_progress`.
   * @throws DomainRuleError `empty_cart`, `cart_changed` (details.issues), `insufficient_stock`, `reservation_expired`, `order_canceled`.
   * @throws ConflictError `checkout_in_progress` (retryable, `details.retryable: true`, `details.orderId`):
   *   another checkout of this cart is still running or its payment outcome is unknown.
   * @throws GatewayError the payment port's decline code (e.g. `card_declined`); stock is released.
   *   A retryable GatewayError (the port's own, or `payment_pending` for any other failure whose
   *   outcome is unknown) leaves the order pending with its stock held: retry with the same key.
   * @throws IdempotencyError `idempotency_conflict` for a reused key with other parameters.
   * @throws NotFoundError `address_not_found`. @throws AuthenticationError `unauthenticated`.
   * @throws ConfigurationError `no_payment_port` when the platform was built without `payments` (nothing is reserved).
   */
  async checkout(customerId: string, input: CheckoutInput): Promise<Order> {
    // Fail closed before anything is reserved: without a port no order could ever be paid.
    if (isUnconfiguredPaymentPort(this.payments)) throw noPaymentPortError();
    const data = parse(checkoutSchema, input);
    const fingerprint = sha256Hex(
      JSON.stringify([
        data.shippingAddressId ?? null,
        data.shippingAddress ?? null,
        data.billingAddressId ?? null,
        data.paymentToken ?? null,
      ]),
    );
    const key = `${customerId}\u0000${data.idempotencyKey}`;
    const running = this.inflight.get(key);
    if (running) {
      if (running.fingerprint !== fingerprint)
        throw new IdempotencyError(commerceCodes.idempotency_conflict, "idempotency key reused with other parameters");
      return running.promise;
    }
    const promise = this.run(customerId, data, fingerprint).finally(() => this.inflight.delete(key));
    this.inflight.set(key, { fingerprint, promise });
    return promise;
  }

  private async run(customerId: string, data: CheckoutData, fingerprint: string): Promise<Order> {
    const placed = await this.ctx.store.transaction(async (tx) => {
      // The key's lock and order, the cart (locked) and the addresses are asked for together (one
      // round trip where the store pipelines). A replay answers with its order whatever the
      // addresses' read found: an address deleted since must not turn a replay into an error.
      const [existing, cart, addresses] = await Promise.all([
        tx.orders.getByIdempotencyKey(customerId, data.idempotencyKey),
        tx.carts.getByCustomer(customerId),
        checkoutAddresses(tx, customerId, data).then(
          (value) => ({ value }),
          (error: unknown) => ({ error }),
        ),
      ]);
      if (existing) {
        if (existing.requestFingerprint !== fingerprint)
          throw new IdempotencyError(commerceCodes.idempotency_conflict, "idempotency key reused with other parameters");
        return { order: existing, fresh: false };
      }
      if ("error" in addresses) throw addresses.error;
      return { order: await this.placement.place(tx, customerId, data, fingerprint, cart, addresses.value), fresh: true };
    });
    const order = placed.order;
    if (!placed.fresh) {
      // Canceled (or expired) while the charge outcome was unknown: resolve it now and refund
      // a charge that went through; never answer with a silently canceled, charged order.
      if (order.status === "canceled" && order.payment.status === "pending")
        throw canceledCheckoutError((await this.settlement.resolveCanceled(order.id)) ?? order);
      // Expired before the payment settled: the checkout did not happen (its charge was refunded).
      if (order.status === "canceled" && order.cancelReason === "reservation_expired") throw canceledCheckoutError(order);
      if (order.payment.status === "failed")
        throw new GatewayError(order.payment.failureCode ?? "payment_failed", "the payment of this checkout failed", {
          provider: "payment_port",
          retryable: false,
        });
      // A pending order whose payment never settled (crash, other process): resume it; the
      // gateway idempotency key makes the charge happen at most once.
      // One waiting for its customer is asked again too: the same key answers the same step (or the
      // completed charge, and the order is paid).
      if (order.status !== "pending" || !isPaymentOpen(order.payment)) return order;
    }
    return this.pay(order, data.paymentToken ?? null);
  }

  /**
   * The charge waits for the customer (3-D Secure): the order stays pending with its stock held, and
   * the answer carries the step for the host's front end (never stored). An order canceled while the
   * charge ran gets its charge canceled too.
   */
  private async awaitCustomer(orderId: string, reference: string, action: NonNullable<Order["payment"]["action"]>): Promise<Order> {
    const waiting = await this.settlement.markRequiresAction(orderId, reference);
    if (waiting.status === "pending" && waiting.payment.status === "requires_action")
      return { ...waiting, payment: { ...waiting.payment, action } };
    if (waiting.status === "canceled") {
      // Best effort: if the cancel fails, the sweeper and the action's expiry cancel the charge later.
      await this.payments.cancel?.({ orderId, idempotencyKey: chargeKeyOf(orderId), reference }).catch((error: unknown) => {
        writeLog(
          this.ctx.logger,
          "warn",
          "cancel of a payment waiting for the customer failed; the order waits",
          { orderId, customerId: waiting.customerId },
          error,
        );
      });
      throw canceledCheckoutError(waiting);
    }
    return waiting;
  }

  private async pay(order: Order, paymentToken: string | null): Promise<Order> {
    let reference: string;
    let action: Order["payment"]["action"];
    try {
      ({ reference, action } = await this.payments.charge({
        orderId: order.id,
        customerId: order.customerId,
        amount: order.total,
        paymentToken,
        idempotencyKey: chargeKeyOf(order.id),
        description: `Order ${order.id}`,
      }));
    } catch (error) {
      const failure = classifyChargeError(error);
      if (failure.kind === "declined") {
        await this.settlement.failPayment(order.id, failure.code);
        throw error;
      }
      // The charge may or may not exist (timeout, lost storage in the payment system, a key still
      // in use ...): keep the order pending with its stock held, so a retry with the same key
      // resumes the same charge (the gateway key dedupes it) or the sweeper settles it.
      const reference = PlatformError.is(error) ? error.details.reference : undefined;
      // Only a hint for the sweeper (it can find the charge by its key): a failure here is logged, not thrown.
      await this.settlement
        .notePendingReference(order.id, reference)
        .catch((noteError: unknown) =>
          writeLog(
            this.ctx.logger,
            "warn",
            "could not record the pending charge reference",
            { orderId: order.id, customerId: order.customerId },
            noteError,
          ),
        );
      writeLog(
        this.ctx.logger,
        "warn",
        "checkout charge outcome unknown; order left pending",
        { orderId: order.id, customerId: order.customerId },
        error,
      );
      throw unknownOutcomeError(error, order.id);
    }
    if (action) return this.awaitCustomer(order.id, reference, action);
    const outcome = await this.ctx.store.transaction(async (tx) => this.settlement.markPaid(tx, order, reference));
    if (outcome.kind === "refund") {
      const expired = outcome.order.cancelReason === "reservation_expired";
      await this.settlement.refund(outcome.order, outcome.order.cancelReason ?? "canceled");
      throw expired
        ? new DomainRuleError(
            commerceCodes.reservation_expired,
            "the stock reservation expired before the payment completed; the payment was refunded",
          )
        : new DomainRuleError(commerceCodes.order_canceled, "the order was canceled while the payment ran; the payment was refunded");
    }
    // Canceled while the charge ran, and the cancel already resolved and refunded the charge.
    if (outcome.order.status === "canceled") throw canceledCheckoutError(outcome.order);
    return outcome.order;
  }
}
