import * as core from "@platform/core";
import * as commerce from "@platform/commerce";
import * as commercePayments from "@platform/commerce/payments";
import * as payments from "@platform/payments";
import * as social from "@platform/social";
import scenario from "./scenario.cjs";

await scenario({ core, commerce, commercePayments, payments, social }, "ESM");

// The local Stripe-compatible server is usable from a plain program (no vitest loaded).
const { startStripeMockServer } = await import("@platform/payments/stripe-mock");
const stripeMock = await startStripeMockServer();
await stripeMock.close();
console.log("consumer: @platform/payments/stripe-mock runs outside a test runner");
