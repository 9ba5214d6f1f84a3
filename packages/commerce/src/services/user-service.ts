import {
  AuthenticationError,
  checkActor,
  ConflictError,
  createEvent,
  createId,
  NotFoundError,
  parse,
  purgeOptionsSchema,
  requireRole,
  type PurgeOptions,
  type Actor,
} from "@platform/core";
import {
  changePasswordSchema,
  type Customer,
  type PasswordHash,
  loginSchema,
  registerSchema,
  toProfile,
  type CustomerProfile,
  type LoginInput,
  type RegisterInput,
} from "../domain/customer.js";
import { type Actor as CommerceActor, type Role } from "../domain/schemas.js";
import { DEFAULT_SESSION_TTL_MS } from "../domain/session.js";
import type { GuestCartMerge } from "../domain/cart.js";
import type { CommerceTx } from "../ports/commerce-store.js";
import { AddressBook } from "./address-book.js";
import { DEFAULT_LOGIN_THROTTLE, LoginGuard, parseSource, type AttemptSource, type LoginThrottlePolicy } from "./login-guard.js";
import type { PasswordHasher } from "./password-hasher.js";
import type { ServiceContext } from "./service-context.js";
import { newSessionToken } from "./session-tokens.js";
import { CustomerProfiles } from "./customer-profiles.js";
import { CustomerSessions, DEFAULT_SESSION_RETENTION_MS, tokenHashOf } from "./customer-sessions.js";
import { commerceCodes } from "../domain/error-codes.js";

/** Options of the {@link UserService}. */
export interface UserServiceOptions {
  hasher: PasswordHasher;
  sessionTtlMs?: number;
  /** Default: `DEFAULT_LOGIN_THROTTLE`. */
  throttle?: LoginThrottlePolicy;
  /** How long ended (expired or revoked) sessions are kept before `purgeEndedSessions` removes them. Default 7 days. */
  sessionRetentionMs?: number;
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

/** The answer of a uniform registration: the same whether the e-mail was new or taken. */
export interface RegistrationReceipt {
  /** The normalised e-mail the registration was accepted for. */
  readonly email: string;
}

/** Customers, credentials, sessions, profile and addresses (`platform.users`). */
export class UserService extends AddressBook {
  private readonly guard: LoginGuard;
  private readonly sessions: CustomerSessions;
  private readonly profiles: CustomerProfiles;

  constructor(
    ctx: ServiceContext,
    private readonly options: UserServiceOptions,
  ) {
    super(ctx);
    this.guard = new LoginGuard(options.throttle ?? DEFAULT_LOGIN_THROTTLE);
    const ttl = options.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS;
    this.sessions = new CustomerSessions(ctx, ttl, options.sessionRetentionMs ?? DEFAULT_SESSION_RETENTION_MS);
    this.profiles = new CustomerProfiles(ctx);
  }

  /**
   * Registers a customer; the email is trimmed and lower-cased and must be unique.
   *
   * Any actor may register (`ANONYMOUS_ACTOR` from a sign-up form).
   * With `uniform: true` the answer does not reveal whether the e-mail already has an account:
   * a new e-mail gets its account, a taken one gets nothing but a `customer.registration_attempted`
   * event (the notifier tells the existing owner), and both resolve to the same
   * {@link RegistrationReceipt} after the same scrypt work. The default (without the option)
   * answers `email_taken`, which is friendlier and lets anyone test whether an e-mail is registered.
   * @throws ValidationError `invalid_email`, `weak_password`, `invalid_name`, `invalid_phone`.
   * @throws ConflictError `email_taken` (only without `uniform`).
   * @example
   * ```ts
   * const john = await platform.users.register(ANONYMOUS_ACTOR, { email: "john@example.com", password: "correct horse 42", name: "John Doe" });
   * await platform.users.register(ANONYMOUS_ACTOR, { email: "john@example.com", password: "another pass 7", name: "Eve", uniform: true }); // { email }, John gets a notice
   * ```
   */
  async register(actor: Actor, input: RegisterInput & { uniform?: false }): Promise<CustomerProfile>;
  async register(actor: Actor, input: RegisterInput & { uniform: true }): Promise<RegistrationReceipt>;
  async register(actor: Actor, input: RegisterInput & { uniform?: boolean }): Promise<CustomerProfile | RegistrationReceipt>;
  async register(actor: Actor, input: RegisterInput & { uniform?: boolean }): Promise<CustomerProfile | RegistrationReceipt> {
    checkActor(actor);
    const data = parse(registerSchema, input);
    const uniform = data.uniform === true;
    const passwordHash = await this.options.hasher.hash(data.password);
    const { store, clock } = this.ctx;
    return store.transaction(async (tx) => {
      const now = clock.now();
      const customer = {
        id: createId("cus"),
        email: data.email,
        name: data.name,
        phone: data.phone ?? null,
        roles: ["customer" as const],
        passwordHash,
        createdAt: now,
        updatedAt: now,
        version: 1,
      };
      try {
        await tx.customers.insert(customer);
      } catch (error) {
        const owner =
          uniform && error instanceof ConflictError && error.code === "email_taken" ? await tx.customers.getByEmail(data.email) : null;
        if (!owner) throw error;
        tx.outbox.add(createEvent("customer.registration_attempted", { customerId: owner.id }, clock));
        return { email: data.email };
      }
      tx.outbox.add(createEvent("customer.registered", { customerId: customer.id, email: customer.email }, clock));
      return uniform ? { email: data.email } : toProfile(customer);
    });
  }

