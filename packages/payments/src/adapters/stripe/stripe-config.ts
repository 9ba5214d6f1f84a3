import { ConfigurationError, type Logger } from "@platform/core";
import { paymentsCodes } from "../../domain/error-codes.js";

/** Options of a {@link StripeGateway}. Only `secretKey` is required. */
export interface StripeGatewayOptions {
  /**
   * A secret (`sk_test_...`, `sk_live_...`) or restricted (`rk_test_...`, `rk_live_...`) key, read from
   * configuration (e.g. `process.env.STRIPE_SECRET_KEY`), never written in code.
   */
  secretKey: string | undefined;
  /** Provider name in errors (default `stripe`). */
  name?: string;
  /** Stripe API version (default: the one the installed stripe SDK pins). */
  apiVersion?: string;
  /** The stripe SDK's own retries of one call (same Idempotency-Key), default 2. */
  maxNetworkRetries?: number;
  /** Per-request timeout in ms (default 30 000). A timed-out POST is ambiguous and reconciled. */
  timeoutMs?: number;
  /**
   * Where the customer returns after a redirect-based payment method. Without it, PaymentIntents are
   * created with `automatic_payment_methods[allow_redirects]=never` (cards only need no redirect).
   */
  returnUrl?: string;
  /** A Stripe-compatible server instead of api.stripe.com (tests: the local server of `@platform/payments/testing`). */
  host?: string;
  /** Port of that server. */
  port?: number;
  /** `http` for a local server; Stripe itself is `https` (the default). */
  protocol?: "http" | "https";
  /** The stripe SDK's request telemetry headers (default false). */
  telemetry?: boolean;
  /** Where failures the gateway recovers from are logged (a failed release of an abandoned PaymentIntent). Default: silent. */
  logger?: Logger;
}

const KEY = /^(sk|rk)_(test|live)_[A-Za-z0-9]{8,247}$/;

/** `test` or `live`, from the key's prefix. */
export type StripeMode = "test" | "live";

/**
 * Checks a Stripe secret key's shape before anything is sent.
 * @throws ConfigurationError `stripe_secret_key_missing` (empty or absent), `stripe_secret_key_malformed`
 *   (not `sk_`/`rk_` + `test`/`live`: a publishable `pk_` key, whitespace, a truncated copy).
 */
export function stripeModeOf(secretKey: unknown): StripeMode {
  if (secretKey === undefined || secretKey === null || secretKey === "") {
    throw new ConfigurationError(
      paymentsCodes.stripe_secret_key_missing,
      "no Stripe secret key: set STRIPE_SECRET_KEY (sk_test_... for test mode)",
    );
  }
  if (typeof secretKey !== "string" || !KEY.test(secretKey)) {
    const hint =
      typeof secretKey === "string" && secretKey.startsWith("pk_")
        ? "a publishable key (pk_) was given; the server needs the secret key (sk_)"
        : "expected sk_test_..., sk_live_..., rk_test_... or rk_live_...";
    throw new ConfigurationError(paymentsCodes.stripe_secret_key_malformed, `malformed Stripe secret key: ${hint}`, {
      details: { prefix: typeof secretKey === "string" ? secretKey.slice(0, 3) : typeof secretKey },
    });
  }
  return secretKey.includes("_live_") ? "live" : "test";
}
