import { Money, PlatformError, ValidationError } from "@platform/core";
import type { PaymentMethodDetails } from "../../domain/payment.js";
import type { GatewayAuthorizeRequest, GatewayPaymentState, GatewayRefund, PaymentGateway } from "../../ports/payment-gateway.js";
import { fromStripeAmount, toStripeAmount } from "./stripe-amounts.js";
import { stripeModeOf, type StripeGatewayOptions, type StripeMode } from "./stripe-config.js";
import { authorizationOf, failIntent, type StripeAuthorization } from "./stripe-authorization.js";
import { StripeClient } from "./stripe-client.js";
import {
  gatewayDataOf,
  PAYMENT_ID_METADATA_KEY,
  REFUND_ID_METADATA_KEY,
  stateOf,
  stripeIdempotencyKey,
  type StripeGatewayData,
} from "./stripe-intents.js";
import { coreCodes } from "@platform/core";

const OUR_ID = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * A {@link PaymentGateway} on Stripe PaymentIntents, through the official `stripe` SDK (an optional
 * peer dependency, loaded on first use).
 *
 * - `authorize` creates a PaymentIntent (our payment id in `metadata.platform_payment_id`) and confirms
 *   it, `capture_method` `automatic` or `manual`; `capture` takes all or part (`amount_to_capture`);
 *   `void` cancels it; `refund` refunds all or part; `retrieve` reads it by id, or finds it by our
 *   payment id (Stripe's search) after a lost answer.
 * - Every POST carries an Idempotency-Key derived from the SDK's key per step (`<key>:create`,
 *   `<key>:confirm`, ...): a re-send after a crash is answered by Stripe with the first result, never a
 *   second charge.
 * - Amounts follow Stripe's currency rules exactly (zero- and three-decimal currencies, minimum and
 *   maximum amounts) and are refused, never rounded, when Stripe cannot carry them.
 * - Errors are mapped by what the caller does next (see `mapStripeError`): declines are `card_declined`
 *   with Stripe's `decline_code`; a POST without an answer is ambiguous, so the payment stays
 *   `processing` until `payments.reconcile()`.
 *
 * @throws ConfigurationError `stripe_secret_key_missing`, `stripe_secret_key_malformed` (constructor).
 * @example
 * ```ts
 * import { createPaymentSystem } from "@platform/payments";
 * import { StripeGateway } from "@platform/payments/stripe";
 * const system = createPaymentSystem({ gateways: { stripe: new StripeGateway({ secretKey: process.env.STRIPE_SECRET_KEY }) } });
 * ```
 */
export class StripeGateway implements PaymentGateway {
  /** `test` or `live`, from the key. */
  readonly mode: StripeMode;
  private readonly options: StripeGatewayOptions & { secretKey: string };
  private readonly name: string;
  private readonly client: StripeClient;

  constructor(options: StripeGatewayOptions | string | undefined) {
    const o: StripeGatewayOptions = typeof options === "object" && options !== null ? options : { secretKey: options };
    this.mode = stripeModeOf(o.secretKey);
    this.options = o as StripeGatewayOptions & { secretKey: string };
    this.name = o.name ?? "stripe";
    this.client = new StripeClient(this.options, this.name);
  }

  /** The card behind a PaymentMethod id (`pm_...`), or null when Stripe does not know it. */
  async describePaymentMethod(paymentMethod: string): Promise<PaymentMethodDetails | null> {
    if (!/^[A-Za-z0-9_]{3,255}$/.test(paymentMethod)) return null;
    try {
      const pm = await this.client.call("read", (s) => s.paymentMethods.retrieve(paymentMethod));
      const card = pm.card ?? undefined;
      return {
        type: pm.type,
        brand: card?.brand ?? undefined,
        last4: card?.last4 ?? undefined,
        country: card?.country ?? undefined,
        fingerprint: card?.fingerprint ?? undefined,
      };
    } catch (e) {
      if (PlatformError.is(e) && e.details.stripeCode === "resource_missing") return null;
      throw e;
    }
  }

  /**
   * Refuses an amount Stripe cannot take (`payments.create` calls it before recording anything).
   * @throws ValidationError `currency_not_supported`, `amount_precision_unsupported`, `amount_below_gateway_minimum`, `amount_above_gateway_maximum`.
   */
  async assertSupported(request: { amount: Money; capture: boolean }): Promise<void> {
    toStripeAmount(request.amount);
  }

  /**
   * Creates and confirms a PaymentIntent. Resolves `captured` (automatic capture) or `authorized`
   * (manual), or `requires_action` when the customer must authenticate (3-D Secure: the intent's
   * `next_action` and `client_secret` go to the host's front end); a decline throws `card_declined`;
   * `processing` at Stripe is ambiguous.
   * @throws ValidationError `currency_not_supported`, `amount_precision_unsupported`, `amount_below_gateway_minimum`,
   *   `amount_above_gateway_maximum`, `gateway_invalid_request` (nothing was sent, or Stripe refused it).
   */
  async authorize(req: GatewayAuthorizeRequest): Promise<StripeAuthorization> {
    const { amount, currency } = toStripeAmount(req.amount);
    if (!OUR_ID.test(req.paymentId))
      throw ValidationError.field(coreCodes.validation_failed, "paymentId", "payment ids are letters, digits, _ and -");
    const created = await this.client.call("authorize", (s) =>
      s.paymentIntents.create(
        {
          amount,
          currency,
          payment_method: req.paymentMethod,
          capture_method: req.capture ? "automatic" : "manual",
          automatic_payment_methods: this.options.returnUrl ? { enabled: true } : { enabled: true, allow_redirects: "never" },
          metadata: { ...req.metadata, [PAYMENT_ID_METADATA_KEY]: req.paymentId },
        },
        { idempotencyKey: stripeIdempotencyKey(req.idempotencyKey, "create") },
      ),
    );
    // A replayed create answers with the intent as it was then; the confirm key replays the confirm.
    const pi = await this.client.call("authorize", (s) =>
      s.paymentIntents.confirm(
        created.id,
        { ...(this.options.returnUrl ? { return_url: this.options.returnUrl } : {}), expand: ["latest_charge"] },
        { idempotencyKey: stripeIdempotencyKey(req.idempotencyKey, "confirm") },
      ),
    );
    return authorizationOf(this.name, pi);
  }