  /**
   * Signs in and opens a session. An unknown email and a wrong password both answer
   * `invalid_credentials` after the same scrypt work. Every attempt is counted before the password
   * is checked, per e-mail and per `source.clientKey` (see {@link LoginThrottlePolicy}), so
   * parallel guesses cannot pass the limits. A success clears the e-mail's count, and rehashes a
   * password stored with weaker scrypt parameters than the current ones.
   * @throws AuthenticationError `invalid_credentials`, `too_many_attempts` (details.retryAt).
   * @throws ValidationError `invalid_client_key`.
   * @example
   * ```ts
   * const { token } = await platform.users.login(ANONYMOUS_ACTOR, { email, password, source: { clientKey: req.ip } });
   * ```
   */
  async login(actor: Actor, input: LoginInput & { source?: AttemptSource }): Promise<LoginResult> {
    checkActor(actor);
    const data = parse(loginSchema, input);
    const clientKey = parseSource(input.source);
    const { store, clock } = this.ctx;
    // The attempt is counted BEFORE scrypt runs, atomically with the delay check: parallel
    // guesses cannot all pass a check made before any of them was counted.
    const customer = await store.transaction(async (tx) => {
      await this.guard.claim(tx, data.email, clientKey, clock.now());
      return tx.customers.getByEmail(data.email);
    });
    // scrypt runs outside the transaction so a slow hash never holds the store.
    const ok = customer
      ? await this.options.hasher.verify(data.password, customer.passwordHash)
      : await this.options.hasher.verifyDummy(data.password);
    if (!customer || !ok) throw new AuthenticationError(commerceCodes.invalid_credentials, "invalid email or password");
    const upgraded = this.options.hasher.needsRehash(customer.passwordHash) ? await this.options.hasher.hash(data.password) : null;
    const token = newSessionToken();
    return store.transaction(async (tx) => {
      const now = clock.now();
      await this.guard.succeeded(tx, data.email, clientKey);
      if (upgraded) await this.rehash(tx, customer, upgraded, now);
      const expiresAt = await this.sessions.open(tx, token, customer.id, now);
      const guestCart =
        data.guestCartId && this.options.mergeGuestCart ? await this.options.mergeGuestCart(tx, customer.id, data.guestCartId) : null;
      tx.outbox.add(createEvent("customer.logged_in", { customerId: customer.id }, clock));
      return { token, expiresAt, customer: toProfile(customer), ...(guestCart ? { guestCart } : {}) };
    });
  }

  /** Stores a stronger hash of the password just verified, unless the customer changed meanwhile (then their newer hash stays). */
  private async rehash(tx: CommerceTx, customer: Customer, passwordHash: PasswordHash, now: Date): Promise<void> {
    try {
      await tx.customers.update({ ...customer, passwordHash, updatedAt: now, version: customer.version + 1 }, customer.version);
    } catch (error) {
      if (!(error instanceof ConflictError && error.code === "version_conflict")) throw error;
    }
  }

  /**
   * Resolves a session token to the customer's actor (`{ id: customerId, roles }`), which the host
   * then passes to every call of that request. Any actor may call it (the host's own, or `ANONYMOUS_ACTOR`).
   * @throws AuthenticationError `invalid_session` (unknown or revoked), `session_expired`.
   * @example
   * ```ts
   * const actor = await platform.users.authenticate(ANONYMOUS_ACTOR, { token });
   * ```
   */
  async authenticate(actor: Actor, input: { token: string }): Promise<CommerceActor> {
    checkActor(actor);
    return this.sessions.authenticate(input?.token);
  }

