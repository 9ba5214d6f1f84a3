import { ANONYMOUS_ACTOR, ValidationError, type Actor } from "@platform/core";
import { toCartJSON, toOrderJSON, type CartRef, type ProductSearchInput } from "@platform/commerce";
import { Hono, type Context } from "hono";
import type { AppEnv } from "../http/app-env.js";
import { requireSession } from "../http/auth.js";
import { pageQuery, readJson, readOptionalJson } from "../http/input.js";
import type { Services } from "../services.js";

const SORTS = new Set(["relevance", "price_asc", "price_desc", "newest"]);

/** Catalog and search (public), the signed-in customer's cart, checkout and orders. */
export function shopRoutes({ shop }: Services): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const session = requireSession(shop);

  // GET /products?q=mouse&category=cat_1&sort=price_asc&inStock=true&limit=20&cursor=...
  app.get("/products", async (c) => {
    const q = c.req.query();
    const sort = q.sort;
    if (sort !== undefined && !SORTS.has(sort))
      throw ValidationError.field("invalid_sort", "sort", "must be relevance, price_asc, price_desc or newest");
    const input: ProductSearchInput = {
      ...pageQuery(c),
      ...(q.q !== undefined ? { text: q.q } : {}),
      ...(q.category ? { categoryId: q.category } : {}),
      ...(q.inStock === "true" ? { inStockOnly: true } : {}),
      ...(sort ? { sort: sort as ProductSearchInput["sort"] } : {}),
    };
    const page = await shop.products.search(ANONYMOUS_ACTOR, input);
    return c.json({ items: page.items.map((hit) => hit.product), nextCursor: page.nextCursor });
  });

  app.get("/products/:id", async (c) => c.json(await shop.products.get(ANONYMOUS_ACTOR, { productId: c.req.param("id") })));

  // A guest cart's id is its credential (random, unguessable): keep it client-side, pass it as
  // `guestCartId` at login to merge it into the customer's cart.
  app.post("/guest-carts", async (c) => c.json(toCartJSON(await shop.carts.createGuestCart(ANONYMOUS_ACTOR)), 201));
  cartRoutes(
    "/guest-carts/:cartId",
    () => ANONYMOUS_ACTOR,
    (c) => ({ guestCartId: c.req.param("cartId")! }),
  );
  app.use("/cart", session);
  app.use("/cart/*", session);
  cartRoutes(
    "/cart",
    (c) => c.get("actor"),
    () => ({}),
  );

  /** The read and line routes of one kind of cart: the customer's (`/cart`, no `guestCartId`) or a guest's. */
  function cartRoutes(base: string, actor: (c: Context<AppEnv>) => Actor, ref: (c: Context<AppEnv>) => CartRef) {
    const item = (b: Record<string, unknown>) => ({
      productId: b.productId as string,
      variantId: b.variantId as string | null | undefined,
      quantity: b.quantity as number,
    });
    app.get(base, async (c) => c.json(toCartJSON(await shop.carts.get(actor(c), ref(c)))));
    app.post(`${base}/items`, async (c) =>
      c.json(toCartJSON(await shop.carts.addItem(actor(c), { ...ref(c), ...item(await readJson(c)) }))),
    );
    app.put(`${base}/items`, async (c) =>
      c.json(toCartJSON(await shop.carts.setQuantity(actor(c), { ...ref(c), ...item(await readJson(c)) }))),
    );
    app.delete(`${base}/items/:productId`, async (c) => {
      const variantId = c.req.query("variantId");
      return c.json(
        toCartJSON(
          await shop.carts.removeItem(actor(c), { ...ref(c), productId: c.req.param("productId")!, ...(variantId ? { variantId } : {}) }),
        ),
      );
    });
  }

  // The Idempotency-Key header makes a retried checkout (a timeout, a double click) answer the first
  // order instead of charging again; the same key with another body answers 409.
  app.post("/checkout", session, async (c) => {
    const key = c.req.header("idempotency-key");
    if (!key)
      throw ValidationError.field(
        "idempotency_key_required",
        "Idempotency-Key",
        "send an Idempotency-Key header (e.g. a UUID) with each checkout attempt",
      );
    const b = await readJson(c);
    const order = await shop.orders.checkout(c.get("actor"), {
      idempotencyKey: key,
      ...(b.shippingAddressId !== undefined ? { shippingAddressId: b.shippingAddressId as string } : {}),
      ...(b.billingAddressId !== undefined ? { billingAddressId: b.billingAddressId as string } : {}),
      ...(b.paymentToken !== undefined ? { paymentToken: b.paymentToken as string } : {}),
    });
    // The customer must act (3-D Secure): 202 with the step for the front end (Stripe.js
    // handleNextAction with the client secret). The order stays pending with its stock held; the
    // payment's webhook pays it, and a retry with the same key answers the paid order.
    if (order.payment.status === "requires_action" && order.payment.action) {
      return c.json({ ...toOrderJSON(order), paymentAction: order.payment.action }, 202);
    }
    return c.json(toOrderJSON(order), 201);
  });

  app.get("/orders", session, async (c) => {
    const page = await shop.orders.list(c.get("actor"), pageQuery(c));
    return c.json({ items: page.items.map(toOrderJSON), nextCursor: page.nextCursor });
  });

  app.get("/orders/:id", session, async (c) => c.json(toOrderJSON(await shop.orders.get(c.get("actor"), { orderId: c.req.param("id") }))));

  app.post("/orders/:id/cancel", session, async (c) => {
    const b = await readOptionalJson(c);
    const order = await shop.orders.cancel(c.get("actor"), {
      orderId: c.req.param("id"),
      ...(b.reason !== undefined ? { reason: b.reason as string } : {}),
    });
    return c.json(toOrderJSON(order));
  });

  return app;
}