  /**
   * Captures all or part of an authorised PaymentIntent; Stripe releases the rest.
   * @throws GatewayError non-retryable with Stripe's code (`amount_too_large`, `payment_intent_unexpected_state`) when refused.
   */
  async capture(req: {
    reference: string;
    amount: Money;
    idempotencyKey: string;
  }): Promise<{ reference: string; amountCaptured: Money; gatewayData: StripeGatewayData }> {
    const { amount } = toStripeAmount(req.amount, { minimum: false });
    const pi = await this.client.call("follow_up", (s) =>
      s.paymentIntents.capture(
        req.reference,
        { amount_to_capture: amount, expand: ["latest_charge"] },
        { idempotencyKey: stripeIdempotencyKey(req.idempotencyKey, "capture") },
      ),
    );
    if (pi.status !== "succeeded")
      failIntent(this.name, "gateway_pending", `the PaymentIntent is ${pi.status} after capture`, { retryable: true, ambiguous: true, pi });
    return { reference: pi.id, amountCaptured: fromStripeAmount(pi.amount_received, pi.currency), gatewayData: gatewayDataOf(pi) };
  }

  /**
   * Cancels an uncaptured PaymentIntent, also one waiting for the customer (already canceled counts
   * as done). @throws GatewayError when it was captured (or the customer completed it meanwhile).
   */
  async void(req: { reference: string; idempotencyKey: string }): Promise<void> {
    try {
      await this.client.call("follow_up", (s) =>
        s.paymentIntents.cancel(req.reference, {}, { idempotencyKey: stripeIdempotencyKey(req.idempotencyKey, "cancel") }),
      );
    } catch (e) {
      if (!PlatformError.is(e, "payment_intent_unexpected_state")) throw e;
      // Canceled by another request (or by Stripe when the hold lapsed): the void holds.
      const pi = await this.client.call("read", (s) => s.paymentIntents.retrieve(req.reference));
      if (pi.status !== "canceled") throw e;
    }
  }

  /**
   * Refunds all or part of a captured PaymentIntent. `pending` refunds settle later at Stripe: the
   * refund stays pending until `refunds.reconcile()` re-sends it (same key) and reads its current state.
   */
  async refund(req: {
    reference: string;
    refundId: string;
    amount: Money;
    idempotencyKey: string;
  }): Promise<GatewayRefund & { gatewayData: Record<string, string> }> {
    const { amount } = toStripeAmount(req.amount, { minimum: false });
    let refund = await this.client.call("follow_up", (s) =>
      s.refunds.create(
        { payment_intent: req.reference, amount, metadata: { [REFUND_ID_METADATA_KEY]: req.refundId } },
        { idempotencyKey: stripeIdempotencyKey(req.idempotencyKey, "refund") },
      ),
    );
    // A re-send (refunds.reconcile) is answered with the refund as it was then: read how it stands now.
    if (refund.status === "pending" || refund.status === "requires_action")
      refund = await this.client.call("read", (s) => s.refunds.retrieve(refund.id));
    const gatewayData = { provider: "stripe", refundId: refund.id, refundStatus: refund.status ?? "unknown" };
    if (refund.status === "succeeded") return { reference: refund.id, status: "succeeded", gatewayData };
    if (refund.status === "failed" || refund.status === "canceled")
      return { reference: refund.id, status: "failed", declineCode: refund.failure_reason ?? "refund_failed", gatewayData };
    return { reference: refund.id, status: "pending", gatewayData };
  }

  /**
   * Stripe's view of a payment: by PaymentIntent id, or, when the answer that carried the id was lost,
   * by our payment id in the intent's metadata (Stripe's search: it can lag by a minute, which is why
   * reconciliation waits and re-sends with the same Idempotency-Keys when nothing is found).
   */
  async retrieve(req: {
    reference?: string | undefined;
    paymentId: string;
  }): Promise<GatewayPaymentState & { gatewayData?: StripeGatewayData }> {
    if (req.reference) {
      try {
        return stateOf(await this.client.call("read", (s) => s.paymentIntents.retrieve(req.reference!, { expand: ["latest_charge"] })));
      } catch (e) {
        if (PlatformError.is(e) && e.details.stripeCode === "resource_missing") return { status: "not_found" };
        throw e;
      }
    }
    if (!OUR_ID.test(req.paymentId))
      throw ValidationError.field(coreCodes.validation_failed, "paymentId", "payment ids are letters, digits, _ and -");
    const found = await this.client.call("read", (s) =>
      s.paymentIntents.search({ query: `metadata['${PAYMENT_ID_METADATA_KEY}']:'${req.paymentId}'`, limit: 10 }),
    );
    const intents = found.data;
    if (intents.length === 0) return { status: "not_found" };
    // One create key per payment makes one intent; should there be more, the one that moved money tells.
    const pi =
      intents.find((i) => i.status === "succeeded" || i.status === "requires_capture") ??
      intents.find((i) => i.status === "processing") ??
      intents[0]!;
    return stateOf(pi);
  }
}
