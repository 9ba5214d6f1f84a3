import type { Address } from "../domain/address.js";
import type { Customer } from "../domain/customer.js";
import type { LoginThrottle, Session } from "../domain/session.js";

/** Customers, unique by normalised email. */
export interface CustomerRepository {
  get(id: string): Promise<Customer | null>;
  getByEmail(email: string): Promise<Customer | null>;
  /** @throws ConflictError `email_taken`. */
  insert(customer: Customer): Promise<void>;
  /** @throws ConflictError `version_conflict` when the stored version is not `expectedVersion`. */
  update(customer: Customer, expectedVersion: number): Promise<void>;
}

/** Sessions, looked up by token hash. */
export interface SessionRepository {
  get(tokenHash: string): Promise<Session | null>;
  insert(session: Session): Promise<void>;
  /** Marks one session revoked. */
  revoke(tokenHash: string, at: Date): Promise<void>;
  /** Revokes every live session of a customer except `keepTokenHash`; returns how many. */
  revokeAllForCustomer(customerId: string, at: Date, keepTokenHash?: string): Promise<number>;
}

/** Failed-login counters per email. */
export interface LoginThrottleRepository {
  get(email: string): Promise<LoginThrottle | null>;
  /**
   * Counts one failure atomically (an upsert in SQL): a new window starts when the old one
   * is over; reaching `maxFailures` locks the email until `now + lockMs`.
   */
  recordFailure(email: string, now: Date, policy: { windowMs: number; maxFailures: number; lockMs: number }): Promise<LoginThrottle>;
  /**
   * Claims one login attempt BEFORE the password is checked, atomically with the lock check
   * (a conditional upsert in SQL): refused while the email is locked; otherwise counted as
   * {@link recordFailure} counts (the attempt that reaches `maxFailures` is still allowed, and
   * locks). So parallel guesses never pass the limit; a successful login `clear`s the count.
   */
  claimAttempt(email: string, now: Date, policy: { windowMs: number; maxFailures: number; lockMs: number }): Promise<{ allowed: boolean; throttle: LoginThrottle }>;
  clear(email: string): Promise<void>;
}

/** Addresses of customers. */
export interface AddressRepository {
  get(id: string): Promise<Address | null>;
  listByCustomer(customerId: string): Promise<Address[]>;
  save(address: Address): Promise<void>;
  delete(id: string): Promise<void>;
}
