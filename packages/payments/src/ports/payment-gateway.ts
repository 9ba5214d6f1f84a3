import type { Money } from "@platform/core";
import type { GatewayData } from "../domain/gateway-data.js";
import type { CustomerAction, PaymentMethodDetails } from "../domain/payment.js";

/** Authorise (and, with `capture: true`, capture in the same call) an amount. */
export interface GatewayAuthorizeRequest {
  /** Our payment id: the gateway keeps it as merchant reference, so `retrieve` works after a timeout. */
  readonly paymentId: string;
  /** Sent as the provider's idempotency key: a retried request never charges twice. */
  readonly idempotencyKey: string;
  readonly amount: Money;
  readonly paymentMethod: string;
  readonly capture: boolean;
  readonly metadata: Readonly<Record<string, string>>;
}

/** What an authorisation produced. */
export interface GatewayAuthorization {
  /** The provider's id of the charge (Stripe: `pi_...`). */
  readonly reference: string;
  /**
   * `requires_action`: nothing was charged yet, the customer must complete a step at the provider
   * (3-D Secure) described by `action`; the payment waits in `requires_action`.
   */
  readonly status: "authorized" | "captured" | "requires_action";
  readonly amountAuthorized: Money;
  readonly amountCaptured: Money;
  /** Provider data to keep with the payment and its ledger transaction (a plain JSON object, at most 16 KiB). */
  readonly gatewayData?: GatewayData | undefined;
  /** With `requires_action`: the step for the customer's front end. */
  readonly action?: CustomerAction | undefined;
}

/** The provider's view of a payment, for reconciliation. */
export interface GatewayPaymentState {
  /**
   * `not_found`: the provider never received the request. `pending`: it does not know yet either.
   * `requires_action`: waiting for the customer (3-D Secure); nothing charged.
   */
  readonly status: "authorized" | "captured" | "voided" | "failed" | "pending" | "not_found" | "requires_action";
  readonly reference?: string | undefined;
  readonly amountAuthorized?: Money | undefined;
  readonly amountCaptured?: Money | undefined;
  readonly declineCode?: string | undefined;
  /** Provider data to keep when this state settles the payment. */
  readonly gatewayData?: GatewayData | undefined;
  /** With `requires_action`: the step for the customer's front end. */
  readonly action?: CustomerAction | undefined;
}

/** A refund as the provider reports it. */
export interface GatewayRefund {
  readonly reference: string;
  /** `pending`: accepted, settles later (query `retrieveRefund`). */
  readonly status: "succeeded" | "pending" | "failed";
  readonly declineCode?: string | undefined;
  /** Provider data to keep with the refund's ledger transaction. */
  readonly gatewayData?: GatewayData | undefined;
}

/**
 * A payment provider. Implementations map every provider error to core's `GatewayError` at this
 * edge (the registry wraps anything else): a decline is `retryable: false` with a `declineCode`;
 * "unavailable, nothing was sent" is `retryable: true` (fallback may try another gateway); and
 * "sent but no answer" must set `details.ambiguous: true` (or use code `gateway_timeout`): the
 * payment stays `processing` until `reconcile()`, and no other gateway is tried.
 *
 * Results may carry `gatewayData`, the provider's own data, kept opaque on the payment and on the
 * ledger transaction: a plain JSON object of at most 16 KiB (`checkGatewayData`); anything else is
 * not kept, and the result itself is recorded all the same.
 */
export interface PaymentGateway {
  /**
   * True for a gateway that moves no real money (a test double such as `TestGateway`). Such a gateway
   * is refused when `NODE_ENV=production` unless the host passes `allowTestGateways: true`.
   */
  readonly testMode?: boolean | undefined;
  /** Details of a payment method token, or null when the provider does not know it. */
  describePaymentMethod(paymentMethod: string): Promise<PaymentMethodDetails | null>;
  /**
   * Optional: refuses, before anything is recorded, an amount the provider can never take (currency,
   * precision, minimum, maximum), so `payments.create` throws and changes nothing.
   * @throws ValidationError with the provider's reason (e.g. `currency_not_supported`).
   */
  assertSupported?(request: { amount: Money; capture: boolean }): Promise<void>;
  authorize(request: GatewayAuthorizeRequest): Promise<GatewayAuthorization>;
  /** Captures `amount` (<= authorised) of an authorisation; the rest is released. */
  capture(request: {
    reference: string;
    amount: Money;
    idempotencyKey: string;
  }): Promise<{ reference: string; amountCaptured: Money; gatewayData?: GatewayData | undefined }>;
  /** Releases an uncaptured authorisation, or cancels a charge waiting for the customer (`requires_action`). */
  void(request: { reference: string; idempotencyKey: string }): Promise<void>;
  refund(request: { reference: string; refundId: string; amount: Money; idempotencyKey: string }): Promise<GatewayRefund>;
  /** The truth about a payment, by the provider's reference or by our payment id. */
  retrieve(request: { reference?: string | undefined; paymentId: string }): Promise<GatewayPaymentState>;
}
