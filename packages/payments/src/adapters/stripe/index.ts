/**
 * `@platform/payments/stripe`: a payment gateway on Stripe PaymentIntents through the official
 * `stripe` SDK (an optional peer dependency: install `stripe` to use this entry point).
 * @packageDocumentation
 */
export { StripeGateway } from "./stripe-gateway.js";
export { type StripeAuthorization } from "./stripe-authorization.js";
export { type StripeGatewayOptions, type StripeMode, stripeModeOf } from "./stripe-config.js";
export { toStripeAmount, fromStripeAmount, stripeDecimals, isStripeCurrency } from "./stripe-amounts.js";
export { mapStripeError, type StripeCallKind } from "./stripe-errors.js";
export {
  stripeIdempotencyKey,
  actionOf as stripeActionOf,
  PAYMENT_ID_METADATA_KEY,
  REFUND_ID_METADATA_KEY,
  type StripeGatewayData,
} from "./stripe-intents.js";
export {
  verifyStripeWebhook,
  STRIPE_PAYMENT_EVENT_TYPES,
  type VerifyStripeWebhookOptions,
  type VerifiedStripeEvent,
} from "./stripe-webhook.js";
export {
  handleStripeWebhook,
  STRIPE_WEBHOOK_ACTOR,
  type HandleStripeWebhookOptions,
  type StripeWebhookResult,
} from "./stripe-webhook-handler.js";
