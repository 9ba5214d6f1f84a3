/**
 * Test helpers of @platform/payments: the store contract suite every adapter must pass.
 * @packageDocumentation
 */
export { describePaymentStoreContract, samplePayment } from "./payment-store-contract.js";
export { TestGateway, TEST_PAYMENT_METHODS } from "../adapters/test/test-gateway.js";
