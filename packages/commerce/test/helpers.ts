import { ManualClock } from "@platform/core";
import { createECommercePlatform, TestPaymentPort, type Actor, type CommerceStore, type ECommercePlatformOptions } from "../src/index.js";

/** The store `makePlatform` uses when the options give none (default: a new memory store). The PostgreSQL run of the suites sets it. */
export const defaultStore: { make?: () => CommerceStore } = {};

/** A platform on a manual clock with cheap scrypt (tests only) and an instant retry sleep. */
export function makePlatform(options: ECommercePlatformOptions = {}) {
  const clock = new ManualClock("2026-03-01T10:00:00Z");
  const payments = new TestPaymentPort();
  const platform = createECommercePlatform({
    ...(defaultStore.make ? { store: defaultStore.make() } : {}),
    clock,
    payments,
    passwordHashing: { N: 1024 },
    ...options,
    notifications: { sleep: async () => {}, ...options.notifications },
  });
  return { platform, clock, payments };
}

export type TestPlatform = ReturnType<typeof makePlatform>["platform"];

let n = 0;
/** Registers and signs in a customer; returns the actor and the token. */
export async function signUp(platform: TestPlatform, name = "Jane Roe"): Promise<{ actor: Actor; token: string; email: string }> {
  const email = `user${++n}@example.com`;
  await platform.users.register({ email, password: "s3cure-passw0rd", name });
  const { token } = await platform.users.login({ email, password: "s3cure-passw0rd" });
  return { actor: await platform.users.authenticate(token), token, email };
}

/** Creates an active USD product with stock. */
export async function product(platform: TestPlatform, sku: string, price: string, stock: number, extra: Record<string, unknown> = {}) {
  return platform.products.create({ sku, name: `Product ${sku}`, price: { amount: price, currency: "USD" }, initialStock: stock, ...extra });
}

/** One `codeOf` for every suite: core's testing helper. */
export { codeOf } from "@platform/core/testing";
