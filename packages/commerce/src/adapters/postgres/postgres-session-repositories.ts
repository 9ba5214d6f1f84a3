import { claimAttempt, type AttemptClaim, type AttemptPolicy, type LoginThrottle } from "../../domain/login-throttle.js";
import type { Session } from "../../domain/session.js";
import type { LoginThrottleRepository, SessionRepository } from "../../ports/customer-repository.js";
import type { Sql } from "./sql-runner.js";

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
    const r = await this.sql.one<SessionRow>(
      "SELECT token_hash, customer_id, created_at, expires_at, revoked_at FROM commerce_sessions WHERE token_hash = $1",
      [tokenHash],
    );
    return r
      ? { tokenHash: r.token_hash, customerId: r.customer_id, createdAt: r.created_at, expiresAt: r.expires_at, revokedAt: r.revoked_at }
      : null;
  }

  async insert(s: Session): Promise<void> {
    await this.sql.query(
      "INSERT INTO commerce_sessions (token_hash, customer_id, created_at, expires_at, revoked_at) VALUES ($1, $2, $3, $4, $5)",
      [s.tokenHash, s.customerId, s.createdAt, s.expiresAt, s.revokedAt],
    );
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

  async purgeEnded(before: Date, limit: number): Promise<number> {
    // Locked rows are skipped, so processes purging at once take disjoint batches.
    const r = await this.sql.query(
      `DELETE FROM commerce_sessions WHERE token_hash IN (
         SELECT token_hash FROM commerce_sessions WHERE expires_at <= $1 OR revoked_at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      [before, limit],
    );
    return r.rowCount ?? 0;
  }
}

interface ThrottleRow {
  key: string;
  failures: number;
  window_started_at: Date;
  locked_until: Date | null;
}

const toThrottle = (r: ThrottleRow): LoginThrottle => ({
  key: r.key,
  failures: r.failures,
  windowStartedAt: r.window_started_at,
  lockedUntil: r.locked_until,
});

/** The two throttle tables and their key column (identifiers from code, never from input). */
export type ThrottleTable = { table: "commerce_login_throttles"; key: "email" } | { table: "commerce_login_client_throttles"; key: "key" };

/**
 * {@link LoginThrottleRepository} on one throttle table. A claim locks the key's row (created
 * empty first if missing, so concurrent first attempts meet on one row), decides with the
 * domain's `claimAttempt` and writes the result back: one rule for both stores.
 */
export class PostgresLoginThrottleRepository implements LoginThrottleRepository {
  private readonly columns: string;

  constructor(
    private readonly sql: Sql,
    private readonly t: ThrottleTable = { table: "commerce_login_throttles", key: "email" },
  ) {
    this.columns = `${t.key} AS key, failures, window_started_at, locked_until`;
  }

  async get(key: string): Promise<LoginThrottle | null> {
    const r = await this.sql.one<ThrottleRow>(`SELECT ${this.columns} FROM ${this.t.table} WHERE ${this.t.key} = $1`, [key]);
    return r ? toThrottle(r) : null;
  }

  async claimAttempt(key: string, now: Date, policy: AttemptPolicy): Promise<AttemptClaim> {
    // An empty row (no failures, window starting now) decides exactly as a missing one.
    await this.sql.query(
      `INSERT INTO ${this.t.table} (${this.t.key}, failures, window_started_at) VALUES ($1, 0, $2) ON CONFLICT DO NOTHING`,
      [key, now],
    );
    const row = await this.sql.one<ThrottleRow>(`SELECT ${this.columns} FROM ${this.t.table} WHERE ${this.t.key} = $1 FOR UPDATE`, [key]);
    const current = row && !(row.failures === 0 && row.locked_until === null) ? toThrottle(row) : null;
    const claim = claimAttempt(key, current, now, policy);
    if (claim.allowed) {
      const next = claim.throttle;
      await this.sql.query(`UPDATE ${this.t.table} SET failures = $2, window_started_at = $3, locked_until = $4 WHERE ${this.t.key} = $1`, [
        key,
        next.failures,
        next.windowStartedAt,
        next.lockedUntil,
      ]);
    }
    return claim;
  }

  async refund(key: string): Promise<void> {
    await this.sql.query(`UPDATE ${this.t.table} SET failures = failures - 1 WHERE ${this.t.key} = $1 AND failures > 0`, [key]);
  }

  async clear(key: string): Promise<void> {
    await this.sql.query(`DELETE FROM ${this.t.table} WHERE ${this.t.key} = $1`, [key]);
  }

  async purgeStale(now: Date, windowMs: number, limit: number): Promise<number> {
    // The same test as the domain's isStale; locked rows (a claim in flight) are skipped.
    const r = await this.sql.query(
      `DELETE FROM ${this.t.table} WHERE ${this.t.key} IN (
         SELECT ${this.t.key} FROM ${this.t.table}
          WHERE window_started_at <= $1::timestamptz - $2::bigint * interval '1 millisecond'
            AND (locked_until IS NULL OR locked_until <= $1)
          ORDER BY window_started_at LIMIT $3 FOR UPDATE SKIP LOCKED)`,
      [now, windowMs, limit],
    );
    return r.rowCount ?? 0;
  }
}
