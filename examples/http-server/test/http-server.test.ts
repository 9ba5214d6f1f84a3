import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createIsolatedDatabase, waitUntil, type IsolatedDatabase } from "@platform/core/testing";
import type { TestGateway } from "@platform/payments";
import { PAYMENTS_ADMIN_ACTOR } from "@platform/payments/testing";
import { migrateAll } from "../src/services.js";
import { ADMIN_TOKEN, allKeys, keys, serverFor, STRIPE_WEBHOOK_SECRET } from "./helpers.js";

const ORDER_KEYS = [
  "billingAddress",
  "cancelReason",
  "createdAt",
  "currency",
  "customerId",
  "id",
  "lines",
  "payment",
  "shipping",
  "shippingAddress",
  "status",
  "subtotal",
  "tax",
  "total",
  "trackingNumber",
  "updatedAt",
];
const INTERNAL = [
  "requestFingerprint",
  "reservationId",
  "idempotencyKey",
  "refundAttempts",
  "checkoutOrderId",
  "passwordHash",
  "externalId",
  "dedupeKey",
  "groupKey",
  "seq",
  "recipientId",
];
const PASSWORD = "s3cure-passw0rd";

describe.each(["memory", "postgres"] as const)("the reference HTTP server on %s", (storage) => {
  let db: IsolatedDatabase | undefined;
  let server: Awaited<ReturnType<typeof serverFor>>;
  let n = 0;

  beforeAll(async () => {
    if (storage === "postgres") {
      db = await createIsolatedDatabase(inject("databaseUrl"), { prefix: "http_server", max: 10 });
      await migrateAll(db.pool);
    }
    server = await serverFor(db ? { pool: db.pool } : {});
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  const call: typeof server.call = (...args) => server.call(...args);
  const admin = (method: string, path: string, body?: unknown) =>
    call(method, path, { token: ADMIN_TOKEN, ...(body !== undefined ? { body } : {}) });

  async function signUp(name = "Jane Roe"): Promise<{ token: string; email: string; customerId: string }> {
    const email = `http${++n}@example.com`;
    expect((await call("POST", "/auth/register", { body: { email, password: PASSWORD, name } })).status).toBe(202);
    const login = await call("POST", "/auth/login", { body: { email, password: PASSWORD } });
    expect(login.status).toBe(200);
    return { token: login.body.token, email, customerId: login.body.customer.id };
  }

  async function product(sku: string, price: string, stock: number) {
    const res = await admin("POST", "/admin/products", {
      sku,
      name: `Desk lamp ${sku}`,
      price: { amount: price, currency: "USD" },
      initialStock: stock,
    });
    expect(res.status).toBe(201);
    return res.body as { id: string };
  }

  it("echoes a request id, makes one when the caller's is unusable, and answers unknown routes 404 in the problem shape", async () => {
    const echoed = await call("GET", "/health", { headers: { "x-request-id": "trace-42" } });
    expect(echoed.status).toBe(200);
    expect(echoed.headers.get("x-request-id")).toBe("trace-42");
    const missing = await call("GET", "/nowhere", { headers: { "x-request-id": "bad id\twith spaces" } });
    expect(missing.status).toBe(404);
    const id = missing.headers.get("x-request-id")!;
    expect(id).toMatch(/^req_/);
    expect(missing.body).toMatchObject({ status: 404, code: "route_not_found", requestId: id });
  });

  it("registers uniformly, logs in with a session token, and never sends password material", async () => {
    const email = `http-reg${++n}@example.com`;
    const first = await call("POST", "/auth/register", { body: { email, password: PASSWORD, name: "Ada" } });
    const again = await call("POST", "/auth/register", { body: { email, password: PASSWORD, name: "Ada" } });
    expect([first.status, again.status]).toEqual([202, 202]);
    expect(again.body).toEqual(first.body);
    const weak = await call("POST", "/auth/register", { body: { email: `weak${n}@example.com`, password: "short", name: "Ada" } });
    expect(weak.status).toBe(400);
    expect(weak.body.issues.map((i: { code: string }) => i.code)).toContain("weak_password");
    expect((await call("POST", "/auth/register", { raw: "{not json" })).body).toMatchObject({ status: 400, code: "invalid_json" });

    const wrong = await call("POST", "/auth/login", { body: { email, password: "wrong-passw0rd" } });
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe("invalid_credentials");
    const login = await call("POST", "/auth/login", { body: { email, password: PASSWORD } });
    expect(login.status).toBe(200);
    expect(keys(login.body)).toEqual(["customer", "expiresAt", "token"]);
    expect(login.headers.get("cache-control")).toBe("no-store");
    expect(keys(login.body.customer)).toEqual(["createdAt", "email", "id", "name", "phone", "roles", "updatedAt"]);

    const me = await call("GET", "/me", { token: login.body.token });
    expect(me.status).toBe(200);
    expect(me.body).toEqual(login.body.customer);
    expect((await call("GET", "/me")).body).toMatchObject({ status: 401, code: "session_required" });
    expect((await call("GET", "/me", { token: "x".repeat(43) })).status).toBe(401);
    expect((await call("POST", "/auth/logout", { token: login.body.token })).status).toBe(204);
    expect((await call("GET", "/me", { token: login.body.token })).body.code).toBe("invalid_session");
  });

  it("serves the catalog and search; products are created through the admin API only", async () => {
    expect(
      (await call("POST", "/admin/products", { body: { sku: "NOPE-1", name: "x", price: { amount: "1.00", currency: "USD" } } })).body,
    ).toMatchObject({ status: 401, code: "admin_token_invalid" });
    const lamp = await product(`LAMP-SEARCH-${storage}`, "49.90", 3);
    const found = await call("GET", "/products?q=desk%20lamp&limit=50");
    expect(found.status).toBe(200);
    expect(found.body.items.map((p: { id: string }) => p.id)).toContain(lamp.id);
    expect((await call("GET", `/products/${lamp.id}`)).body).toMatchObject({ id: lamp.id, price: { amount: "49.90", currency: "USD" } });
    expect((await call("GET", "/products/prod_missing")).status).toBe(404);
    expect((await call("GET", "/products?limit=abc")).status).toBe(400);
  });

  it("fills a cart and checks out: a decline answers 402, a success 201, a retry the same order, a reused key with another body 409", async () => {
    const { token } = await signUp();
    const lamp = await product(`LAMP-CHECKOUT-${storage}`, "25.00", 5);
    expect((await call("GET", "/cart")).status).toBe(401);
    const bad = await call("POST", "/cart/items", { token, body: { productId: lamp.id, quantity: 0 } });
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0]).toMatchObject({ path: ["quantity"], code: "invalid_quantity" });
    const cart = await call("POST", "/cart/items", { token, body: { productId: lamp.id, quantity: 2 } });
    expect(cart.status).toBe(200);
    expect(keys(cart.body)).toEqual([
      "currency",
      "customerId",
      "id",
      "issues",
      "itemCount",
      "lines",
      "shipping",
      "subtotal",
      "tax",
      "total",
      "updatedAt",
    ]);
    expect(cart.body.total).toEqual({ amount: "50.00", currency: "USD" });

    const address = await call("POST", "/me/addresses", {
      token,
      body: { name: "Jane", line1: "1 Main St", city: "Boston", region: "MA", postalCode: "02110", country: "US" },
    });
    expect(address.status).toBe(201);
    expect(address.body.customerId).toBeUndefined();

    const noKey = await call("POST", "/checkout", { token, body: { paymentToken: "pm_card_visa" } });
    expect(noKey.body).toMatchObject({ status: 400, code: "idempotency_key_required" });
    const declined = await call("POST", "/checkout", {
      token,
      headers: { "idempotency-key": `decline-${storage}-1` },
      body: { shippingAddressId: address.body.id, paymentToken: "pm_card_chargeDeclined" },
    });
    expect(declined.status).toBe(402);
    expect(declined.body).toMatchObject({ code: "card_declined", kind: "gateway" });
    expect(declined.headers.get("retry-after")).toBeNull();

    const body = { shippingAddressId: address.body.id, paymentToken: "pm_card_visa" };
    const headers = { "idempotency-key": `checkout-${storage}-1` };
    const placed = await call("POST", "/checkout", { token, headers, body });
    expect(placed.status).toBe(201);
    expect(keys(placed.body)).toEqual(ORDER_KEYS.sort());
    expect(placed.body).toMatchObject({
      status: "paid",
      total: { amount: "50.00", currency: "USD" },
      payment: { status: "succeeded", failureCode: null },
    });
    for (const k of INTERNAL) expect(allKeys(placed.body).has(k)).toBe(false);

    const retried = await call("POST", "/checkout", { token, headers, body });
    expect(retried.status).toBe(201);
    expect(retried.body.id).toBe(placed.body.id);
    const reused = await call("POST", "/checkout", { token, headers, body: { ...body, paymentToken: "pm_card_mastercard" } });
    expect(reused.status).toBe(409);
    expect(reused.body.kind).toBe("idempotency");

    const listed = await call("GET", "/orders", { token });
    // The declined attempt is on record as a canceled order whose payment failed.
    const statuses = Object.fromEntries(
      listed.body.items.map((o: { id: string; status: string; payment: { status: string } }) => [o.id, `${o.status}/${o.payment.status}`]),
    );
    expect(Object.values(statuses).sort()).toEqual(["canceled/failed", "paid/succeeded"]);
    expect(statuses[placed.body.id]).toBe("paid/succeeded");
    const other = await signUp("Mallory");
    expect((await call("GET", `/orders/${placed.body.id}`, { token: other.token })).status).toBe(404);
    const canceled = await call("POST", `/orders/${placed.body.id}/cancel`, { token });
    expect(canceled.status).toBe(200);
    expect(canceled.body).toMatchObject({ status: "canceled", payment: { status: "refunded" } });
    expect(keys(canceled.body)).toEqual(ORDER_KEYS.sort());
  });

  it("a checkout that needs the customer (3-D Secure) answers 202 with the step; once the customer completes it the order is paid", async () => {
    const { token } = await signUp();
    const lamp = await product(`LAMP-3DS-${storage}`, "30.00", 2);
    await call("POST", "/cart/items", { token, body: { productId: lamp.id, quantity: 1 } });
    const headers = { "idempotency-key": `checkout-3ds-${storage}-1` };
    const body = { paymentToken: "pm_card_threeDSecure2Required" };
    const waiting = await call("POST", "/checkout", { token, headers, body });
    expect(waiting.status).toBe(202);
    expect(waiting.body).toMatchObject({ status: "pending", payment: { status: "requires_action" } });
    expect(typeof waiting.body.paymentAction.clientSecret).toBe("string");
    expect(waiting.body.paymentAction.nextAction).toBeTypeOf("object");
    for (const k of INTERNAL) expect(allKeys(waiting.body).has(k)).toBe(false);
    // The customer completes the step; the payment is reconciled (as a webhook would), which pays the order.
    const payment = await server.services.payments.payments.findByIdempotencyKey(PAYMENTS_ADMIN_ACTOR, {
      idempotencyKey: `order_${waiting.body.id}`,
    });
    (server.services.gateway as TestGateway).completeAction(payment!.id, "succeed");
    await server.services.payments.payments.reconcile(PAYMENTS_ADMIN_ACTOR, { paymentId: payment!.id });
    await waitUntil(
      async () => (await call("GET", `/orders/${waiting.body.id}`, { token })).body.status === "paid",
      "the order to be paid",
    );
    const again = await call("POST", "/checkout", { token, headers, body });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ id: waiting.body.id, status: "paid", payment: { status: "succeeded" } });
  });

  it("keeps a guest cart by its id and merges it into the customer's cart at login", async () => {
    const mug = await product(`MUG-GUEST-${storage}`, "8.00", 10);
    const guest = await call("POST", "/guest-carts");
    expect(guest.status).toBe(201);
    expect(guest.body.customerId).toBeNull();
    expect((await call("POST", `/guest-carts/${guest.body.id}/items`, { body: { productId: mug.id, quantity: 3 } })).body.itemCount).toBe(
      3,
    );
    expect((await call("GET", "/guest-carts/cart_unknown")).status).toBe(404);
    const email = `guest${++n}@example.com`;
    await call("POST", "/auth/register", { body: { email, password: PASSWORD, name: "Guest" } });
    const login = await call("POST", "/auth/login", { body: { email, password: PASSWORD, guestCartId: guest.body.id } });
    expect(login.status).toBe(200);
    expect(login.body.guestCart).toEqual({ guestCartId: guest.body.id, merged: 1, skipped: [] });
    const cart = await call("GET", "/cart", { token: login.body.token });
    expect(cart.body.lines).toEqual([expect.objectContaining({ productId: mug.id, quantity: 3 })]);
    // The customer's cart is not reachable as a guest cart.
    expect((await call("GET", `/guest-carts/${cart.body.id}`)).status).toBe(404);
  });

  it("one login for both packages: social posts, follows, feeds and notifications of the customer's linked account", async () => {
    const ada = await signUp("Ada");
    const bob = await signUp("Bob");
    expect((await call("GET", "/social/me", { token: ada.token })).body).toMatchObject({ status: 404, code: "social_profile_missing" });
    expect((await call("GET", "/social/feed")).status).toBe(401);
    const adaUser = await call("POST", "/social/me", { token: ada.token, body: { username: `ada_${storage}`, role: "admin" } });
    expect(adaUser.status).toBe(201);
    // The owner sees e-mail and role; the host's externalId (the customer id) is sent to no one, and
    // a client cannot make itself admin.
    expect(adaUser.body).toMatchObject({ email: ada.email, role: "user", name: "Ada" });
    expect(JSON.stringify(adaUser.body)).not.toContain(ada.customerId);
    expect((await call("POST", "/social/me", { token: ada.token, body: { username: `ada2_${storage}` } })).body).toMatchObject({
      status: 409,
      code: "social_profile_exists",
    });
    expect((await call("POST", "/social/me", { token: bob.token, body: { username: "x" } })).status).toBe(400);
    const bobUser = await call("POST", "/social/me", { token: bob.token, body: { username: `bob_${storage}`, name: "Bobby" } });
    expect(bobUser.status).toBe(201);

    expect((await call("PUT", `/social/users/${adaUser.body.id}/follow`, { token: bob.token })).body).toEqual({ status: "following" });
    const post = await call("POST", "/social/posts", { token: ada.token, body: { content: "Bought a desk lamp #home" } });
    expect(post.status).toBe(201);
    expect(post.body.author.id).toBe(adaUser.body.id);
    expect((await call("POST", "/social/posts", { token: ada.token, body: { content: "" } })).status).toBe(400);

    const feed = await call("GET", "/social/feed", { token: bob.token });
    expect(feed.status).toBe(200);
    expect(feed.body.items.map((i: { post: { id: string } }) => i.post.id)).toContain(post.body.id);
    const profile = await call("GET", `/social/users/ada_${storage}`, { token: bob.token });
    expect(profile.status).toBe(200);
    expect(profile.body.email).toBeUndefined();
    expect(profile.body.relationship).toMatchObject({ following: true });

    const notes = await call("GET", "/social/notifications", { token: ada.token });
    expect(notes.status).toBe(200);
    expect(notes.body.items).toHaveLength(1);
    expect(keys(notes.body.items[0])).toEqual(["actor", "commentId", "createdAt", "id", "postId", "readAt", "type"]);
    expect(notes.body.items[0]).toMatchObject({ type: "follow", actor: { id: bobUser.body.id } });
    for (const body of [adaUser.body, profile.body, feed.body, notes.body])
      for (const k of INTERNAL) expect(allKeys(body).has(k)).toBe(false);
    expect((await call("POST", "/social/notifications/read", { token: ada.token })).body).toEqual({ marked: 1 });
  });

  it("manages webhook endpoints behind the admin token: the secret in clear once, masked on every read", async () => {
    expect((await call("GET", "/admin/webhook-endpoints")).status).toBe(401);
    const created = await admin("POST", "/admin/webhook-endpoints", { url: "https://hooks.example.com/platform", events: ["payment.*"] });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_/);
    const list = await admin("GET", "/admin/webhook-endpoints");
    expect(list.status).toBe(200);
    const listed = list.body.items.find((e: { id: string }) => e.id === created.body.id);
    expect(listed.secrets[0].masked).toMatch(/^whsec_.{4}…$/);
    expect(JSON.stringify(list.body)).not.toContain(created.body.secret);
    expect((await admin("POST", "/admin/webhook-endpoints", { url: "https://hooks.example.com/x", unknown: true })).status).toBe(400);
    expect((await admin("DELETE", `/admin/webhook-endpoints/${created.body.id}`)).status).toBe(204);
    expect((await admin("GET", `/admin/webhook-endpoints/${created.body.id}`)).status).toBe(404);
  });
});

describe("the reference HTTP server during a storage outage", () => {
  it("answers 503 with retry-after and no driver text when PostgreSQL cannot be reached", async () => {
    const pg = (await import("pg")).default;
    // Port 1 on loopback: nothing listens there, every connection is refused.
    const pool = new pg.Pool({ connectionString: "postgres://nobody:secret@127.0.0.1:1/none", connectionTimeoutMillis: 2_000 });
    const server = await serverFor({ pool });
    try {
      const res = await server.call("GET", "/products?q=lamp");
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(res.body).toMatchObject({ status: 503, code: "storage_unavailable", kind: "storage" });
      expect(JSON.stringify(res.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|nobody|secret/);
    } finally {
      await server.close();
      await pool.end();
    }
  });
});
