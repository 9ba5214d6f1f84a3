import { IdempotencyError } from "@platform/core";
import type { Queryable } from "@platform/core/postgres";
import type { IdempotencyRecord, IdempotencyResponse } from "../../domain/idempotency.js";
import type { IdempotencyClaim, IdempotencyRepository } from "../../ports/payment-store.js";
import { run, send, type DeferWrite } from "./sql-errors.js";
import { paymentsCodes } from "../../domain/error-codes.js";

interface KeyRow {
  scope: string;
  key: string;
  fingerprint: string;
  status: IdempotencyRecord["status"];
  resource_id: string | null;
  response: IdempotencyResponse | null;
  created_at: Date;
  expires_at: Date;
  lease_token: string | null;
  lease_expires_at: Date | null;
}

const COLUMNS = "scope, key, fingerprint, status, resource_id, response, created_at, expires_at, lease_token, lease_expires_at";

function toRecord(r: KeyRow): IdempotencyRecord {
  return {
    scope: r.scope,
    key: r.key,
    fingerprint: r.fingerprint,
    status: r.status,
    resourceId: r.resource_id ?? undefined,
    response: r.response ?? undefined,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    leaseToken: r.lease_token ?? undefined,
    leaseExpiresAt: r.lease_expires_at ?? undefined,
  };
}

/**
 * Idempotency keys on `payment_idempotency_keys` (primary key (scope, key)). `claim` is one
 * `INSERT ... ON CONFLICT DO UPDATE ... WHERE expires_at <= now`: a concurrent claimer of the
 * same key waits on the first one's row and then sees it, so exactly one caller wins, in any
 * number of processes.
 * @throws IdempotencyError `idempotency_key_in_use` (a key claimed and released over and over while
 *   we read it); ValidationError `nul_character`.
 */
export class PostgresIdempotencyRepository implements IdempotencyRepository {
  constructor(
    private readonly db: Queryable,
    private readonly defer?: DeferWrite,
  ) {}

  async claim(record: IdempotencyRecord, now: Date): Promise<IdempotencyClaim> {
    // A loser re-reads the winner's row; if that row vanished in between (released), try again.
    for (let attempt = 0; ; attempt++) {
      const { rows } = await run<{ scope: string }>(
        this.db,
        `INSERT INTO payment_idempotency_keys AS k (scope, key, fingerprint, status, resource_id, response, created_at, expires_at, lease_token, lease_expires_at)
         VALUES ($1, $2, $3, 'in_progress', NULL, NULL, $4, $5, $7, $8)
         ON CONFLICT (scope, key) DO UPDATE
           SET fingerprint = EXCLUDED.fingerprint, status = 'in_progress', resource_id = NULL, response = NULL,
               created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at,
               lease_token = EXCLUDED.lease_token, lease_expires_at = EXCLUDED.lease_expires_at
         WHERE k.expires_at <= $6
         RETURNING k.scope`,
        [
          record.scope,
          record.key,
          record.fingerprint,
          record.createdAt,
          record.expiresAt,
          now,
          record.leaseToken ?? null,
          record.leaseExpiresAt ?? null,
        ],
      );
      if (rows.length === 1) return { claimed: true };
      const existing = await this.get(record.scope, record.key);
      if (existing) return { claimed: false, existing };
      if (attempt >= 3)
        throw new IdempotencyError(paymentsCodes.idempotency_key_in_use, `idempotency key ${JSON.stringify(record.key)} is contended`, {
          details: { scope: record.scope, key: record.key, retryable: true },
        });
    }
  }

  async get(scope: string, key: string): Promise<IdempotencyRecord | null> {
    const { rows } = await run<KeyRow>(this.db, `SELECT ${COLUMNS} FROM payment_idempotency_keys WHERE scope = $1 AND key = $2`, [
      scope,
      key,
    ]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async attach(scope: string, key: string, resourceId: string): Promise<void> {
    await send(this.db, this.defer, "UPDATE payment_idempotency_keys SET resource_id = $3 WHERE scope = $1 AND key = $2", [
      scope,
      key,
      resourceId,
    ]);
  }

  async complete(scope: string, key: string, response: IdempotencyResponse): Promise<void> {
    await send(
      this.db,
      this.defer,
      "UPDATE payment_idempotency_keys SET status = 'completed', resource_id = $3, response = $4 WHERE scope = $1 AND key = $2",
      [scope, key, response.resourceId, JSON.stringify(response)],
    );
  }

  async release(scope: string, key: string): Promise<void> {
    await run(this.db, "DELETE FROM payment_idempotency_keys WHERE scope = $1 AND key = $2", [scope, key]);
  }

  async renewLease(scope: string, key: string, leaseToken: string, until: Date): Promise<boolean> {
    const { rowCount } = await run(
      this.db,
      "UPDATE payment_idempotency_keys SET lease_expires_at = $4 WHERE scope = $1 AND key = $2 AND status = 'in_progress' AND lease_token = $3",
      [scope, key, leaseToken, until],
    );
    return rowCount === 1;
  }

  async takeOver(scope: string, key: string, now: Date, leaseToken: string, until: Date): Promise<IdempotencyRecord | null> {
    // Conditional on the lapsed lease: of several callers taking over at once, one row update wins.
    const { rows } = await run<KeyRow>(
      this.db,
      `UPDATE payment_idempotency_keys SET lease_token = $4, lease_expires_at = $5
       WHERE scope = $1 AND key = $2 AND status = 'in_progress' AND resource_id IS NOT NULL AND COALESCE(lease_expires_at, created_at) <= $3
       RETURNING ${COLUMNS}`,
      [scope, key, now, leaseToken, until],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async purgeExpired(now: Date, createdBefore: Date, limit: number): Promise<number> {
    // Rows being claimed right now are locked and skipped; the claim's own WHERE re-checks expiry.
    const { rowCount } = await run(
      this.db,
      `DELETE FROM payment_idempotency_keys WHERE (scope, key) IN (
         SELECT scope, key FROM payment_idempotency_keys WHERE expires_at <= $1 AND created_at <= $2
          ORDER BY expires_at LIMIT $3 FOR UPDATE SKIP LOCKED)`,
      [now, createdBefore, limit],
    );
    return rowCount ?? 0;
  }
}
