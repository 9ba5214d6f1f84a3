import { createHash, timingSafeEqual } from "node:crypto";
import { ANONYMOUS_ACTOR, AuthenticationError, ForbiddenError } from "@platform/core";
import type { ECommercePlatform } from "@platform/commerce";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./app-env.js";

/** The token of an `Authorization: Bearer <token>` header, if any. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = header ? /^Bearer ([^\s]+)$/i.exec(header.trim()) : null;
  return match?.[1];
}

/**
 * Requires a commerce session: `Authorization: Bearer <token from POST /auth/login>`.
 * @throws AuthenticationError `session_required` (no token), or the session's own codes (expired, revoked).
 */
export function requireSession(shop: ECommercePlatform) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const token = bearerToken(c.req.header("authorization"));
    if (!token) throw new AuthenticationError("session_required", "sign in first: Authorization: Bearer <token>");
    c.set("actor", await shop.users.authenticate(ANONYMOUS_ACTOR, { token }));
    await next();
  });
}

/**
 * Requires the admin token. Compared as SHA-256 digests with `timingSafeEqual`, so neither the
 * length nor a prefix of the token leaks through timing.
 * @throws ForbiddenError `admin_disabled` (no `ADMIN_TOKEN` configured); AuthenticationError `admin_token_invalid`.
 */
export function requireAdmin(adminToken: string | undefined) {
  const expected = adminToken ? createHash("sha256").update(adminToken).digest() : undefined;
  return createMiddleware<AppEnv>(async (c, next) => {
    if (!expected) throw new ForbiddenError("admin_disabled", "the admin API is disabled: set ADMIN_TOKEN");
    const token = bearerToken(c.req.header("authorization"));
    const given = createHash("sha256")
      .update(token ?? "")
      .digest();
    if (!token || !timingSafeEqual(given, expected)) throw new AuthenticationError("admin_token_invalid", "admin token required");
    await next();
  });
}
