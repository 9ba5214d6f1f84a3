import type { MemoryTable } from "@platform/core";
import { leaseEndOf, type IdempotencyRecord, type IdempotencyResponse } from "../../domain/idempotency.js";
import type { IdempotencyClaim, IdempotencyRepository } from "../../ports/payment-store.js";

/** Primary key of an idempotency record. */
export const idemId = (scope: string, key: string) => `${scope}\u0000${key}`;

/** Idempotency keys; `claim` is atomic because memory transactions are serialised. */
export class MemoryIdempotencyRepository implements IdempotencyRepository {
  constructor(private readonly table: MemoryTable<IdempotencyRecord>) {}
  async claim(record: IdempotencyRecord, now: Date): Promise<IdempotencyClaim> {
    const existing = this.table.get(idemId(record.scope, record.key));
    if (existing && existing.expiresAt.getTime() > now.getTime()) return { claimed: false, existing };
    this.table.put(record);
    return { claimed: true };
  }
  async get(scope: string, key: string) {
    return this.table.get(idemId(scope, key)) ?? null;
  }
  async attach(scope: string, key: string, resourceId: string) {
    const r = this.table.get(idemId(scope, key));
    if (r) this.table.put({ ...r, resourceId });
  }
  async complete(scope: string, key: string, response: IdempotencyResponse) {
    const r = this.table.get(idemId(scope, key));
    if (r) this.table.put({ ...r, status: "completed", resourceId: response.resourceId, response });
  }
  async release(scope: string, key: string) {
    this.table.delete(idemId(scope, key));
  }
  async renewLease(scope: string, key: string, leaseToken: string, until: Date) {
    const r = this.table.get(idemId(scope, key));
    if (!r || r.status !== "in_progress" || r.leaseToken !== leaseToken) return false;
    this.table.put({ ...r, leaseExpiresAt: until });
    return true;
  }
  async takeOver(scope: string, key: string, now: Date, leaseToken: string, until: Date) {
    const r = this.table.get(idemId(scope, key));
    if (!r || r.status !== "in_progress" || r.resourceId === undefined || leaseEndOf(r).getTime() > now.getTime()) return null;
    const next = { ...r, leaseToken, leaseExpiresAt: until };
    this.table.put(next);
    return next;
  }

  async purgeExpired(now: Date, createdBefore: Date, limit: number) {
    const doomed: string[] = [];
    for (const r of this.table.values()) {
      if (doomed.length >= limit) break;
      if (r.expiresAt.getTime() <= now.getTime() && r.createdAt.getTime() <= createdBefore.getTime()) doomed.push(idemId(r.scope, r.key));
    }
    for (const id of doomed) this.table.delete(id);
    return doomed.length;
  }
}
