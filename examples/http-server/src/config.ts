import { ConfigurationError } from "@platform/core";

/** How the server takes payments: named explicitly, never defaulted (fail closed). */
export type PaymentsConfig =
  | { readonly gateway: "test" }
  | {
      readonly gateway: "stripe";
      readonly secretKey: string | undefined;
      readonly host?: string;
      readonly port?: number;
      readonly protocol?: "http" | "https";
    };

/** Everything the server reads from its environment. */
export interface ServerConfig {
  /** PostgreSQL connection string; memory stores when absent. */
  readonly databaseUrl: string | undefined;
  readonly payments: PaymentsConfig;
  /** Signing secret of the Stripe webhook endpoint (`whsec_...`): the receiver is mounted only when set. */
  readonly stripeWebhookSecret: string | undefined;
  /** Bearer token of the admin API (at least 32 characters); the admin API answers 403 without it. */
  readonly adminToken: string | undefined;
  /** Secret of page cursors, shared by every server process on one database (at least 32 characters). */
  readonly cursorSecret: string | undefined;
  readonly port: number;
  readonly host: string;
  readonly production: boolean;
}

const MIN_ADMIN_TOKEN = 32;

/**
 * Reads the configuration from environment variables: `DATABASE_URL`, `PAYMENTS_GATEWAY` (`test` or
 * `stripe`, required), `STRIPE_SECRET_KEY`, `STRIPE_API_HOST`/`STRIPE_API_PORT`/`STRIPE_API_PROTOCOL`
 * (a Stripe-compatible server, for local runs), `STRIPE_WEBHOOK_SECRET`, `ADMIN_TOKEN`, `CURSOR_SECRET`,
 * `PORT` (3000), `HOST` (127.0.0.1), `NODE_ENV`.
 * @throws ConfigurationError `payments_gateway_missing` (no `PAYMENTS_GATEWAY`), `payments_gateway_unknown`,
 *   `test_gateway_in_production` (the test gateway never runs with `NODE_ENV=production`), `weak_admin_token`,
 *   `invalid_port`.
 */
export function loadConfig(env: Record<string, string | undefined>): ServerConfig {
  const production = env.NODE_ENV === "production";
  const gateway = env.PAYMENTS_GATEWAY?.trim();
  let payments: PaymentsConfig;
  if (!gateway) {
    throw new ConfigurationError(
      "payments_gateway_missing",
      "set PAYMENTS_GATEWAY to stripe (with STRIPE_SECRET_KEY) or, outside production, to test",
    );
  } else if (gateway === "test") {
    if (production)
      throw new ConfigurationError(
        "test_gateway_in_production",
        "the test gateway takes no real money: it is refused with NODE_ENV=production",
      );
    payments = { gateway: "test" };
  } else if (gateway === "stripe") {
    const port = env.STRIPE_API_PORT ? portOf(env.STRIPE_API_PORT) : undefined;
    payments = {
      gateway: "stripe",
      secretKey: env.STRIPE_SECRET_KEY,
      ...(env.STRIPE_API_HOST ? { host: env.STRIPE_API_HOST } : {}),
      ...(port !== undefined ? { port } : {}),
      ...(env.STRIPE_API_PROTOCOL === "http" ? { protocol: "http" as const } : {}),
    };
  } else {
    throw new ConfigurationError("payments_gateway_unknown", `unknown PAYMENTS_GATEWAY ${JSON.stringify(gateway)}: use stripe or test`);
  }
  const adminToken = env.ADMIN_TOKEN || undefined;
  if (adminToken !== undefined && adminToken.length < MIN_ADMIN_TOKEN) {
    throw new ConfigurationError(
      "weak_admin_token",
      `ADMIN_TOKEN must be at least ${MIN_ADMIN_TOKEN} characters (e.g. openssl rand -base64 32)`,
    );
  }
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    payments,
    stripeWebhookSecret: env.STRIPE_WEBHOOK_SECRET || undefined,
    adminToken,
    cursorSecret: env.CURSOR_SECRET || undefined,
    port: env.PORT ? portOf(env.PORT) : 3000,
    host: env.HOST || "127.0.0.1",
    production,
  };
}

function portOf(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new ConfigurationError("invalid_port", `invalid port ${JSON.stringify(value)}`);
  return n;
}
