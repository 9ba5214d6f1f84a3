/**
 * Attempt counters of the login throttle, one per key (an e-mail, or a caller-supplied client
 * key such as the IP address). Pure rules: the stores keep the rows, these functions decide.
 */
export interface LoginThrottle {
  /** The e-mail (normalised) or the client key. */
  readonly key: string;
  /** Attempts counted in the current window (a success clears or refunds them). */
  readonly failures: number;
  readonly windowStartedAt: Date;
  /** No attempt is allowed before this instant (a progressive delay or a hard lock). */
  readonly lockedUntil: Date | null;
}

/**
 * How one counter slows guessing. Attempts `1 .. freeAttempts - 1` of a window pass freely; the
 * attempt numbered `freeAttempts + k` (k >= 0) is allowed, then makes the key wait
 * `min(maxDelayMs, baseDelayMs * 2^k)` before the next one. With `baseDelayMs = maxDelayMs` this
 * is a plain hard lock. The window (and the count) restarts `windowMs` after its first attempt.
 */
export interface AttemptPolicy {
  /** Attempts per window before delays start. */
  readonly freeAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly windowMs: number;
}

/** The outcome of claiming one attempt. */
export interface AttemptClaim {
  readonly allowed: boolean;
  /** The counter after the claim (unchanged when refused). */
  readonly throttle: LoginThrottle;
}

/**
 * Claims one attempt against `current` (null when the key has no row): refused while the key is
 * delayed, otherwise counted. Counting happens BEFORE the password is checked, so parallel
 * guesses cannot all slip through before any of them was counted.
 */
export function claimAttempt(key: string, current: LoginThrottle | null, now: Date, policy: AttemptPolicy): AttemptClaim {
  const t = now.getTime();
  if (current?.lockedUntil && current.lockedUntil.getTime() > t) return { allowed: false, throttle: current };
  const fresh = !current || t - current.windowStartedAt.getTime() >= policy.windowMs;
  const failures = fresh ? 1 : current.failures + 1;
  const windowStartedAt = fresh ? now : current.windowStartedAt;
  const over = failures - policy.freeAttempts;
  // 2^30 ms is 12 days: far past any sane cap, and no overflow.
  const lockedUntil = over >= 0 ? new Date(t + Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(over, 30))) : null;
  return { allowed: true, throttle: { key, failures, windowStartedAt, lockedUntil } };
}

/**
 * Whether a counter holds nothing any more at `now`: its window is over and no delay is running,
 * so deleting it changes no decision (the next claim starts a fresh window either way).
 */
export function isStale(throttle: LoginThrottle, now: Date, windowMs: number): boolean {
  const t = now.getTime();
  return (throttle.lockedUntil === null || throttle.lockedUntil.getTime() <= t) && t - throttle.windowStartedAt.getTime() >= windowMs;
}
