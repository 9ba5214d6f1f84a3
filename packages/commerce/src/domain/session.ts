/**
 * A login session. Only the SHA-256 of the token is stored: a leaked table does not
 * let anyone sign in.
 */
export interface Session {
  readonly tokenHash: string;
  readonly customerId: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly revokedAt: Date | null;
}

/** Default session lifetime: 24 hours. */
export const DEFAULT_SESSION_TTL_MS = 24 * 60 * 60 * 1000;
