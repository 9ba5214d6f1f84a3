import { AuthenticationError, ConfigurationError, parse, withErrorCode } from "@platform/core";
import { z } from "zod";
import type { AttemptPolicy, LoginThrottle } from "../domain/login-throttle.js";
import type { CommerceStore, CommerceTx } from "../ports/commerce-store.js";
import { commerceCodes } from "../domain/error-codes.js";

/**
 * Login throttling: a progressive delay per e-mail (slows guessing at one account from anywhere,
 * without a long lockout of its owner) and a hard limit per caller-supplied client key such as
 * the IP address (stops one source guessing across many accounts).
 */
export interface LoginThrottlePolicy {
  readonly email: AttemptPolicy;
  readonly client: AttemptPolicy;
}

/**
 * Defaults. Per e-mail: 5 attempts, then a wait of 1 s doubling per further failure up to 5 min,
 * counted over 24 h (about 300 guesses a day per account at most; the owner waits at most 5 min
 * after the last failure). Per client key: 100 failures per hour, then locked for an hour.
 */
export const DEFAULT_LOGIN_THROTTLE: LoginThrottlePolicy = Object.freeze({
  email: Object.freeze({ freeAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 5 * 60_000, windowMs: 24 * 3_600_000 }),
  client: Object.freeze({ freeAttempts: 100, baseDelayMs: 3_600_000, maxDelayMs: 3_600_000, windowMs: 3_600_000 }),
});

/** Overrides of {@link DEFAULT_LOGIN_THROTTLE}, per counter. */
export interface LoginThrottleOptions {
  email?: Partial<AttemptPolicy>;
  client?: Partial<AttemptPolicy>;
}

const ms = z
  .number()
  .int()
  .min(0)
  .max(366 * 24 * 3_600_000);
const policySchema = z
  .object({ freeAttempts: z.number().int().min(1).max(1_000_000), baseDelayMs: ms, maxDelayMs: ms, windowMs: ms.min(1) })
  .refine((p) => p.maxDelayMs >= p.baseDelayMs);

/**
 * Merges options with the defaults and checks them.
 * @throws ConfigurationError `invalid_login_throttle`.
 */
export function resolveLoginThrottle(options: LoginThrottleOptions = {}): LoginThrottlePolicy {
  const email = { ...DEFAULT_LOGIN_THROTTLE.email, ...options.email };
  const client = { ...DEFAULT_LOGIN_THROTTLE.client, ...options.client };
  if (!policySchema.safeParse(email).success || !policySchema.safeParse(client).success) {
    throw new ConfigurationError(
      commerceCodes.invalid_login_throttle,
      "loginThrottle: attempts >= 1, delays and windows in ms (0 <= base <= max), window > 0",
    );
  }
  return { email, client };
}

/** Where an attempt comes from, as the host knows it. */
export interface AttemptSource {
  /**
   * A key for the caller, e.g. the client IP (behind a proxy: the address the proxy saw), or an
   * API client id. Attempts per key have their own hard limit. 1-256 characters.
   */
  clientKey?: string;
}

const sourceSchema = z
  .object({ clientKey: withErrorCode(z.string().trim().min(1).max(256), commerceCodes.invalid_client_key).optional() })
  .optional();

/** Parses an {@link AttemptSource}. @throws ValidationError `invalid_client_key`. */
export function parseSource(source: AttemptSource | undefined): string | undefined {
  return parse(sourceSchema, source)?.clientKey;
}

function tooMany(t: LoginThrottle): AuthenticationError {
  return new AuthenticationError(commerceCodes.too_many_attempts, "too many failed attempts; try again later", {
    details: { retryAt: t.lockedUntil?.toISOString() ?? null },
  });
}

/**
 * Applies the {@link LoginThrottlePolicy} to every password check (login and re-authentication).
 * Attempts are claimed BEFORE the password is checked, atomically with the delay check.
 */
export class LoginGuard {
  constructor(readonly policy: LoginThrottlePolicy) {}

  /**
   * Claims one attempt for `email` (and `clientKey`) inside the caller's transaction.
   * @throws AuthenticationError `too_many_attempts`: throw it out of the transaction so that the
   *   other counter's claim rolls back too (a refused attempt counts nowhere).
   */
  async claim(tx: CommerceTx, email: string, clientKey: string | undefined, now: Date): Promise<void> {
    if (clientKey !== undefined) {
      const c = await tx.clientThrottles.claimAttempt(clientKey, now, this.policy.client);
      if (!c.allowed) throw tooMany(c.throttle);
    }
    const e = await tx.loginThrottles.claimAttempt(email, now, this.policy.email);
    if (!e.allowed) throw tooMany(e.throttle);
  }

  /** After a right password: the e-mail's count is cleared, the client key gets its attempt back. */
  async succeeded(tx: CommerceTx, email: string, clientKey: string | undefined): Promise<void> {
    await tx.loginThrottles.clear(email);
    if (clientKey !== undefined) await tx.clientThrottles.refund(clientKey);
  }

  /** Deletes up to `limit` counters that hold nothing any more (e-mail first, then client keys). */
  async purgeStale(store: CommerceStore, now: Date, limit: number): Promise<number> {
    const emails = await store.transaction((tx) => tx.loginThrottles.purgeStale(now, this.policy.email.windowMs, limit));
    if (emails >= limit) return emails;
    return emails + (await store.transaction((tx) => tx.clientThrottles.purgeStale(now, this.policy.client.windowMs, limit - emails)));
  }
}
