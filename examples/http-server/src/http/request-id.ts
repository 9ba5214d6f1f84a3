import { randomBytes } from "node:crypto";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./app-env.js";

// A caller's id is echoed into logs and bodies: only a short, plain token is taken as is.
const ACCEPTED = /^[A-Za-z0-9._:-]{1,128}$/;

/** Takes `x-request-id` from the request when it is a plain token, else makes one; answers with it. */
export const requestId = createMiddleware<AppEnv>(async (c, next) => {
  const given = c.req.header("x-request-id");
  const id = given && ACCEPTED.test(given) ? given : `req_${randomBytes(12).toString("base64url")}`;
  c.set("requestId", id);
  c.header("x-request-id", id);
  await next();
});
