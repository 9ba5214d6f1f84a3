/**
 * Contract suites for @platform/social stores: run them against any adapter.
 * @packageDocumentation
 */
export { describeSocialStoreContract } from "./social-store-contract.js";
