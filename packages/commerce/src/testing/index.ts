/**
 * Test helpers of @platform/commerce: the store contract suite every adapter must pass.
 * @packageDocumentation
 */
export { describeCommerceStoreContract } from "./commerce-store-contract.js";
