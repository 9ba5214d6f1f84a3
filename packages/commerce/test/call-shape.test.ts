import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commerceStores, codeOf, makeOn, product, signUp, ADMIN_ACTOR, ANONYMOUS_ACTOR } from "./helpers.js";

// The one call shape: who may call what, guest carts named in the input, lists as pages.
describe.each(commerceStores())("call shape on $name", (store) => {
  beforeAll(() => store.setup());
  afterAll(() => store.teardown());

  it("catalog, category and stock reads take any actor; writes need the admin role and change nothing without it", async () => {
    const { platform } = makeOn(store);
    const { actor } = await signUp(platform);
    const lamp = await product(platform, "LAMP-1", "20.00", 3);
    const input = { sku: "LAMP-2", name: "Lamp 2", price: { amount: "5.00", currency: "USD" }, initialStock: 1 };
    for (const who of [ANONYMOUS_ACTOR, actor]) {
      expect(await codeOf(() => platform.products.create(who, input))).toBe("role_required");
      expect(await codeOf(() => platform.products.update(who, { productId: lamp.id, expectedVersion: 1, name: "Renamed" }))).toBe(
        "role_required",
      );
      expect(await codeOf(() => platform.products.archive(who, { productId: lamp.id, expectedVersion: 1 }))).toBe("role_required");
      expect(await codeOf(() => platform.categories.create(who, { name: "Lamps" }))).toBe("role_required");
      expect(await codeOf(() => platform.inventory.adjust(who, { productId: lamp.id, delta: 5, reason: "received" }))).toBe(
        "role_required",
      );
      expect(await codeOf(() => platform.inventory.setLowStockThreshold(who, { productId: lamp.id, threshold: 1 }))).toBe("role_required");
      expect(
        await codeOf(() =>
          platform.notifications.sendEmail(who, { to: "a@example.com", subject: "s", text: "t", html: "<p>t</p>", template: "x" }),
        ),
      ).toBe("role_required");
    }
    expect(await codeOf(() => platform.users.setRoles(actor, { customerId: actor.id!, roles: ["admin"] }))).toBe("role_required");
    expect(await codeOf(() => platform.products.getBySku(ANONYMOUS_ACTOR, { sku: "LAMP-2" }))).toBe("product_not_found");
    expect(await platform.products.get(ANONYMOUS_ACTOR, { productId: lamp.id })).toMatchObject({
      name: "Product LAMP-1",
      version: 1,
      status: "active",
    });
    expect((await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: lamp.id })).onHand).toBe(3);
    expect((await platform.categories.children(ANONYMOUS_ACTOR)).items).toEqual([]);
    expect((await platform.products.search(actor, { text: "lamp" })).items.map((h) => h.product.id)).toEqual([lamp.id]);
  });

  it("refuses a malformed actor (invalid_actor), such as the old { customerId } shape", async () => {
    const { platform } = makeOn(store);
    const old = { customerId: "cus_1", roles: ["customer"] } as never;
    expect(await codeOf(() => platform.products.get(old, { productId: "prod_1" }))).toBe("invalid_actor");
    expect(await codeOf(() => platform.carts.get(old))).toBe("invalid_actor");
    expect(await codeOf(() => platform.orders.list(old))).toBe("invalid_actor");
  });

  it("orders.confirmPayment is admin-only", async () => {
    const { platform } = makeOn(store);
    const { actor } = await signUp(platform);
    const lamp = await product(platform, "LAMP-3", "20.00", 3);
    await platform.carts.addItem(actor, { productId: lamp.id, quantity: 1 });
    const order = await platform.orders.checkout(actor, {
      idempotencyKey: "call-shape-0001",
      paymentToken: "tok_visa",
      shippingAddress: { name: "A", line1: "1 St", city: "X", postalCode: "1", country: "US" },
    });
    expect(await codeOf(() => platform.orders.confirmPayment(actor, { orderId: order.id }))).toBe("role_required");
    expect((await platform.orders.confirmPayment(ADMIN_ACTOR, { orderId: order.id })).status).toBe("paid");
  });

  it("a cart call works on the guest cart named in the input, else on the signed-in actor's own cart", async () => {
    const { platform } = makeOn(store);
    const lamp = await product(platform, "LAMP-4", "20.00", 9);
    const guest = await platform.carts.createGuestCart(ANONYMOUS_ACTOR);
    await platform.carts.addItem(ANONYMOUS_ACTOR, { guestCartId: guest.id, productId: lamp.id, quantity: 2 });
    expect((await platform.carts.get(ANONYMOUS_ACTOR, { guestCartId: guest.id })).lines.map((l) => l.quantity)).toEqual([2]);
    // The anonymous actor has no cart of its own; a signed-in one has, apart from the guest cart.
    expect(await codeOf(() => platform.carts.get(ANONYMOUS_ACTOR))).toBe("unauthenticated");
    expect(await codeOf(() => platform.carts.addItem(ADMIN_ACTOR, { productId: lamp.id, quantity: 1 }))).toBe("unauthenticated");
    const { actor } = await signUp(platform);
    await platform.carts.addItem(actor, { productId: lamp.id, quantity: 1 });
    expect((await platform.carts.get(actor)).lines.map((l) => l.quantity)).toEqual([1]);
    await platform.carts.setQuantity(actor, { guestCartId: guest.id, productId: lamp.id, quantity: 5 });
    expect((await platform.carts.get(actor, { guestCartId: guest.id })).lines.map((l) => l.quantity)).toEqual([5]);
    expect((await platform.carts.get(actor)).lines.map((l) => l.quantity)).toEqual([1]);
    expect(await codeOf(() => platform.carts.get(ANONYMOUS_ACTOR, { guestCartId: "cart_unknown" }))).toBe("cart_not_found");
    // Work that takes a transaction is not on the service.
    for (const name of ["mergeGuestCart", "view", "load"])
      expect((platform.carts as unknown as Record<string, unknown>)[name]).toBeUndefined();
    expect((platform.notifications as unknown as Record<string, unknown>).subscribe).toBeUndefined();
  });

  it("category children and subtrees are pages; a subtree pages in depth-first order, siblings by name", async () => {
    const { platform } = makeOn(store);
    const home = await platform.categories.create(ADMIN_ACTOR, { name: "Home" });
    const lighting = await platform.categories.create(ADMIN_ACTOR, { name: "Lighting", parentId: home.id });
    const garden = await platform.categories.create(ADMIN_ACTOR, { name: "Garden", parentId: home.id });
    const lamps = await platform.categories.create(ADMIN_ACTOR, { name: "Lamps", parentId: lighting.id });
    const bulbs = await platform.categories.create(ADMIN_ACTOR, { name: "Bulbs", parentId: lighting.id });
    const tools = await platform.categories.create(ADMIN_ACTOR, { name: "Tools", parentId: garden.id });
    await platform.categories.create(ADMIN_ACTOR, { name: "Office" });
    const names: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof platform.categories.subtree>> = await platform.categories.subtree(ANONYMOUS_ACTOR, {
        categoryId: home.id,
        limit: 2,
        cursor,
      });
      expect(page.items.length).toBeLessThanOrEqual(2);
      names.push(...page.items.map((c) => c.name));
      cursor = page.nextCursor;
    } while (cursor && ++pages < 10);
    expect(names).toEqual(["Home", "Garden", "Tools", "Lighting", "Bulbs", "Lamps"]);
    expect(new Set([tools.id, lamps.id, bulbs.id]).size).toBe(3);
    const roots = await platform.categories.children(ANONYMOUS_ACTOR, { limit: 1 });
    expect(roots.items.map((c) => c.name)).toEqual(["Home"]);
    const next = await platform.categories.children(ANONYMOUS_ACTOR, { limit: 1, cursor: roots.nextCursor });
    expect(next).toEqual({ items: [expect.objectContaining({ name: "Office" })], nextCursor: null });
    expect((await platform.categories.children(ANONYMOUS_ACTOR, { parentId: lighting.id })).items.map((c) => c.name)).toEqual([
      "Bulbs",
      "Lamps",
    ]);
    // A cursor of one list is refused by another.
    const sub = await platform.categories.subtree(ANONYMOUS_ACTOR, { categoryId: home.id, limit: 1 });
    expect(await codeOf(() => platform.categories.subtree(ANONYMOUS_ACTOR, { categoryId: lighting.id, cursor: sub.nextCursor }))).toBe(
      "invalid_cursor",
    );
    expect(await codeOf(() => platform.categories.subtree(ANONYMOUS_ACTOR, { categoryId: "cat_missing" }))).toBe("category_not_found");
  });

  it("lists the actor's addresses in pages, oldest first, and removes one by { addressId }", async () => {
    const { platform, clock } = makeOn(store);
    const { actor } = await signUp(platform);
    const ids: string[] = [];
    for (const city of ["Boston", "Denver", "Austin"]) {
      clock.advance({ seconds: 1 });
      ids.push((await platform.users.addAddress(actor, { name: "A", line1: "1 St", city, postalCode: "1", country: "US" })).id);
    }
    const first = await platform.users.listAddresses(actor, { limit: 2 });
    expect(first.items.map((a) => a.id)).toEqual(ids.slice(0, 2));
    const rest = await platform.users.listAddresses(actor, { limit: 2, cursor: first.nextCursor });
    expect(rest).toEqual({ items: [expect.objectContaining({ id: ids[2] })], nextCursor: null });
    await platform.users.removeAddress(actor, { addressId: ids[1]! });
    expect((await platform.users.listAddresses(actor)).items.map((a) => a.id)).toEqual([ids[0], ids[2]]);
  });
});

describe.each(commerceStores().filter((s) => s.name === "postgres"))("SQL errors on $name", (store) => {
  beforeAll(() => store.setup());
  afterAll(() => store.teardown());

  it("a NUL that reaches the database answers nul_character (core's SQL error mapper), and a unique violation its commerce code", async () => {
    const s = store.make();
    const at = new Date("2026-03-01T10:00:00Z");
    const customer = (id: string, email: string, name: string) => ({
      id,
      email,
      name,
      phone: null,
      roles: ["customer" as const],
      passwordHash: { algorithm: "scrypt" as const, salt: "c2FsdA", hash: "aGFzaA", N: 1024, r: 8, p: 1, keyLength: 64 },
      createdAt: at,
      updatedAt: at,
      version: 1,
    });
    expect(await codeOf(() => s.transaction((tx) => tx.customers.insert(customer("cus_nul", "nul@example.com", "a\u0000b"))))).toBe(
      "nul_character",
    );
    await s.transaction((tx) => tx.customers.insert(customer("cus_1", "one@example.com", "One")));
    expect(await codeOf(() => s.transaction((tx) => tx.customers.insert(customer("cus_2", "one@example.com", "Two"))))).toBe("email_taken");
  });
});
