/**
 * Test helpers of @platform/payments: the store and gateway contract suites every adapter must pass.
 * @packageDocumentation
 */
export { describePaymentStoreContract } from "./payment-store-contract.js";
export { samplePayment } from "./sample-payment.js";
export { describePaymentGatewayContract, type PaymentGatewayContractOptions } from "./payment-gateway-contract.js";
export { TestGateway, TEST_PAYMENT_METHODS } from "../adapters/test/test-gateway.js";
export { PAYMENTS_ADMIN_ACTOR } from "./test-actors.js";
export {
  startStripeMockServer,
  StripeMockApi,
  STRIPE_TEST_CARDS,
  stripeWebhookDelivery,
  type StripeMockServer,
  type StripeMockServerOptions,
  type StripeMockFault,
  type StripeMockOperation,
  type StripeMockRequest,
  type StripeMockIntent,
  type StripeMockCharge,
  type StripeMockRefund,
  type StripeMockJson,
  type StripeTestCard,
  type StripeFormObject,
  type StripeFormValue,
  type StripeWebhookDelivery,
  type StripeWebhookDeliveryInput,
} from "./stripe-mock/index.js";
