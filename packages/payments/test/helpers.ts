import { ManualClock, PlatformError } from "@platform/core";
import { createPaymentSystem, TestGateway, type PaymentStore, type PaymentSystemOptions } from "../src/index.js";

/** The store `makeSystem` uses when the options give none (default: a new memory store). The PostgreSQL run of the suites sets it. */
export const defaultStore: { make?: () => PaymentStore } = {};

/** A system on a manual clock with a test gateway the test can inspect. */
export function makeSystem(options: PaymentSystemOptions = {}) {
  const clock = new ManualClock("2026-03-01T12:00:00.000Z");
  const gateway = new TestGateway();
  const system = createPaymentSystem({ ...(defaultStore.make ? { store: defaultStore.make() } : {}), clock, gateways: { test: gateway }, webhooks: { autoDispatch: false }, ...options });
  return { system, clock, gateway };
}

export const usd = (amount: string) => ({ amount, currency: "USD" });

/** The code of the PlatformError `fn` throws (fails the test when it does not throw one). */
export async function codeOf(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (e) {
    if (PlatformError.is(e)) return e.code;
    throw e;
  }
  throw new Error("expected a PlatformError");
}
