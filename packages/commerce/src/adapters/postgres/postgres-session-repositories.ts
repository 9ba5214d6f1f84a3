import type { LoginThrottle, Session } from "../../domain/session.js";
import type { LoginThrottleRepository, SessionRepository } from "../../ports/customer-repository.js";
import type { Sql } from "./sql-errors.js";

interface SessionRow {
  token_hash: string;
  customer_id: string;
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
}

/** {@link SessionRepository} on `commerce_sessions`: only token hashes are stored. */
export class PostgresSessionRepository implements SessionRepository {
  constructor(private readonly sql: Sql) {}

  async get(tokenHash: string): Promise<Session | null> {
    const r = await this.sql.one<SessionRow>("SELECT token_hash, customer_id, created_at, expires_at, revoked_at FROM commerce_sessions WHERE token_hash = $1", [tokenHash]);
    return r ? { tokenHash: r.token_hash, customerId: r.customer_id, createdAt: r.created_at, expiresAt: r.expires_at, revokedAt: r.revoked_at } : null;
  }

  async insert(s: Session): Promise<void> {
    await this.sql.query("INSERT INTO commerce_sessions (token_hash, customer_id, created_at, expires_at, revoked_at) VALUES ($1, $2, $3, $4, $5)", [
      s.tokenHash,
      s.customerId,
      s.createdAt,
      s.expiresAt,
      s.revokedAt,
    ]);
  }

  async revoke(tokenHash: string, at: Date): Promise<void> {
    await this.sql.query("UPDATE commerce_sessions SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL", [tokenHash, at]);
  }

  async revokeAllForCustomer(customerId: string, at: Date, keepTokenHash?: string): Promise<number> {
    const r = await this.sql.query(
      "UPDATE commerce_sessions SET revoked_at = $2 WHERE customer_id = $1 AND revoked_at IS NULL AND expires_at > $2 AND token_hash IS DISTINCT FROM $3",
      [customerId, at, keepTokenHash ?? null],
    );
    return r.rowCount ?? 0;
  }
}

interface ThrottleRow {
  email: string;
  failures: number;
  window_started_at: Date;
  locked_until: Date | null;
}

const toThrottle = (r: ThrottleRow): LoginThrottle => ({ email: r.email, failures: r.failures, windowStartedAt: r.window_started_at, lockedUntil: r.locked_until });

/** {@link LoginThrottleRepository} on `commerce_login_throttles`, one atomic upsert per failure. */
export class PostgresLoginThrottleRepository implements LoginThrottleRepository {
  constructor(private readonly sql: Sql) {}

  async get(email: string): Promise<LoginThrottle | null> {
    const r = await this.sql.one<ThrottleRow>("SELECT email, failures, window_started_at, locked_until FROM commerce_login_throttles WHERE email = $1", [email]);
    return r ? toThrottle(r) : null;
  }

  async recordFailure(email: string, now: Date, policy: { windowMs: number; maxFailures: number; lockMs: number }): Promise<LoginThrottle> {
    return (await this.count(email, now, policy, false))!;
  }

  async claimAttempt(email: string, now: Date, policy: { windowMs: number; maxFailures: number; lockMs: number }): Promise<{ allowed: boolean; throttle: LoginThrottle }> {
    const counted = await this.count(email, now, policy, true);
    if (counted) return { allowed: true, throttle: counted };
    // Locked: the upsert's WHERE refused the update, but ON CONFLICT locked the row.
    return { allowed: false, throttle: (await this.get(email))! };
  }

  /** One atomic upsert; with `unlessLocked` the update only happens when the email is not locked (null when it is). */
  private async count(email: string, now: Date, policy: { windowMs: number; maxFailures: number; lockMs: number }, unlessLocked: boolean): Promise<LoginThrottle | null> {
    // The row lock of ON CONFLICT DO UPDATE serialises concurrent failures of one email;
    // `count` is the failure count after this one (a new window when the old one is over).
    const lock = "$2::timestamptz + $4::bigint * interval '1 millisecond'";
    const fresh = "($2::timestamptz - t.window_started_at > $5::bigint * interval '1 millisecond')";
    const count = `(CASE WHEN ${fresh} THEN 1 ELSE t.failures + 1 END)`;
    const r = await this.sql.one<ThrottleRow>(
      `INSERT INTO commerce_login_throttles AS t (email, failures, window_started_at, locked_until)
       VALUES ($1, CASE WHEN 1 >= $3::int THEN 0 ELSE 1 END, $2::timestamptz, CASE WHEN 1 >= $3::int THEN ${lock} END)
       ON CONFLICT (email) DO UPDATE SET
         failures = CASE WHEN ${count} >= $3::int THEN 0 ELSE ${count} END,
         window_started_at = CASE WHEN ${count} >= $3::int OR ${fresh} THEN $2::timestamptz ELSE t.window_started_at END,
         locked_until = CASE WHEN ${count} >= $3::int THEN ${lock} ELSE t.locked_until END
       ${unlessLocked ? "WHERE t.locked_until IS NULL OR t.locked_until <= $2::timestamptz" : ""}
       RETURNING email, failures, window_started_at, locked_until`,
      [email, now, policy.maxFailures, policy.lockMs, policy.windowMs],
    );
    return r ? toThrottle(r) : null;
  }

  async clear(email: string): Promise<void> {
    await this.sql.query("DELETE FROM commerce_login_throttles WHERE email = $1", [email]);
  }
}
