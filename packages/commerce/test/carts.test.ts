import { describe, expect, it, beforeAll, afterAll } from "vitest";
import { ADMIN_ACTOR, FlatRateShippingCalculator, PercentageTaxCalculator } from "../src/index.js";
import { codeOf, commerceStores, makeOn, product, signUp, ANONYMOUS_ACTOR } from "./helpers.js";

describe.each(commerceStores())("carts on $name", (store) => {
  beforeAll(() => store.setup());
  afterAll(() => store.teardown());

  describe("carts", () => {
    it("prices from the catalog and recomputes totals with shipping and tax", async () => {
      const { platform } = makeOn(store, {
        shipping: new FlatRateShippingCalculator({ amount: "5.00", freeOver: "2000" }),
        tax: new PercentageTaxCalculator({ rates: { US: "5", "US-NY": "8.875" } }),
      });
      const laptop = await product(platform, "LAPTOP001", "999.99", 10);
      const mouse = await product(platform, "MOUSE001", "29.99", 50);
      const { actor } = await signUp(platform);
      // A client-supplied price is ignored (the schema has no price field).
      await platform.carts.addItem(actor, { productId: laptop.id, quantity: 1, price: "0.01" } as never);
      await platform.carts.addItem(actor, { productId: mouse.id, quantity: 1 });
      let cart = await platform.carts.addItem(actor, { productId: mouse.id, quantity: 1 });
      expect(cart.lines.map((l) => [l.quantity, l.unitPrice.toFixed(), l.lineTotal.toFixed()])).toEqual([
        [1, "999.99", "999.99"],
        [2, "29.99", "59.98"],
      ]);
      expect([cart.subtotal.toFixed(), cart.shipping.toFixed(), cart.tax.toFixed(), cart.total.toFixed()]).toEqual([
        "1059.97",
        "5.00",
        "0.00",
        "1064.97",
      ]);
      await platform.users.addAddress(actor, { name: "J", line1: "1 Main", city: "NYC", region: "NY", postalCode: "10001", country: "US" });
      cart = await platform.carts.get(actor);
      expect(cart.tax.toFixed()).toBe("94.07"); // 8.875 % of 1059.97, half-even
      // Remove and re-add repeatedly: totals never drift.
      for (let i = 0; i < 5; i++) {
        await platform.carts.removeItem(actor, { productId: mouse.id });
        cart = await platform.carts.addItem(actor, { productId: mouse.id, quantity: 2 });
      }
      expect(cart.subtotal.toFixed()).toBe("1059.97");
      cart = await platform.carts.setQuantity(actor, { productId: mouse.id, quantity: 1 });
      expect(cart.subtotal.toFixed()).toBe("1029.98");
      expect((await platform.carts.clear(actor)).total.toFixed()).toBe("0.00");
    });

    it("rejects bad quantities and unknown or archived products, changing nothing", async () => {
      const { platform } = makeOn(store);
      const p = await product(platform, "Q-1", "1.00", 10);
      const { actor } = await signUp(platform);
      for (const [quantity, code] of [
        [0, "invalid_quantity"],
        [-1, "invalid_quantity"],
        [1.5, "invalid_quantity"],
        [1000, "quantity_too_large"],
      ] as const) {
        expect(await codeOf(() => platform.carts.addItem(actor, { productId: p.id, quantity }))).toBe(code);
      }
      await platform.carts.addItem(actor, { productId: p.id, quantity: 998 });
      expect(await codeOf(() => platform.carts.addItem(actor, { productId: p.id, quantity: 2 }))).toBe("quantity_too_large");
      expect(await codeOf(() => platform.carts.addItem(actor, { productId: "prod_missing", quantity: 1 }))).toBe("product_not_found");
      const archived = await product(platform, "Q-2", "1.00", 10, { status: "archived" });
      expect(await codeOf(() => platform.carts.addItem(actor, { productId: archived.id, quantity: 1 }))).toBe("product_unavailable");
      expect(await codeOf(() => platform.carts.setQuantity(actor, { productId: archived.id, quantity: 1 }))).toBe("line_not_found");
      expect((await platform.carts.get(actor)).lines.map((l) => l.quantity)).toEqual([998]);
      expect(await codeOf(() => platform.orders.checkout(ADMIN_ACTOR, { idempotencyKey: "admin-checkout" }))).toBe("unauthenticated");
    });

    it("reports price changes and archived products before checkout, and refuses checkout until accepted", async () => {
      const { platform } = makeOn(store);
      const a = await product(platform, "CH-1", "10.00", 10);
      const b = await product(platform, "CH-2", "20.00", 10);
      const { actor } = await signUp(platform);
      await platform.carts.addItem(actor, { productId: a.id, quantity: 1 });
      await platform.carts.addItem(actor, { productId: b.id, quantity: 1 });
      await platform.products.update(ADMIN_ACTOR, { productId: a.id, expectedVersion: 1, price: { amount: "12.00", currency: "USD" } });
      await platform.products.archive(ADMIN_ACTOR, { productId: b.id, expectedVersion: 1 });
      const cart = await platform.carts.get(actor);
      expect(cart.issues.map((i) => i.code).sort()).toEqual(["price_changed", "product_unavailable"]);
      expect(cart.subtotal.toFixed()).toBe("12.00");
      expect(await codeOf(() => platform.orders.checkout(actor, { idempotencyKey: "changed-cart-1" }))).toBe("cart_changed");
      const accepted = await platform.carts.acceptChanges(actor);
      expect(accepted.issues).toEqual([]);
      expect(accepted.lines).toHaveLength(1);
      const order = await platform.orders.checkout(actor, { idempotencyKey: "changed-cart-2" });
      expect(order.total.toFixed()).toBe("12.00");
    });

    it("merges a guest cart at login and keeps guest carts private", async () => {
      const { platform } = makeOn(store);
      const a = await product(platform, "G-1", "3.00", 10);
      const b = await product(platform, "G-2", "4.00", 10);
      const { actor, email } = await signUp(platform);
      await platform.carts.addItem(actor, { productId: a.id, quantity: 1 });
      const guest = await platform.carts.createGuestCart(ANONYMOUS_ACTOR);
      await platform.carts.addItem(ANONYMOUS_ACTOR, { guestCartId: guest.id, productId: a.id, quantity: 2 });
      await platform.carts.addItem(ANONYMOUS_ACTOR, { guestCartId: guest.id, productId: b.id, quantity: 1 });
      const merged: string[] = [];
      platform.events.on("cart.merged", (e) => merged.push(e.data.guestCartId));
      await platform.users.login(ANONYMOUS_ACTOR, { email, password: "s3cure-passw0rd", guestCartId: guest.id });
      expect(merged).toEqual([guest.id]);
      const cart = await platform.carts.get(actor);
      expect(cart.lines.map((l) => [l.productId, l.quantity])).toEqual([
        [a.id, 3],
        [b.id, 1],
      ]);
      expect(await codeOf(() => platform.carts.get(ANONYMOUS_ACTOR, { guestCartId: guest.id }))).toBe("cart_not_found");
      // A customer's cart cannot be reached as a guest cart.
      expect(await codeOf(() => platform.carts.addItem(ANONYMOUS_ACTOR, { guestCartId: cart.id, productId: a.id, quantity: 1 }))).toBe(
        "cart_not_found",
      );
      expect(await codeOf(() => platform.orders.checkout(actor, { idempotencyKey: "k" }))).toBe("validation_failed");
    });

    it("adding more of a line keeps the price it was first added at, so a price change is still reported", async () => {
      const { platform } = makeOn(store);
      const a = await product(platform, "KEEP-1", "10.00", 10);
      const { actor } = await signUp(platform);
      await platform.carts.addItem(actor, { productId: a.id, quantity: 1 });
      await platform.products.update(ADMIN_ACTOR, { productId: a.id, expectedVersion: 1, price: { amount: "12.00", currency: "USD" } });
      const cart = await platform.carts.addItem(actor, { productId: a.id, quantity: 1 });
      expect(cart.lines.map((l) => l.quantity)).toEqual([2]);
      expect(cart.issues.map((i) => i.code)).toEqual(["price_changed"]);
      expect(await codeOf(() => platform.orders.checkout(actor, { idempotencyKey: "keep-price-1" }))).toBe("cart_changed");
      expect((await platform.carts.acceptChanges(actor)).issues).toEqual([]);
      expect((await platform.orders.checkout(actor, { idempotencyKey: "keep-price-2" })).total.toFixed()).toBe("24.00");
    });

    it("merging a guest cart in another currency skips and reports those lines; the cart stays usable", async () => {
      const { platform } = makeOn(store);
      const usd = await product(platform, "CUR-USD", "10.00", 10);
      const eur = await product(platform, "CUR-EUR", "8.00", 10, { price: { amount: "8.00", currency: "EUR" } });
      const { actor, email } = await signUp(platform);
      await platform.carts.addItem(actor, { productId: usd.id, quantity: 1 });
      const guest = await platform.carts.createGuestCart(ANONYMOUS_ACTOR);
      await platform.carts.addItem(ANONYMOUS_ACTOR, { guestCartId: guest.id, productId: eur.id, quantity: 2 });
      const login = await platform.users.login(ANONYMOUS_ACTOR, { email, password: "s3cure-passw0rd", guestCartId: guest.id });
      expect(login.guestCart).toEqual({
        guestCartId: guest.id,
        merged: 0,
        skipped: [{ productId: eur.id, variantId: null, quantity: 2, currency: "EUR", reason: "currency_mismatch" }],
      });
      const cart = await platform.carts.get(actor);
      expect(cart.lines.map((l) => [l.productId, l.quantity])).toEqual([[usd.id, 1]]);
      expect(cart.total.currency).toBe("USD");
      expect((await platform.orders.checkout(actor, { idempotencyKey: "merge-currency-1" })).status).toBe("paid");
    });

    it("refuses checkout of an empty cart and records cart.updated after commit only", async () => {
      const { platform } = makeOn(store);
      const { actor } = await signUp(platform);
      expect(await codeOf(() => platform.orders.checkout(actor, { idempotencyKey: "empty-cart-1" }))).toBe("empty_cart");
      const seen: string[] = [];
      platform.events.on("cart.updated", (e) => seen.push(e.data.cartId));
      expect(await codeOf(() => platform.carts.addItem(actor, { productId: "prod_nope", quantity: 1 }))).toBe("product_not_found");
      expect(seen).toEqual([]);
    });
  });

  describe("carts at the money limit", () => {
    it("a line whose total would pass the money limit is refused with amount_too_large and the cart stays as it was", async () => {
      const { platform } = makeOn(store);
      const p = await product(platform, "MAX-CART", "9999999999999999.99", 5);
      const { actor } = await signUp(platform);
      expect(await codeOf(() => platform.carts.addItem(actor, { productId: p.id, quantity: 2 }))).toBe("amount_too_large");
      expect((await platform.carts.get(actor)).lines).toHaveLength(0);
      await platform.carts.addItem(actor, { productId: p.id, quantity: 1 });
      expect(await codeOf(() => platform.carts.addItem(actor, { productId: p.id, quantity: 1 }))).toBe("amount_too_large");
      const cart = await platform.carts.get(actor);
      expect(cart.lines.map((l) => l.quantity)).toEqual([1]);
      expect(cart.subtotal.toFixed()).toBe("9999999999999999.99");
    });
  });
});
