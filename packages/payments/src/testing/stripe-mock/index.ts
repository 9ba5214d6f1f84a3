/**
 * A local Stripe-compatible HTTP server and a webhook signer, for trying the StripeGateway and for
 * tests, without the network or a Stripe account. This subpath does not load vitest, so plain
 * programs (demos, a dev server) can use it; `@platform/payments/testing` re-exports it too.
 * @packageDocumentation
 */
export {
  startStripeMockServer,
  type StripeMockServer,
  type StripeMockServerOptions,
  type StripeMockFault,
  type StripeMockOperation,
  type StripeMockRequest,
} from "./stripe-mock-server.js";
export { StripeMockApi } from "./stripe-mock-api.js";
export {
  type Intent as StripeMockIntent,
  type Charge as StripeMockCharge,
  type Refund as StripeMockRefund,
  type Json as StripeMockJson,
} from "./stripe-mock-objects.js";
export {
  TEST_CARDS as STRIPE_TEST_CARDS,
  type TestCard as StripeTestCard,
  type FormObject as StripeFormObject,
  type FormValue as StripeFormValue,
} from "./stripe-wire.js";
export { stripeWebhookDelivery, type StripeWebhookDelivery, type StripeWebhookDeliveryInput } from "./stripe-webhook-delivery.js";
