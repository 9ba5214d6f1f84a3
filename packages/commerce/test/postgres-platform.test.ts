import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { IsolatedDatabase } from "@platform/core/testing";
import { GatewayError } from "@platform/core";
import type { PaymentPort } from "../src/index.js";
import { codeOf, commerceStores, makePlatform, product, signUp, ADMIN_ACTOR, ANONYMOUS_ACTOR } from "./helpers.js";
import { migratedDatabase, storeOn, truncateCommerce } from "./postgres-helpers.js";

let db: IsolatedDatabase;
beforeAll(async () => {
  db = await migratedDatabase(inject("databaseUrl"));
});
afterAll(() => db?.drop());

// The same service-level scenarios on both stores: PostgreSQL search must filter, sort and
// page exactly as the memory store does.

describe.each(commerceStores())("services on $name", (store) => {
  beforeAll(() => store.setup());
  afterAll(() => store.teardown());

  async function seeded() {
    const made = makePlatform({ store: store.make() });
    const { platform, clock } = made;
    const el = await platform.categories.create(ADMIN_ACTOR, { name: "Electronics" });
    const mice = await platform.categories.create(ADMIN_ACTOR, { name: "Mice", parentId: el.id });
    const kitchen = await platform.categories.create(ADMIN_ACTOR, { name: "Kitchen" });
    const mk = async (sku: string, name: string, price: string, stock: number, extra: Record<string, unknown> = {}) => {
      clock.advance({ seconds: 1 });
      return platform.products.create(ADMIN_ACTOR, { sku, name, price: { amount: price, currency: "USD" }, initialStock: stock, ...extra });
    };
    await mk("CB-1", "Crème Brûlée Torch", "39.00", 3, {
      description: "Kitchen torch for desserts",
      attributes: { brand: "Iwatani" },
      categoryId: kitchen.id,
    });
    await mk("MS-1", "Wireless Mouse", "29.99", 10, {
      description: "Ergonomic wireless mouse",
      attributes: { brand: "Logitech", colour: "Graphite" },
      categoryId: mice.id,
    });
    await mk("MS-2", "Gaming Mouse", "59.99", 0, {
      description: "Wired mouse with RGB",
      attributes: { brand: "Razer" },
      categoryId: mice.id,
    });
    await mk("KB-1", "Wireless Keyboard", "49.99", 5, { description: "Quiet keys", attributes: { brand: "Logitech" }, categoryId: el.id });
    await mk("DR-1", "Draft Mouse", "9.99", 5, { status: "draft" });
    await mk("TS-1", "T-Shirt", "15.00", 0, {
      variants: [
        { sku: "TS-1-S", options: { size: "Small" } },
        { sku: "TS-1-L", price: { amount: "17.00", currency: "USD" }, options: { size: "Large" } },
      ],
    });
    return { ...made, el, mice, kitchen };
  }

  it("searches case- and accent-insensitively, ranked, with filters, sorts and cursors", async () => {
    const { platform, el } = await seeded();
    const skus = async (q: Parameters<typeof platform.products.search>[1]) =>
      (await platform.products.search(ANONYMOUS_ACTOR, q)).items.map((h) => h.product.sku);
    expect(await skus({ text: "creme brulee" })).toEqual(["CB-1"]);
    expect(await skus({ text: "DESSERTS" })).toEqual(["CB-1"]);
    expect((await skus({ text: "logitech" })).sort()).toEqual(["KB-1", "MS-1"]);
    expect((await skus({ text: "mouse" })).sort()).toEqual(["MS-1", "MS-2"]);
    expect(await skus({ text: "keyb" })).toEqual(["KB-1"]); // the last term is a prefix
    expect((await skus({ text: "wireless mouse" }))[0]).toBe("MS-1");
    expect(await skus({ text: "large" })).toEqual(["TS-1"]); // variant options are indexed
    expect(
      await skus({ minPrice: { amount: "30", currency: "USD" }, maxPrice: { amount: "50", currency: "USD" }, sort: "price_asc" }),
    ).toEqual(["CB-1", "KB-1"]);
    expect(await skus({ attributes: { brand: "LOGITECH" }, sort: "price_desc" })).toEqual(["KB-1", "MS-1"]);
    expect(await skus({ text: "mouse", inStockOnly: true })).toEqual(["MS-1"]);
    expect(await skus({ categoryId: el.id, sort: "price_asc" })).toEqual(["MS-1", "KB-1", "MS-2"]);
    expect(await skus({ sort: "price_asc" })).toEqual(["TS-1", "MS-1", "CB-1", "KB-1", "MS-2"]);
    expect(await skus({ sort: "newest" })).toEqual(["TS-1", "KB-1", "MS-2", "MS-1", "CB-1"]);
    expect(await skus({ inStockOnly: true, sort: "newest" })).toEqual(["KB-1", "MS-1", "CB-1"]);
    for (const sort of ["price_asc", "price_desc", "newest", "relevance"] as const) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof platform.products.search>> = await platform.products.search(ANONYMOUS_ACTOR, {
          sort,
          limit: 2,
          cursor,
        });
        seen.push(...page.items.map((h) => h.product.sku));
        cursor = page.nextCursor;
      } while (cursor);
      expect(new Set(seen).size).toBe(5);
      expect(seen).toEqual(await skus({ sort, limit: 10 }));
    }
    const ranked: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof platform.products.search>> = await platform.products.search(ANONYMOUS_ACTOR, {
        text: "mouse",
        limit: 1,
        cursor,
      });
      ranked.push(...page.items.map((h) => h.product.sku));
      cursor = page.nextCursor;
    } while (cursor);
    expect(ranked).toEqual(await skus({ text: "mouse" }));
    expect(await codeOf(() => platform.products.search(ANONYMOUS_ACTOR, { cursor: "forged.cursor" }))).toBe("invalid_cursor");
  });

  it("round-trips products with variants, images and attributes, and moves categories", async () => {
    const { platform, el, kitchen } = await seeded();
    const ts = await platform.products.getBySku(ANONYMOUS_ACTOR, { sku: "ts-1-l" });
    expect(ts.variants.map((v) => [v.sku, v.price?.toFixed() ?? null, v.options])).toEqual([
      ["TS-1-S", null, { size: "Small" }],
      ["TS-1-L", "17.00", { size: "Large" }],
    ]);
    const withImages = await platform.products.update(ADMIN_ACTOR, {
      productId: ts.id,
      expectedVersion: ts.version,
      images: [
        { url: "https://cdn.example.com/a.jpg", alt: "a" },
        { url: "https://cdn.example.com/b.jpg", alt: "b", primary: true },
      ],
    });
    expect((await platform.products.get(ANONYMOUS_ACTOR, { productId: ts.id })).images).toEqual(withImages.images);
    expect(
      await codeOf(() => platform.products.update(ADMIN_ACTOR, { productId: ts.id, expectedVersion: ts.version, name: "stale" })),
    ).toBe("version_conflict");
    await platform.categories.move(ADMIN_ACTOR, { categoryId: el.id, parentId: kitchen.id });
    expect(
      (await platform.products.search(ANONYMOUS_ACTOR, { categoryId: kitchen.id, sort: "price_asc" })).items.map((h) => h.product.sku),
    ).toEqual(["MS-1", "CB-1", "KB-1", "MS-2"]);
  });

  it("registers, signs in, fills a cart, checks out, cancels, and pages orders", async () => {
    const { platform, payments } = await seeded();
    const { actor } = await signUp(platform);
    const ms = await platform.products.getBySku(ANONYMOUS_ACTOR, { sku: "MS-1" });
    const kb = await platform.products.getBySku(ANONYMOUS_ACTOR, { sku: "KB-1" });
    await platform.users.addAddress(actor, {
      name: "Jane",
      line1: "1 Main St",
      city: "Springfield",
      region: "il",
      postalCode: "62701",
      country: "us",
      isDefaultShipping: true,
    });
    await platform.carts.addItem(actor, { productId: ms.id, quantity: 2 });
    await platform.carts.addItem(actor, { productId: kb.id, quantity: 1 });
    const order = await platform.orders.checkout(actor, { idempotencyKey: "checkout-0001" });
    expect(order).toMatchObject({ status: "paid", currency: "USD" });
    expect(order.total.toFixed()).toBe("109.97");
    expect(order.shippingAddress).toMatchObject({ city: "Springfield", region: "IL", country: "US" });
    expect((await platform.orders.checkout(actor, { idempotencyKey: "checkout-0001" })).id).toBe(order.id);
    expect(payments.charges).toHaveLength(1);
    expect((await platform.carts.get(actor)).lines).toHaveLength(0);
    expect(await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: ms.id })).toMatchObject({ onHand: 8, reserved: 0, sold: 2 });
    const canceled = await platform.orders.cancel(actor, { orderId: order.id, reason: "changed mind" });
    expect(canceled.status).toBe("canceled");
    expect(await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: ms.id })).toMatchObject({ onHand: 10, reserved: 0, sold: 0 });
    expect((await platform.orders.list(actor)).items.map((o) => o.id)).toEqual([order.id]);
  });
});

