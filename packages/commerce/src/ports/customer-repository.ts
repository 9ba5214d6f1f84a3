import type { Address } from "../domain/address.js";
import type { Customer } from "../domain/customer.js";
import type { AttemptClaim, AttemptPolicy, LoginThrottle } from "../domain/login-throttle.js";
import type { Session } from "../domain/session.js";

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
  /**
   * Deletes up to `limit` sessions that expired or were revoked at or before `before`; returns how
   * many. SQL: one bounded `DELETE ... LIMIT n FOR UPDATE SKIP LOCKED`, safe in many processes.
   */
  purgeEnded(before: Date, limit: number): Promise<number>;
}

/**
 * Login attempt counters, one row per key. The platform keeps two: per e-mail
 * (`loginThrottles`) and per caller-supplied client key such as the IP (`clientThrottles`).
 */
export interface LoginThrottleRepository {
  get(key: string): Promise<LoginThrottle | null>;
  /**
   * Claims one attempt BEFORE the password is checked, atomically with the delay check: the row
   * is read under a lock (SQL: `SELECT ... FOR UPDATE` after an `INSERT ... ON CONFLICT DO NOTHING`),
   * decided by the domain's `claimAttempt` and written back in the same transaction. So parallel
   * guesses never pass the limit.
   */
  claimAttempt(key: string, now: Date, policy: AttemptPolicy): Promise<AttemptClaim>;
  /** Gives back one counted attempt (a success on a client key: only failures count there). */
  refund(key: string): Promise<void>;
  /** Forgets the key (a success on an e-mail). */
  clear(key: string): Promise<void>;
  /**
   * Deletes up to `limit` rows that hold nothing at `now` (window of `windowMs` over, no delay
   * running; the domain's `isStale`), oldest window first; returns how many. SQL: one bounded
   * `DELETE ... WHERE key IN (SELECT ... LIMIT n FOR UPDATE SKIP LOCKED)`, safe in many processes.
   */
  purgeStale(now: Date, windowMs: number, limit: number): Promise<number>;
}

/** Addresses of customers. */
export interface AddressRepository {
  get(id: string): Promise<Address | null>;
  listByCustomer(customerId: string): Promise<Address[]>;
  save(address: Address): Promise<void>;
  delete(id: string): Promise<void>;
}
