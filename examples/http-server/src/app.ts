import { NotFoundError, toHttpError, type HttpErrorBody } from "@platform/core";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { secureHeaders } from "hono/secure-headers";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "./http/app-env.js";
import { requestId } from "./http/request-id.js";
import { adminRoutes } from "./routes/admin-routes.js";
import { authRoutes } from "./routes/auth-routes.js";
import { shopRoutes } from "./routes/shop-routes.js";
import { socialRoutes } from "./routes/social-routes.js";
import { stripeRoutes } from "./routes/stripe-routes.js";
import type { Services } from "./services.js";

/** Options of {@link createApp}. */
export interface AppOptions {
  /** Bearer token of `/admin/*`; without it the admin API answers 403 `admin_disabled`. */
  adminToken?: string | undefined;
  /** Signing secret of Stripe's webhook endpoint; `POST /webhooks/stripe` exists only when set and payments go through Stripe. */
  stripeWebhookSecret?: string | undefined;
  /** Where unexpected errors (500) are logged with their request id. Default: console.error. */
  logError?: (requestId: string, error: unknown) => void;
  /** Largest accepted request body in bytes. Default 64 KiB. */
  maxBodyBytes?: number;
}

/**
 * The reference HTTP API on Hono: every route answers JSON; every error goes through `toHttpError`
 * (a decline 402, bad input 400, no session 401, a storage outage 503 with `retry-after` ...) with the
 * request id in the body and in `x-request-id`.
 */
export function createApp(services: Services, options: AppOptions = {}): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const logError = options.logError ?? ((id, error) => console.error(`[${id}]`, error));

  app.use("*", requestId);
  app.use("*", secureHeaders());
  // Answers carry session tokens, orders and personal data: no shared cache may keep them.
  app.use("*", async (c, next) => {
    await next();
    c.header("cache-control", "no-store");
  });
  app.use(
    "*",
    bodyLimit({
      maxSize: options.maxBodyBytes ?? 64 * 1024,
      onError: (c) => {
        const body: HttpErrorBody = {
          status: 413,
          code: "payload_too_large",
          kind: "validation",
          message: "the request body is too large",
          requestId: c.get("requestId"),
        };
        return c.json(body, 413);
      },
    }),
  );

  app.get("/health", (c) => c.json({ ok: true }));
  app.route("/", authRoutes(services));
  app.route("/", shopRoutes(services));
  app.route("/social", socialRoutes(services));
  app.route("/admin", adminRoutes(services, options.adminToken));
  // Stripe's events only mean something to a system that pays through Stripe.
  if (options.stripeWebhookSecret && services.payments.gateways.has("stripe"))
    app.route("/", stripeRoutes(services, options.stripeWebhookSecret));

  app.notFound((c) => {
    const { status, headers, body } = toHttpError(NotFoundError.of("route_not_found", "route", `${c.req.method} ${c.req.path}`), {
      requestId: c.get("requestId"),
    });
    return c.json(body, status as ContentfulStatusCode, headers);
  });

  app.onError((err, c) => {
    const id = c.get("requestId");
    const { status, headers, body } = toHttpError(err, { requestId: id });
    // The body of a 5xx says nothing about its cause: the cause goes to the log, under the request id.
    if (status >= 500) logError(id, err);
    return c.json(body, status as ContentfulStatusCode, headers);
  });

  return app;
}