  /** Ends the session of `token` (idempotent; any actor: the token is the credential). */
  async logout(actor: Actor, input: { token: string }): Promise<void> {
    checkActor(actor);
    await this.sessions.logout(input?.token);
  }

  /** Ends every session of the actor; returns how many were live. @throws AuthenticationError `unauthenticated`. */
  async revokeAllSessions(actor: Actor, _input: Record<string, never> = {}): Promise<number> {
    return this.sessions.revokeAll(this.customerOf(actor));
  }

  /**
   * Changes the password and revokes every other session (the current one, when given, stays).
   * The current password is checked through the login throttle (its e-mail and `source.clientKey`),
   * so a stolen session cannot brute-force it.
   * @throws AuthenticationError `invalid_credentials` for a wrong current password, `too_many_attempts`.
   * @throws ValidationError `weak_password`, `invalid_client_key`.
   */
  async changePassword(
    actor: Actor,
    input: { currentPassword: string; newPassword: string; currentToken?: string; source?: AttemptSource },
  ): Promise<void> {
    const customerId = this.customerOf(actor);
    const data = parse(changePasswordSchema, input);
    const clientKey = parseSource(input.source);
    const keep = input.currentToken === undefined ? undefined : tokenHashOf(input.currentToken);
    const { store, clock } = this.ctx;
    const customer = await store.transaction(async (tx) => {
      const c = await tx.customers.get(customerId);
      if (c) await this.guard.claim(tx, c.email, clientKey, clock.now());
      return c;
    });
    if (!customer) throw NotFoundError.of(commerceCodes.customer_not_found, "customer", customerId);
    if (!(await this.options.hasher.verify(data.currentPassword, customer.passwordHash)))
      throw new AuthenticationError(commerceCodes.invalid_credentials, "invalid password");
    const passwordHash = await this.options.hasher.hash(data.newPassword);
    await store.transaction(async (tx) => {
      const now = clock.now();
      await this.guard.succeeded(tx, customer.email, clientKey);
      await tx.customers.update({ ...customer, passwordHash, updatedAt: now, version: customer.version + 1 }, customer.version);
      await tx.sessions.revokeAllForCustomer(customer.id, now, keep);
      tx.outbox.add(createEvent("customer.password_changed", { customerId: customer.id }, clock));
    });
  }

  /**
   * Deletes up to `limit` sessions that expired or were revoked more than the session retention
   * ago (`sessionRetentionMs`, default 7 days); returns how many. For a background worker: safe
   * to run in several processes at once; call again while it returns `limit`.
   * @throws ValidationError `invalid_limit`.
   * @example
   * ```ts
   * while ((await platform.users.purgeEndedSessions({ limit: 500 })) === 500);
   * ```
   */
  async purgeEndedSessions(options: PurgeOptions = {}): Promise<number> {
    const { limit } = parse(purgeOptionsSchema, options);
    return this.sessions.purgeEnded(limit);
  }

  /**
   * Deletes up to `limit` login-throttle counters (per e-mail, then per client key) whose window
   * is over and that hold no delay: they no longer change any decision. Counters of unknown e-mails
   * are the bulk. Returns how many; safe to run in several processes at once.
   * @throws ValidationError `invalid_limit`.
   */
  async purgeLoginThrottles(options: PurgeOptions = {}): Promise<number> {
    const { limit } = parse(purgeOptionsSchema, options);
    return this.guard.purgeStale(this.ctx.store, this.ctx.clock.now(), limit);
  }

  /**
   * Sets a customer's roles (admin only), e.g. to promote a back-office user; their
   * sessions then authenticate with the new roles.
   * @throws ForbiddenError `role_required`. @throws NotFoundError `customer_not_found`.
   */
  async setRoles(actor: Actor, input: { customerId: string; roles: Role[] }): Promise<CustomerProfile> {
    requireRole(actor, "admin");
    return this.profiles.setRoles(input);
  }

  /** The actor's profile. @throws NotFoundError `customer_not_found`. */
  async getProfile(actor: Actor, _input: Record<string, never> = {}): Promise<CustomerProfile> {
    return this.profiles.get(this.customerOf(actor));
  }

  /** Changes name and phone. @throws ValidationError `invalid_name`, `invalid_phone`. */
  async updateProfile(actor: Actor, input: { name?: string; phone?: string | null }): Promise<CustomerProfile> {
    return this.profiles.update(this.customerOf(actor), input);
  }
}
