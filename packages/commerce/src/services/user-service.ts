import { AuthenticationError, createEvent, createId, ForbiddenError, NotFoundError, parse } from "@platform/core";
import { z } from "zod";
import {
  changePasswordSchema,
  loginSchema,
  registerSchema,
  toProfile,
  updateProfileSchema,
  type CustomerProfile,
  type LoginInput,
  type RegisterInput,
} from "../domain/customer.js";
import { actorSchema, isAdmin, refSchema, roleSchema, type Actor, type Role } from "../domain/schemas.js";
import { DEFAULT_SESSION_TTL_MS } from "../domain/session.js";
import type { GuestCartMerge } from "../domain/cart.js";
import type { CommerceTx } from "../ports/commerce-store.js";
import { AddressBook } from "./address-book.js";
import type { PasswordHasher } from "./password-hasher.js";
import type { ServiceContext } from "./service-context.js";
import { hashToken, newSessionToken } from "./session-tokens.js";

/** Login throttling: `maxFailures` within `windowMs` locks the email for `lockMs`. */
export interface LoginThrottlePolicy {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

/** Default: 5 failures in 15 minutes lock the email for 15 minutes. */
export const DEFAULT_LOGIN_THROTTLE: LoginThrottlePolicy = Object.freeze({ maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 });

/** Options of the {@link UserService}. */
export interface UserServiceOptions {
  hasher: PasswordHasher;
  sessionTtlMs?: number;
  throttle?: LoginThrottlePolicy;
  /** Merges a guest cart into the customer's, inside the login transaction. */
  mergeGuestCart?: (tx: CommerceTx, customerId: string, guestCartId: string) => Promise<GuestCartMerge | null>;
}

/** A new session: the token is returned once and stored only as a hash. */
export interface LoginResult {
  readonly token: string;
  readonly expiresAt: Date;
  readonly customer: CustomerProfile;
  /** When `guestCartId` was given and the guest cart found: what was merged and what was skipped (another currency). */
  readonly guestCart?: GuestCartMerge;
}

const tokenSchema = z.string().min(16).max(128);

/** Customers, credentials, sessions, profile and addresses (`platform.users`). */
export class UserService extends AddressBook {
  private readonly ttl: number;
  private readonly throttle: LoginThrottlePolicy;

  constructor(
    ctx: ServiceContext,
    private readonly options: UserServiceOptions,
  ) {
    super(ctx);
    this.ttl = options.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS;
    this.throttle = options.throttle ?? DEFAULT_LOGIN_THROTTLE;
  }

  /**
   * Registers a customer; the email is trimmed and lower-cased and must be unique.
   * @throws ValidationError `invalid_email`, `weak_password`, `invalid_name`, `invalid_phone`.
   * @throws ConflictError `email_taken`.
   * @example
   * ```ts
   * const john = await platform.users.register({ email: "john@example.com", password: "correct horse 42", name: "John Doe" });
   * ```
   */
  async register(input: RegisterInput): Promise<CustomerProfile> {
    const data = parse(registerSchema, input);
    const passwordHash = await this.options.hasher.hash(data.password);
    const { store, clock } = this.ctx;
    return store.transaction(async (tx) => {
      const now = clock.now();
      const customer = { id: createId("cus"), email: data.email, name: data.name, phone: data.phone ?? null, roles: ["customer" as const], passwordHash, createdAt: now, updatedAt: now, version: 1 };
      await tx.customers.insert(customer);
      tx.outbox.add(createEvent("customer.registered", { customerId: customer.id, email: customer.email }, clock));
      return toProfile(customer);
    });
  }

  /**
   * Signs in and opens a session. An unknown email and a wrong password both answer
   * `invalid_credentials` after the same scrypt work. Every attempt is counted before the password
   * is checked (a success clears the count), so `maxFailures` attempts per window, also in parallel,
   * lock the email.
   * @throws AuthenticationError `invalid_credentials`, `too_many_attempts`.
   */
  async login(input: LoginInput): Promise<LoginResult> {
    const data = parse(loginSchema, input);
    const { store, clock } = this.ctx;
    // The attempt is counted BEFORE scrypt runs, atomically with the lock check: parallel
    // guesses cannot all pass a check made before any of them was counted.
    const { customer, claim } = await store.transaction(async (tx) => {
      const claim = await tx.loginThrottles.claimAttempt(data.email, clock.now(), this.throttle);
      return { customer: claim.allowed ? await tx.customers.getByEmail(data.email) : null, claim };
    });
    if (!claim.allowed) {
      throw new AuthenticationError("too many failed logins; try again later", "too_many_attempts", { details: { retryAt: claim.throttle.lockedUntil?.toISOString() ?? null } });
    }
    // scrypt runs outside the transaction so a slow hash never holds the store.
    const ok = customer ? await this.options.hasher.verify(data.password, customer.passwordHash) : await this.options.hasher.verifyDummy(data.password);
    if (!customer || !ok) throw new AuthenticationError("invalid email or password", "invalid_credentials");
    const token = newSessionToken();
    return store.transaction(async (tx) => {
      const now = clock.now();
      await tx.loginThrottles.clear(data.email);
      const expiresAt = new Date(now.getTime() + this.ttl);
      await tx.sessions.insert({ tokenHash: hashToken(token), customerId: customer.id, createdAt: now, expiresAt, revokedAt: null });
      const guestCart = data.guestCartId && this.options.mergeGuestCart ? await this.options.mergeGuestCart(tx, customer.id, data.guestCartId) : null;
      tx.outbox.add(createEvent("customer.logged_in", { customerId: customer.id }, clock));
      return { token, expiresAt, customer: toProfile(customer), ...(guestCart ? { guestCart } : {}) };
    });
  }

