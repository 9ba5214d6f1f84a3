import { ANONYMOUS_ACTOR, AuthenticationError, ConflictError, NotFoundError, PlatformError, type Actor } from "@platform/core";
import { toNotificationJSON, toUserJSON, type User } from "@platform/social";
import { Hono, type Context } from "hono";
import type { AppEnv } from "../http/app-env.js";
import { requireSession } from "../http/auth.js";
import { pageQuery, readJson } from "../http/input.js";
import type { Services } from "../services.js";

/**
 * Social routes under `/social`. One login: the commerce session identifies the person, and their
 * social account is the one linked to the commerce customer id (`externalId`), never an id the
 * client sends.
 */
export function socialRoutes({ shop, social }: Services): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use("*", requireSession(shop));

  // Sessions always belong to a customer; the guard keeps a back-office actor out of social calls.
  function customerId(c: Context<AppEnv>): string {
    const id = c.get("actor").id;
    if (id === null) throw new AuthenticationError("session_required", "a customer session is required");
    return id;
  }

  /** The caller's social account. @throws NotFoundError `social_profile_missing` before `POST /social/me`. */
  async function me(c: Context<AppEnv>): Promise<User> {
    try {
      return await social.users.getByExternalId(ANONYMOUS_ACTOR, { externalId: customerId(c) });
    } catch (e) {
      if (PlatformError.is(e) && e.code === "user_not_found") throw NotFoundError.of("social_profile_missing", "social profile", "me");
      throw e;
    }
  }

  /**
   * The social actor of the request: the linked account, with no roles (the commerce session's
   * roles are commerce's; social operator work is not exposed over HTTP here).
   */
  async function actor(c: Context<AppEnv>): Promise<Actor> {
    return { id: (await me(c)).id, roles: [] };
  }

  // Joins the social side: the account takes the customer's e-mail and is linked to the customer.
  // Two joins racing past the check both reach the store, whose unique e-mail and externalId let one win.
  app.post("/me", async (c) => {
    const b = await readJson(c);
    const actor = c.get("actor");
    const linked = await social.users.getByExternalId(ANONYMOUS_ACTOR, { externalId: customerId(c) }).catch((e: unknown) => {
      if (PlatformError.is(e) && e.code === "user_not_found") return null;
      throw e;
    });
    if (linked) throw new ConflictError("social_profile_exists", "this customer already has a social account");
    const customer = await shop.users.getProfile(actor);
    const user = await social.users.create(ANONYMOUS_ACTOR, {
      username: b.username as string,
      email: customer.email,
      name: b.name === undefined ? customer.name : (b.name as string),
      ...(b.bio !== undefined ? { bio: b.bio as string } : {}),
      ...(b.isPrivate !== undefined ? { isPrivate: b.isPrivate as boolean } : {}),
      externalId: customerId(c),
    });
    return c.json(toUserJSON(user, user.id), 201);
  });

  app.get("/me", async (c) => {
    const user = await me(c);
    return c.json(toUserJSON(user, user.id));
  });

  app.get("/users/:username", async (c) => {
    const profile = await social.users.getByUsername(await actor(c), { username: c.req.param("username") });
    return c.json(profile);
  });

  app.post("/posts", async (c) => {
    const b = await readJson(c);
    const post = await social.posts.create(await actor(c), {
      content: b.content as string,
      ...(b.images !== undefined ? { images: b.images as string[] } : {}),
      ...(b.visibility !== undefined ? { visibility: b.visibility as "public" | "followers" } : {}),
    });
    return c.json(post, 201);
  });

  app.get("/posts/:id", async (c) => c.json(await social.posts.get(await actor(c), { postId: c.req.param("id") })));

  app.put("/users/:userId/follow", async (c) => c.json(await social.follows.follow(await actor(c), { userId: c.req.param("userId") })));

  app.delete("/users/:userId/follow", async (c) =>
    c.json(await social.follows.unfollow(await actor(c), { userId: c.req.param("userId") })),
  );

  app.get("/feed", async (c) => c.json(await social.feeds.home(await actor(c), pageQuery(c))));

  app.get("/notifications", async (c) => {
    const page = await social.notifications.list(await actor(c), { ...pageQuery(c), unreadOnly: c.req.query("unread") === "true" });
    return c.json({ items: page.items.map(toNotificationJSON), nextCursor: page.nextCursor });
  });

  app.post("/notifications/read", async (c) => c.json(await social.notifications.markAllRead(await actor(c))));

  return app;
}
