import type { Clock } from "@platform/core";
import { coreMigrations, migrate, type PoolLike } from "@platform/core/postgres";
import { createECommercePlatform, MemoryCommerceStore, type ECommercePlatform, type ScryptParams } from "@platform/commerce";
import { followPaymentEvents, paymentPortFor } from "@platform/commerce/payments";
import { commerceMigrations, PostgresCommerceStore } from "@platform/commerce/postgres";
import { createPaymentSystem, MemoryPaymentStore, TestGateway, type PaymentGateway, type PaymentSystem } from "@platform/payments";
import { paymentsMigrations, PostgresPaymentStore } from "@platform/payments/postgres";
import { StripeGateway } from "@platform/payments/stripe";
import { createSocialMediaPlatform, MemorySocialStore, type SocialMediaPlatform } from "@platform/social";
import { PostgresSocialStore, socialMigrations } from "@platform/social/postgres";
import pg from "pg";
import type { PaymentsConfig, ServerConfig } from "./config.js";

/** The three systems the server wires, on one storage. */
export interface Services {
  readonly shop: ECommercePlatform;
  readonly social: SocialMediaPlatform;
  readonly payments: PaymentSystem;
  /** The payment gateway the configuration named (tests drive the test gateway through it). */
  readonly gateway: PaymentGateway;
  /** Releases the database pool (when the services own one). */
  close(): Promise<void>;
}

/** Test and tooling hooks: an injected pool (not owned), a clock, cheaper password hashing. */
export interface ServicesOptions {
  readonly pool?: PoolLike;
  readonly clock?: Clock;
  readonly passwordHashing?: Partial<ScryptParams>;
}

/** The gateway the configuration names; the StripeGateway checks its key itself (`stripe_secret_key_missing` ...). */
function gatewayFor(config: PaymentsConfig): { name: string; gateway: PaymentGateway } {
  if (config.gateway === "test") return { name: "test", gateway: new TestGateway() };
  const { secretKey, host, port, protocol } = config;
  return {
    name: "stripe",
    gateway: new StripeGateway({
      secretKey,
      ...(host ? { host } : {}),
      ...(port !== undefined ? { port } : {}),
      ...(protocol ? { protocol } : {}),
    }),
  };
}

/** Applies every package's migrations (under the runner's advisory lock: safe from several processes). */
export async function migrateAll(pool: PoolLike): Promise<void> {
  await migrate(pool, [coreMigrations, await commerceMigrations(), await paymentsMigrations(), await socialMigrations()]);
}

/**
 * Builds commerce, social and payments on PostgreSQL (`config.databaseUrl` or `options.pool`) or
 * in memory. Commerce pays through the payment system, so orders and payments share the database.
 * Migrations are not applied here: call {@link migrateAll} first (the server's `main` does).
 */
export function createServices(config: ServerConfig, options: ServicesOptions = {}): Services {
  const owned = !options.pool && config.databaseUrl ? new pg.Pool({ connectionString: config.databaseUrl, max: 10 }) : undefined;
  const pool = options.pool ?? owned;
  const { name, gateway } = gatewayFor(config.payments);
  const clock = options.clock ? { clock: options.clock } : {};
  const cursorSecret = config.cursorSecret ? { cursorSecret: config.cursorSecret } : {};
  const payments = createPaymentSystem({
    store: pool ? new PostgresPaymentStore(pool) : new MemoryPaymentStore(),
    gateways: { [name]: gateway },
    ...clock,
    ...cursorSecret,
  });
  const shop = createECommercePlatform({
    store: pool ? new PostgresCommerceStore(pool) : new MemoryCommerceStore(),
    payments: paymentPortFor(payments),
    ...clock,
    ...cursorSecret,
    ...(options.passwordHashing ? { passwordHashing: options.passwordHashing } : {}),
  });
  const social = createSocialMediaPlatform({
    store: pool ? new PostgresSocialStore(pool) : new MemorySocialStore(),
    ...clock,
    ...cursorSecret,
  });
  // Payments settled here (a Stripe webhook, a reconcile) pay or cancel their orders at once; the
  // worker's payment sweeper covers what another process settled.
  const unfollow = followPaymentEvents(payments, shop.orders);
  return {
    shop,
    social,
    payments,
    gateway,
    close: async () => {
      unfollow();
      await owned?.end();
    },
  };
}
