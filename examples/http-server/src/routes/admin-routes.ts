import { ADMIN_ACTOR, type CreateProductInput } from "@platform/commerce";
import type { CreateEndpointInput, UpdateEndpointInput } from "@platform/payments";
import type { Actor } from "@platform/core";
import { Hono } from "hono";
import type { AppEnv } from "../http/app-env.js";
import { requireAdmin } from "../http/auth.js";
import { pageQuery, readJson, readOptionalJson } from "../http/input.js";
import type { Services } from "../services.js";

/**
 * The admin API under `/admin`, behind `ADMIN_TOKEN`: catalog entry and the payment system's webhook
 * endpoints. Bodies go to the services whole: their schemas refuse what does not belong (the endpoint
 * schemas are strict). Signing secrets appear in clear only in the answers of create and rotate.
 */
export function adminRoutes({ payments, shop }: Services, adminToken: string | undefined): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  // Whoever holds ADMIN_TOKEN acts as the payment system's admin (one token: no per-user id to audit).
  const actor: Actor = { id: "admin-token", roles: ["admin"] };
  app.use("*", requireAdmin(adminToken));

  app.post("/products", async (c) => {
    const b = await readJson(c);
    return c.json(await shop.products.create(ADMIN_ACTOR, b as CreateProductInput & { initialStock?: number }), 201);
  });

  app.post("/webhook-endpoints", async (c) =>
    c.json(await payments.webhooks.createEndpoint(actor, (await readJson(c)) as CreateEndpointInput), 201),
  );

  app.get("/webhook-endpoints", async (c) => c.json(await payments.webhooks.listEndpoints(actor, pageQuery(c))));

  app.get("/webhook-endpoints/:id", async (c) => c.json(await payments.webhooks.getEndpoint(actor, { endpointId: c.req.param("id") })));

  app.patch("/webhook-endpoints/:id", async (c) =>
    c.json(
      await payments.webhooks.updateEndpoint(actor, { ...((await readJson(c)) as UpdateEndpointInput), endpointId: c.req.param("id") }),
    ),
  );

  app.delete("/webhook-endpoints/:id", async (c) => {
    await payments.webhooks.deleteEndpoint(actor, { endpointId: c.req.param("id") });
    return c.body(null, 204);
  });

  app.post("/webhook-endpoints/:id/rotate-secret", async (c) => {
    const b = await readOptionalJson(c);
    const options = b.overlapSeconds !== undefined ? { overlapSeconds: b.overlapSeconds as number } : {};
    return c.json(await payments.webhooks.rotateSecret(actor, { endpointId: c.req.param("id"), ...options }));
  });

  return app;
}
