import { ConflictError, type MemoryTable } from "@platform/core";
import type { Address } from "../../domain/address.js";
import type { Customer } from "../../domain/customer.js";
import { claimAttempt, isStale, type AttemptClaim, type AttemptPolicy, type LoginThrottle } from "../../domain/login-throttle.js";
import type { Session } from "../../domain/session.js";
import type { AddressRepository, CustomerRepository, LoginThrottleRepository, SessionRepository } from "../../ports/customer-repository.js";
import { commerceCodes } from "../../domain/error-codes.js";

/** {@link CustomerRepository} on a memory table with a unique email index. */
export class MemoryCustomerRepository implements CustomerRepository {
  constructor(private readonly table: MemoryTable<Customer, "email">) {}
  async get(id: string): Promise<Customer | null> {
    return this.table.get(id) ?? null;
  }
  async getByEmail(email: string): Promise<Customer | null> {
    return this.table.getByUnique("email", email) ?? null;
  }
  async insert(customer: Customer): Promise<void> {
    this.table.insert(customer);
  }
  async update(customer: Customer, expectedVersion: number): Promise<void> {
    const current = this.table.get(customer.id);
    if (!current || current.version !== expectedVersion)
      throw new ConflictError(commerceCodes.version_conflict, `customer ${customer.id} was changed concurrently`);
    this.table.put(customer);
  }
}

/** {@link SessionRepository} on a memory table keyed by token hash. */
export class MemorySessionRepository implements SessionRepository {
  constructor(private readonly table: MemoryTable<Session, never, "customer">) {}
  async get(tokenHash: string): Promise<Session | null> {
    return this.table.get(tokenHash) ?? null;
  }
  async insert(session: Session): Promise<void> {
    this.table.insert(session);
  }
  async revoke(tokenHash: string, at: Date): Promise<void> {
    const s = this.table.get(tokenHash);
    if (s && s.revokedAt === null) this.table.put({ ...s, revokedAt: at });
  }
  async revokeAllForCustomer(customerId: string, at: Date, keepTokenHash?: string): Promise<number> {
    let n = 0;
    for (const s of this.table.findBy("customer", customerId)) {
      if (s.revokedAt !== null || s.tokenHash === keepTokenHash || s.expiresAt.getTime() <= at.getTime()) continue;
      this.table.put({ ...s, revokedAt: at });
      n++;
    }
    return n;
  }
  async purgeEnded(before: Date, limit: number): Promise<number> {
    const cutoff = before.getTime();
    const doomed: string[] = [];
    // Insertion order is creation order, and sessions share one lifetime: the oldest come first.
    for (const s of this.table.values()) {
      if (doomed.length >= limit) break;
      if (s.expiresAt.getTime() <= cutoff || (s.revokedAt !== null && s.revokedAt.getTime() <= cutoff)) doomed.push(s.tokenHash);
    }
    for (const id of doomed) this.table.delete(id);
    return doomed.length;
  }
}

/** Default cap of each memory throttle table (rows), see {@link MemoryLoginThrottleRepository}. */
export const DEFAULT_MEMORY_THROTTLE_ROWS = 100_000;

/**
 * {@link LoginThrottleRepository} on a memory table keyed by e-mail or client key. The table caps
 * itself at `maxRows` even when nobody purges: a new key beyond the cap first evicts stale rows,
 * then the oldest ones (a flood of distinct unknown e-mails cannot grow the process without bound;
 * the price is that such a flood can make the store forget older counters, which the per-client
 * limit is there to stop).
 */
export class MemoryLoginThrottleRepository implements LoginThrottleRepository {
  constructor(
    private readonly table: MemoryTable<LoginThrottle>,
    private readonly maxRows: number = DEFAULT_MEMORY_THROTTLE_ROWS,
  ) {}
  async get(key: string): Promise<LoginThrottle | null> {
    return this.table.get(key) ?? null;
  }
  async claimAttempt(key: string, now: Date, policy: AttemptPolicy): Promise<AttemptClaim> {
    // No await between the read and the write: atomic on the memory store.
    const current = this.table.get(key) ?? null;
    const claim = claimAttempt(key, current, now, policy);
    if (!claim.allowed) return claim;
    if (!current && this.table.size >= this.maxRows) this.evict(now, policy.windowMs);
    this.table.put(claim.throttle);
    return claim;
  }
  async refund(key: string): Promise<void> {
    const t = this.table.get(key);
    if (t && t.failures > 0) this.table.put({ ...t, failures: t.failures - 1 });
  }
  async clear(key: string): Promise<void> {
    this.table.delete(key);
  }
  async purgeStale(now: Date, windowMs: number, limit: number): Promise<number> {
    const doomed: string[] = [];
    for (const t of this.table.values()) {
      if (doomed.length >= limit) break;
      if (isStale(t, now, windowMs)) doomed.push(t.key);
    }
    for (const key of doomed) this.table.delete(key);
    return doomed.length;
  }

  /** Frees a tenth of the cap: stale rows first, then the oldest (Map order is insertion order). */
  private evict(now: Date, windowMs: number): void {
    const target = Math.max(1, Math.ceil(this.maxRows / 10));
    let freed = 0;
    for (const t of [...this.table.values()]) {
      if (freed >= target) return;
      if (isStale(t, now, windowMs) && this.table.delete(t.key)) freed++;
    }
    for (const t of [...this.table.values()]) {
      if (freed >= target) return;
      if (this.table.delete(t.key)) freed++;
    }
  }
}

/** {@link AddressRepository} on a memory table indexed by customer. */
export class MemoryAddressRepository implements AddressRepository {
  constructor(private readonly table: MemoryTable<Address, never, "customer">) {}
  async get(id: string): Promise<Address | null> {
    return this.table.get(id) ?? null;
  }
  async listByCustomer(customerId: string): Promise<Address[]> {
    return this.table
      .findBy("customer", customerId)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1));
  }
  async save(address: Address): Promise<void> {
    this.table.put(address);
  }
  async delete(id: string): Promise<void> {
    this.table.delete(id);
  }
}
