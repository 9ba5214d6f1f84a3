/**
 * Test helpers of @platform/payments: the store and gateway contract suites every adapter must pass.
 * @packageDocumentation
 */
export { describePaymentStoreContract, samplePayment } from "./payment-store-contract.js";
export { describePaymentGatewayContract, type PaymentGatewayContractOptions } from "./payment-gateway-contract.js";
export { TestGateway, TEST_PAYMENT_METHODS } from "../adapters/test/test-gateway.js";
export {
  startStripeMockServer,
  type StripeMockServer,
  type StripeMockServerOptions,
  type StripeMockFault,
  type StripeMockOperation,
  type StripeMockRequest,
} from "./stripe-mock/stripe-mock-server.js";
export { StripeMockApi } from "./stripe-mock/stripe-mock-api.js";
export {
  type Intent as StripeMockIntent,
  type Charge as StripeMockCharge,
  type Refund as StripeMockRefund,
  type Json as StripeMockJson,
} from "./stripe-mock/stripe-mock-objects.js";
export { TEST_CARDS as STRIPE_TEST_CARDS, type TestCard as StripeTestCard, type FormObject as StripeFormObject, type FormValue as StripeFormValue } from "./stripe-mock/stripe-wire.js";
export { stripeWebhookDelivery, type StripeWebhookDelivery, type StripeWebhookDeliveryInput } from "./stripe-mock/stripe-webhook-delivery.js";
