import { defineErrorCodes } from "@platform/core";

/**
 * Every error code \@platform/payments throws that core does not (core's codes, in
 * `CORE_ERROR_CODES`, apply too), with its kind and when it is thrown. The docs' table is rendered
 * from it (`corepack pnpm docs:codes`).
 */
export const PAYMENTS_ERROR_CODES = {
  // validation
  unknown_gateway: {
    kind: "validation",
    description:
      "a payment, provider event or routing option names a gateway that is not registered (a wiring mistake in options is a configuration error with the same code)",
  },
  unknown_payment_method: {
    kind: "validation",
    description: "a payment method is not a token such as `pm_card_visa`, or the gateway does not know it",
  },
  raw_card_data: {
    kind: "validation",
    description: "a payment method looks like a raw card number: cards must be tokenised by the gateway first",
  },
  invalid_rule: {
    kind: "validation",
    description: "a fraud rule's text does not parse (`details` gives the position) or a condition does not fit its field",
  },
  invalid_range: { kind: "validation", description: "a transactions listing's `to` is not after its `from`" },
  insecure_url: { kind: "validation", description: "a webhook endpoint URL is not https (and `allowHttp` is off)" },
  private_url: {
    kind: "validation",
    description: "a webhook endpoint URL points at a loopback, private or local address (and `allowPrivateNetworks` is off)",
  },
  invalid_secret: { kind: "validation", description: "a webhook signing secret holds fewer than 16 bytes of base64 key material" },
  invalid_max_amount: { kind: "validation", description: "the `maxAmount` option is not a positive integer below 10^18" },
  invalid_gateway_name: { kind: "validation", description: "a gateway is registered under a name that is not a lower-case identifier" },
  invalid_webhook_payload: {
    kind: "validation",
    description: "a signed Stripe event carries a PaymentIntent without its id, amount, currency or status (nothing changed)",
  },
  currency_not_supported: { kind: "validation", description: "Stripe does not take payments in this currency" },
  amount_precision_unsupported: { kind: "validation", description: "an amount has a precision Stripe cannot charge in this currency" },
  amount_below_gateway_minimum: { kind: "validation", description: "an amount is below Stripe's minimum charge for its currency" },
  amount_above_gateway_maximum: { kind: "validation", description: "an amount is above Stripe's maximum charge for its currency" },
  gateway_invalid_request: {
    kind: "validation",
    description: "Stripe refused a request as invalid (nothing was charged; `details` carries Stripe's code)",
  },
  // forbidden
  private_address: {
    kind: "forbidden",
    description:
      "the webhook transport refused to connect: the endpoint's host resolved to a loopback, private or local address (logged on the attempt)",
  },
  // not found
  payment_not_found: { kind: "not_found", description: "no payment has this id" },
  refund_not_found: { kind: "not_found", description: "no refund has this id" },
  transaction_not_found: { kind: "not_found", description: "no ledger transaction has this id" },
  rule_not_found: { kind: "not_found", description: "no fraud rule has this id" },
  endpoint_not_found: { kind: "not_found", description: "no webhook endpoint has this id" },
  delivery_not_found: { kind: "not_found", description: "no webhook delivery has this id" },
  // conflict
  version_conflict: {
    kind: "conflict",
    description: "a payment changed between its read and its write (optimistic concurrency); retry the call",
  },
  delivery_in_flight: {
    kind: "conflict",
    description: "a manual retry met a webhook delivery that a dispatcher is sending under a live lease (`details.leaseUntil`)",
  },
  // domain rules
  invalid_transition: {
    kind: "domain_rule",
    description: "the payment's status does not allow the operation (`details.from`, `details.to`)",
  },
  capture_exceeds_authorized: { kind: "domain_rule", description: "a capture asks for more than the authorised amount" },
  authorization_expired: { kind: "domain_rule", description: "a capture came after the authorisation's hold expired" },
  refund_exceeds_captured: {
    kind: "domain_rule",
    description: "a refund asks for more than is captured and not yet refunded or being refunded",
  },
  review_not_pending: { kind: "domain_rule", description: "a review decision was made on a payment with no pending review" },
  ledger_unbalanced: { kind: "domain_rule", description: "a ledger transaction's postings do not balance (refused by the database)" },
  amount_invariant_violated: {
    kind: "domain_rule",
    description: "a change would break refunded <= captured <= authorised (a gateway answer that cannot be true)",
  },
  // idempotency
  idempotency_conflict: { kind: "idempotency", description: "an idempotency key was reused with other parameters" },
  idempotency_key_in_use: {
    kind: "idempotency",
    description: "a call with this idempotency key is still in progress under a live lease; retry after it",
  },
  gateway_idempotency_conflict: {
    kind: "idempotency",
    description: "the provider refused a request whose idempotency key it saw with other parameters",
  },
  // gateway
  gateway_error: { kind: "gateway", description: "the gateway failed in a way it did not classify (`details.provider`)" },
  gateway_unavailable: {
    kind: "gateway",
    description: "the gateway could not be reached before anything was sent (`retryable`; fallback gateways are tried)",
  },
  gateway_timeout: {
    kind: "gateway",
    description: "the gateway did not answer after the request was sent: the outcome is unknown and reconciled, never read as failure",
  },
  gateway_rate_limited: { kind: "gateway", description: "the provider refused the request for its rate limit (`retryable`)" },
  invalid_gateway_response: {
    kind: "gateway",
    description: "the gateway answered something that cannot be true (an amount above the request, another currency)",
  },
  gateway_pending: {
    kind: "gateway",
    description: "Stripe still reports a PaymentIntent as processing: the outcome is unknown and reconciled",
  },
  payment_canceled: { kind: "gateway", description: "Stripe canceled the PaymentIntent before it was charged" },
  card_declined: {
    kind: "gateway",
    description:
      "the provider declined a capture or refund (`details.declineCode`); a declined payment resolves `failed` instead of throwing",
  },
  // authentication of incoming webhooks
  webhook_headers_missing: {
    kind: "unauthenticated",
    description: "a webhook lacks its `webhook-id`, `webhook-timestamp` or `webhook-signature` header",
  },
  webhook_signature_invalid: { kind: "unauthenticated", description: "no signature of a webhook matches any of the secrets" },
  webhook_timestamp_invalid: { kind: "unauthenticated", description: "a webhook's timestamp is not a number of seconds" },
  webhook_timestamp_stale: { kind: "unauthenticated", description: "a webhook's timestamp is outside the tolerance (replay protection)" },
  stripe_signature_missing: { kind: "unauthenticated", description: "a Stripe webhook has no `Stripe-Signature` header" },
  stripe_signature_invalid: { kind: "unauthenticated", description: "a Stripe webhook's signature does not match the endpoint secret" },
  stripe_signature_stale: {
    kind: "unauthenticated",
    description: "a Stripe webhook's signature is older than the tolerance (default 300 s)",
  },
  // configuration
  no_payment_gateway: {
    kind: "configuration",
    description: "`createPaymentSystem` was given no gateway (there is no default: nothing pays unless the host chose how)",
  },
  test_gateway_in_production: {
    kind: "configuration",
    description: "a test gateway was registered under `NODE_ENV=production` without `allowTestGateways`",
  },
  missing_peer_dependency: { kind: "configuration", description: "the optional `stripe` package is not installed" },
  stripe_secret_key_missing: { kind: "configuration", description: "`StripeGateway` was given no secret key" },
  stripe_secret_key_malformed: { kind: "configuration", description: "a Stripe secret key is not an `sk_test_`/`sk_live_`/`rk_` key" },
  stripe_authentication_failed: { kind: "configuration", description: "Stripe refused the secret key" },
  stripe_permission_denied: { kind: "configuration", description: "the Stripe key lacks a permission the call needs" },
  stripe_webhook_secret_missing: { kind: "configuration", description: "`handleStripeWebhook` was given no endpoint secret" },
  stripe_webhook_secret_malformed: { kind: "configuration", description: "a Stripe endpoint secret is not a `whsec_` secret" },
} as const;

/** The codes of \@platform/payments as constants: `paymentsCodes.payment_not_found === "payment_not_found"`. */
export const paymentsCodes = defineErrorCodes(PAYMENTS_ERROR_CODES);

/** A code thrown by \@platform/payments (besides core's). */
export type PaymentsErrorCode = keyof typeof PAYMENTS_ERROR_CODES;