describe("PostgreSQL only", () => {
  it("expirers in several processes release each expired reservation once and cancel its order", async () => {
    await truncateCommerce(db);
    // A gateway that times out (retryable): the order stays pending with its stock held.
    const timingOut: PaymentPort = {
      charge: async () => {
        throw new GatewayError("gateway_timeout", "the gateway did not answer", { provider: "test", retryable: true });
      },
      retrieve: async () => ({ status: "not_found" }),
      refund: async () => ({ reference: "re_none" }),
    };
    const { platform, clock } = makePlatform({ store: storeOn(db), payments: timingOut });
    const p = await product(platform, "EXPIRE-1", "4.00", 50);
    const orders: string[] = [];
    for (let i = 0; i < 8; i++) {
      const { actor } = await signUp(platform);
      await platform.carts.addItem(actor, { productId: p.id, quantity: 2 });
      expect(await codeOf(() => platform.orders.checkout(actor, { idempotencyKey: `expire-${i}-key` }))).toBe("gateway_timeout");
      orders.push(...(await platform.orders.list(actor)).items.map((o) => o.id));
    }
    expect(await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: p.id })).toMatchObject({ reserved: 16 });
    clock.advance({ minutes: 16 });
    // Three "processes" (each its own store and pool connections) expire at once.
    const expirers = [0, 1, 2].map(() => makePlatform({ store: storeOn(db) }));
    for (const e of expirers) e.clock.set(clock.now());
    const counts = await Promise.all(expirers.map((e) => e.platform.inventory.releaseExpired({ limit: 3 })));
    const more = await expirers[0]!.platform.inventory.releaseExpired();
    expect(counts.reduce((a, b) => a + b, 0) + more).toBe(8);
    expect(await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: p.id })).toMatchObject({ onHand: 50, reserved: 0 });
    const canceled = await db.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM orders WHERE status = 'canceled' AND cancel_reason = 'reservation_expired'",
    );
    expect(canceled.rows[0]!.n).toBe(orders.length);
  });

  it("concurrent cart changes of one customer from several app servers all land (no version_conflict, one cart)", async () => {
    await truncateCommerce(db);
    const { platform } = makePlatform({ store: storeOn(db) });
    const p = await product(platform, "CART-RACE", "1.00", 100);
    const { actor } = await signUp(platform);
    const servers = [0, 1, 2, 3].map(() => makePlatform({ store: storeOn(db) }).platform);
    await Promise.all(servers.flatMap((s) => [0, 1, 2].map(() => s.carts.addItem(actor, { productId: p.id, quantity: 1 }))));
    expect((await platform.carts.get(actor)).lines.map((l) => l.quantity)).toEqual([12]);
    expect((await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM cart WHERE user_id = $1", [actor.id])).rows[0]!.n).toBe(1);
  });
});
