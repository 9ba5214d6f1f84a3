import { AuthenticationError } from "@platform/core";
import { z } from "zod";
import type { Actor as CommerceActor } from "../domain/schemas.js";
import type { CommerceTx } from "../ports/commerce-store.js";
import type { ServiceContext } from "./service-context.js";
import { hashToken } from "./session-tokens.js";
import { commerceCodes } from "../domain/error-codes.js";

/** Default retention of ended sessions: 7 days after they expired or were revoked. */
export const DEFAULT_SESSION_RETENTION_MS = 7 * 24 * 3_600_000;

const tokenSchema = z.string().min(16).max(128);

/**
 * Session lifecycle behind `UserService`: opening, resolving, ending and purging
 * sessions. The token is the credential, so only its hash is ever stored or looked up.
 */
export class CustomerSessions {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly ttl: number,
    private readonly retentionMs: number,
  ) {}

  /** Stores a new session of `token` inside the login transaction; returns when it expires. */
  async open(tx: CommerceTx, token: string, customerId: string, now: Date): Promise<Date> {
    const expiresAt = new Date(now.getTime() + this.ttl);
    await tx.sessions.insert({ tokenHash: hashToken(token), customerId, createdAt: now, expiresAt, revokedAt: null });
    return expiresAt;
  }

  /** @throws AuthenticationError `invalid_session` (unknown or revoked), `session_expired`. */
  async authenticate(token: unknown): Promise<CommerceActor> {
    const t = parseToken(token);
    const { store, clock } = this.ctx;
    return store.transaction(async (tx) => {
      const session = await tx.sessions.get(hashToken(t));
      if (!session || session.revokedAt !== null)
        throw new AuthenticationError(commerceCodes.invalid_session, "unknown or revoked session");
      if (session.expiresAt.getTime() <= clock.now().getTime())
        throw new AuthenticationError(commerceCodes.session_expired, "session expired");
      const customer = await tx.customers.get(session.customerId);
      if (!customer) throw new AuthenticationError(commerceCodes.invalid_session, "unknown or revoked session");
      return { id: customer.id, roles: customer.roles };
    });
  }

  /** Ends the session of `token` (idempotent). @throws AuthenticationError `invalid_session` for a malformed token. */
  async logout(token: unknown): Promise<void> {
    const t = parseToken(token);
    await this.ctx.store.transaction((tx) => tx.sessions.revoke(hashToken(t), this.ctx.clock.now()));
  }

  /** Ends every session of the customer; returns how many were live. */
  async revokeAll(customerId: string): Promise<number> {
    return this.ctx.store.transaction((tx) => tx.sessions.revokeAllForCustomer(customerId, this.ctx.clock.now()));
  }

  /** Deletes up to `limit` sessions ended more than the retention ago; returns how many. */
  async purgeEnded(limit: number): Promise<number> {
    const before = new Date(this.ctx.clock.now().getTime() - this.retentionMs);
    return this.ctx.store.transaction((tx) => tx.sessions.purgeEnded(before, limit));
  }
}

/** The stored hash of a caller-supplied token. @throws AuthenticationError `invalid_session` for a malformed token. */
export function tokenHashOf(token: unknown): string {
  return hashToken(parseToken(token));
}

function parseToken(token: unknown): string {
  const r = tokenSchema.safeParse(token);
  if (!r.success) throw new AuthenticationError(commerceCodes.invalid_session, "unknown or revoked session");
  return r.data;
}
