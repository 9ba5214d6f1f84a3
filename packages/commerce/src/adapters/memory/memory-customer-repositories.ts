import { ConflictError, type MemoryTable } from "@platform/core";
import type { Address } from "../../domain/address.js";
import type { Customer } from "../../domain/customer.js";
import type { LoginThrottle, Session } from "../../domain/session.js";
import type { AddressRepository, CustomerRepository, LoginThrottleRepository, SessionRepository } from "../../ports/customer-repository.js";

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
    if (!current || current.version !== expectedVersion) throw new ConflictError(`customer ${customer.id} was changed concurrently`, "version_conflict");
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
}

/** {@link LoginThrottleRepository} on a memory table keyed by email. */
export class MemoryLoginThrottleRepository implements LoginThrottleRepository {
  constructor(private readonly table: MemoryTable<LoginThrottle>) {}
  async get(email: string): Promise<LoginThrottle | null> {
    return this.table.get(email) ?? null;
  }
  async recordFailure(email: string, now: Date, policy: { windowMs: number; maxFailures: number; lockMs: number }): Promise<LoginThrottle> {
    const t = this.table.get(email);
    const fresh = !t || now.getTime() - t.windowStartedAt.getTime() > policy.windowMs;
    const failures = fresh ? 1 : t.failures + 1;
    const windowStartedAt = fresh ? now : t.windowStartedAt;
    const lockedUntil = failures >= policy.maxFailures ? new Date(now.getTime() + policy.lockMs) : (t?.lockedUntil ?? null);
    return this.table.put({ email, failures: failures >= policy.maxFailures ? 0 : failures, windowStartedAt: failures >= policy.maxFailures ? now : windowStartedAt, lockedUntil });
  }
  async claimAttempt(email: string, now: Date, policy: { windowMs: number; maxFailures: number; lockMs: number }): Promise<{ allowed: boolean; throttle: LoginThrottle }> {
    // No await between the check and the count: atomic on the memory store.
    const t = this.table.get(email);
    if (t?.lockedUntil && t.lockedUntil.getTime() > now.getTime()) return { allowed: false, throttle: t };
    return { allowed: true, throttle: await this.recordFailure(email, now, policy) };
  }
  async clear(email: string): Promise<void> {
    this.table.delete(email);
  }
}

/** {@link AddressRepository} on a memory table indexed by customer. */
export class MemoryAddressRepository implements AddressRepository {
  constructor(private readonly table: MemoryTable<Address, never, "customer">) {}
  async get(id: string): Promise<Address | null> {
    return this.table.get(id) ?? null;
  }
  async listByCustomer(customerId: string): Promise<Address[]> {
    return this.table.findBy("customer", customerId).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1));
  }
  async save(address: Address): Promise<void> {
    this.table.put(address);
  }
  async delete(id: string): Promise<void> {
    this.table.delete(id);
  }
}
