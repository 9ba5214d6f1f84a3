import { afterAll, inject } from "vitest";
import { ANONYMOUS_ACTOR, ManualClock } from "@platform/core";
import { memoryStoreFixture, postgresStoreFixture, waitUntil, type StoreFixture } from "@platform/core/testing";
import {
  ADMIN_ACTOR,
  createECommercePlatform,
  MemoryCommerceStore,
  TestPaymentPort,
  type Actor,
  type CommerceStore,
  type ECommercePlatformOptions,
} from "../src/index.js";
import { migrateCommerce, PostgresCommerceStore } from "../src/adapters/postgres/index.js";
import { COMMERCE_TABLES } from "./postgres-helpers.js";

export { ADMIN_ACTOR, ANONYMOUS_ACTOR };

// One PostgreSQL database per test file, shared by its describe blocks (each store starts empty).
const sharedPostgres = postgresStoreFixture<CommerceStore>({
  adminUrl: () => inject("databaseUrl"),
  prefix: "commerce",
  migrate: async (pool) => void (await migrateCommerce(pool)),
  tables: COMMERCE_TABLES,
  create: (pool) => new PostgresCommerceStore(pool),
  shared: true,
});
afterAll(() => sharedPostgres.dispose());

/** The stores every service suite runs on, for `describe.each(commerceStores())("... on $name", ...)`. */
export function commerceStores(): StoreFixture<CommerceStore>[] {
  return [memoryStoreFixture<CommerceStore>(() => new MemoryCommerceStore()), sharedPostgres];
}

/** A platform on a manual clock with cheap scrypt (tests only) and an instant retry sleep; memory store unless `options.store`. */
export function makePlatform(options: ECommercePlatformOptions = {}) {
  const clock = new ManualClock("2026-03-01T10:00:00Z");
  const payments = new TestPaymentPort();
  const platform = createECommercePlatform({
    clock,
    payments,
    passwordHashing: { N: 1024 },
    ...options,
    notifications: { sleep: async () => {}, ...options.notifications },
  });
  return { platform, clock, payments };
}

/** {@link makePlatform} on a new store of a suite's fixture (unless `options.store` names one). */
export function makeOn(store: StoreFixture<CommerceStore>, options: ECommercePlatformOptions = {}) {
  return makePlatform({ store: store.make(), ...options });
}

export type TestPlatform = ReturnType<typeof makePlatform>["platform"];

let n = 0;
/** Registers and signs in a customer; returns the actor and the token. */
export async function signUp(platform: TestPlatform, name = "Jane Roe"): Promise<{ actor: Actor; token: string; email: string }> {
  const email = `user${++n}@example.com`;
  await platform.users.register(ANONYMOUS_ACTOR, { email, password: "s3cure-passw0rd", name });
  const { token } = await platform.users.login(ANONYMOUS_ACTOR, { email, password: "s3cure-passw0rd" });
  return { actor: await platform.users.authenticate(ANONYMOUS_ACTOR, { token }), token, email };
}

/** Creates an active USD product with stock. */
export async function product(platform: TestPlatform, sku: string, price: string, stock: number, extra: Record<string, unknown> = {}) {
  return platform.products.create(ADMIN_ACTOR, {
    sku,
    name: `Product ${sku}`,
    price: { amount: price, currency: "USD" },
    initialStock: stock,
    ...extra,
  });
}

/** Waits (10 s at most, then fails) until `done` holds for what `read` answers, and returns that. */
export async function eventually<T>(read: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  let last: T | undefined;
  await waitUntil(async () => done((last = await read())), "the expected state", { timeoutMs: 10_000 });
  return last as T;
}

/** One `codeOf` for every suite: core's testing helper. */
export { codeOf } from "@platform/core/testing";