  /**
   * Resolves a session token to the actor it stands for.
   * @throws AuthenticationError `invalid_session` (unknown or revoked), `session_expired`.
   */
  async authenticate(token: string): Promise<Actor> {
    const t = parseToken(token);
    const { store, clock } = this.ctx;
    return store.transaction(async (tx) => {
      const session = await tx.sessions.get(hashToken(t));
      if (!session || session.revokedAt !== null) throw new AuthenticationError("unknown or revoked session", "invalid_session");
      if (session.expiresAt.getTime() <= clock.now().getTime()) throw new AuthenticationError("session expired", "session_expired");
      const customer = await tx.customers.get(session.customerId);
      if (!customer) throw new AuthenticationError("unknown or revoked session", "invalid_session");
      return { customerId: customer.id, roles: customer.roles };
    });
  }

  /** Ends one session (idempotent). */
  async logout(token: string): Promise<void> {
    const t = parseToken(token);
    await this.ctx.store.transaction((tx) => tx.sessions.revoke(hashToken(t), this.ctx.clock.now()));
  }

  /** Ends every session of the actor; returns how many were live. @throws AuthenticationError `unauthenticated`. */
  async revokeAllSessions(actor: Actor): Promise<number> {
    const customerId = this.customerOf(actor);
    return this.ctx.store.transaction((tx) => tx.sessions.revokeAllForCustomer(customerId, this.ctx.clock.now()));
  }

  /**
   * Changes the password and revokes every other session (the current one, when given, stays).
   * @throws AuthenticationError `invalid_credentials` for a wrong current password. @throws ValidationError `weak_password`.
   */
  async changePassword(actor: Actor, input: { currentPassword: string; newPassword: string; currentToken?: string }): Promise<void> {
    const customerId = this.customerOf(actor);
    const data = parse(changePasswordSchema, input);
    const keep = input.currentToken === undefined ? undefined : hashToken(parseToken(input.currentToken));
    const { store, clock } = this.ctx;
    const customer = await store.transaction((tx) => tx.customers.get(customerId));
    if (!customer) throw new NotFoundError("customer", customerId, "customer_not_found");
    if (!(await this.options.hasher.verify(data.currentPassword, customer.passwordHash))) throw new AuthenticationError("invalid password", "invalid_credentials");
    const passwordHash = await this.options.hasher.hash(data.newPassword);
    await store.transaction(async (tx) => {
      const now = clock.now();
      await tx.customers.update({ ...customer, passwordHash, updatedAt: now, version: customer.version + 1 }, customer.version);
      await tx.sessions.revokeAllForCustomer(customer.id, now, keep);
      tx.outbox.add(createEvent("customer.password_changed", { customerId: customer.id }, clock));
    });
  }

  /**
   * Sets a customer's roles (admin only), e.g. to promote a back-office user; their
   * sessions then authenticate with the new roles.
   * @throws ForbiddenError `admin_required`. @throws NotFoundError `customer_not_found`.
   */
  async setRoles(actor: Actor, input: { customerId: string; roles: Role[] }): Promise<CustomerProfile> {
    if (!isAdmin(parse(actorSchema, actor))) throw new ForbiddenError("only admins change roles", "admin_required");
    const data = parse(setRolesSchema, input);
    return this.ctx.store.transaction(async (tx) => {
      const c = await tx.customers.get(data.customerId);
      if (!c) throw new NotFoundError("customer", data.customerId, "customer_not_found");
      const next = { ...c, roles: [...new Set(data.roles)], updatedAt: this.ctx.clock.now(), version: c.version + 1 };
      await tx.customers.update(next, c.version);
      return toProfile(next);
    });
  }

  /** The actor's profile. @throws NotFoundError `customer_not_found`. */
  async getProfile(actor: Actor): Promise<CustomerProfile> {
    const customerId = this.customerOf(actor);
    const c = await this.ctx.store.transaction((tx) => tx.customers.get(customerId));
    if (!c) throw new NotFoundError("customer", customerId, "customer_not_found");
    return toProfile(c);
  }

  /** Changes name and phone. @throws ValidationError `invalid_name`, `invalid_phone`. */
  async updateProfile(actor: Actor, input: { name?: string; phone?: string | null }): Promise<CustomerProfile> {
    const customerId = this.customerOf(actor);
    const data = parse(updateProfileSchema, input);
    return this.ctx.store.transaction(async (tx) => {
      const c = await tx.customers.get(customerId);
      if (!c) throw new NotFoundError("customer", customerId, "customer_not_found");
      const next = { ...c, name: data.name ?? c.name, phone: data.phone === undefined ? c.phone : data.phone, updatedAt: this.ctx.clock.now(), version: c.version + 1 };
      await tx.customers.update(next, c.version);
      return toProfile(next);
    });
  }
}

const setRolesSchema = z.object({ customerId: refSchema, roles: z.array(roleSchema).min(1).max(2) });

function parseToken(token: string): string {
  const r = tokenSchema.safeParse(token);
  if (!r.success) throw new AuthenticationError("unknown or revoked session", "invalid_session");
  return r.data;
}

/** Checks an actor's shape. @throws ValidationError. */
export function parseActor(actor: Actor): Actor {
  return parse(actorSchema, actor);
}
