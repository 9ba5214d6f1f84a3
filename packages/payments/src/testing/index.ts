/**
 * Test helpers of @platform/payments: the store and gateway contract suites every adapter must pass.
 * @packageDocumentation
 */
export { describePaymentStoreContract, samplePayment } from "./payment-store-contract.js";
export { describePaymentGatewayContract, type PaymentGatewayContractOptions } from "./payment-gateway-contract.js";
export { TestGateway, TEST_PAYMENT_METHODS } from "../adapters/test/test-gateway.js";
