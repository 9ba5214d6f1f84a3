import { ANONYMOUS_ACTOR } from "@platform/core";
import { toCustomerJSON } from "@platform/commerce";
import { getConnInfo } from "@hono/node-server/conninfo";
import { Hono, type Context } from "hono";
import type { AppEnv } from "../http/app-env.js";
import { bearerToken, requireSession } from "../http/auth.js";
import { readJson } from "../http/input.js";
import type { Services } from "../services.js";

// The throttle's per-client key: the peer address. Behind a proxy, replace it with the client
// address the proxy reports (and trust only your own proxy's header).
function clientKey(c: Context): { clientKey?: string } {
  const address = getConnInfo(c).remote.address;
  return address ? { clientKey: address } : {};
}

/** Registration, login and logout through commerce sessions, and the signed-in customer's profile and addresses. */
export function authRoutes({ shop }: Services): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const session = requireSession(shop);

  // Uniform: the same 202 whether the e-mail was new or taken, so the form cannot enumerate accounts.
  app.post("/auth/register", async (c) => {
    const b = await readJson(c);
    const receipt = await shop.users.register(ANONYMOUS_ACTOR, {
      email: b.email as string,
      password: b.password as string,
      name: b.name as string,
      phone: b.phone as string | null | undefined,
      uniform: true,
    });
    return c.json(receipt, 202);
  });

  app.post("/auth/login", async (c) => {
    const b = await readJson(c);
    const input = {
      email: b.email as string,
      password: b.password as string,
      ...(b.guestCartId !== undefined ? { guestCartId: b.guestCartId as string } : {}),
    };
    const { token, expiresAt, customer, guestCart } = await shop.users.login(ANONYMOUS_ACTOR, { ...input, source: clientKey(c) });
    // guestCart: what the merge took and what it left out (lines in another currency), to tell the customer.
    return c.json({ token, expiresAt: expiresAt.toISOString(), customer: toCustomerJSON(customer), ...(guestCart ? { guestCart } : {}) });
  });

  app.post("/auth/logout", session, async (c) => {
    await shop.users.logout(c.get("actor"), { token: bearerToken(c.req.header("authorization"))! });
    return c.body(null, 204);
  });

  app.get("/me", session, async (c) => c.json(toCustomerJSON(await shop.users.getProfile(c.get("actor")))));

  app.post("/me/addresses", session, async (c) => {
    const b = await readJson(c);
    const address = await shop.users.addAddress(c.get("actor"), {
      name: b.name as string,
      line1: b.line1 as string,
      line2: b.line2 as string | null | undefined,
      city: b.city as string,
      region: b.region as string | null | undefined,
      postalCode: b.postalCode as string,
      country: b.country as string,
      phone: b.phone as string | null | undefined,
      isDefaultShipping: b.isDefaultShipping as boolean | undefined,
      isDefaultBilling: b.isDefaultBilling as boolean | undefined,
    });
    const { customerId: _owner, ...json } = address;
    return c.json(json, 201);
  });

  return app;
}
