// carts.addItems: a list of items as one change, with addItem's rules per item, all or nothing.
import { describe, expect, it, beforeAll, afterAll } from "vitest";
import { ADMIN_ACTOR, MAX_CART_LINES } from "../src/index.js";
import { codeOf, commerceStores, makeOn, product, signUp, ANONYMOUS_ACTOR } from "./helpers.js";

describe.each(commerceStores())("carts.addItems on $name", (store) => {
  beforeAll(() => store.setup());
  afterAll(() => store.teardown());

  it("adds every item in one change: existing lines and repeated products add up, at the catalog's prices", async () => {
    const { platform } = makeOn(store);
    const a = await product(platform, "AI-A", "10.00", 50);
    const b = await product(platform, "AI-B", "2.50", 50);
    const shirt = await platform.products.create(ADMIN_ACTOR, {
      sku: "AI-SHIRT",
      name: "Shirt",
      price: { amount: "20.00", currency: "USD" },
      variants: [{ sku: "AI-SHIRT-S" }, { sku: "AI-SHIRT-L", price: { amount: "22.00", currency: "USD" } }],
    });
    const large = shirt.variants.find((v) => v.sku === "AI-SHIRT-L")!;
    const { actor } = await signUp(platform);
    await platform.carts.addItem(actor, { productId: a.id, quantity: 1 });
    const updated: number[] = [];
    platform.events.on("cart.updated", (e) => updated.push(e.data.lineCount));
    const cart = await platform.carts.addItems(actor, {
      items: [
        { productId: b.id, quantity: 2 },
        { productId: a.id, quantity: 3 },
        { productId: shirt.id, variantId: large.id, quantity: 1 },
        { productId: b.id, quantity: 1 },
      ],
    });
    expect(cart.lines.map((l) => [l.productId, l.variantId, l.quantity, l.unitPrice.toFixed()])).toEqual([
      [a.id, null, 4, "10.00"],
      [b.id, null, 3, "2.50"],
      [shirt.id, large.id, 1, "22.00"],
    ]);
    expect(cart.subtotal.toFixed()).toBe("69.50");
    expect(updated).toEqual([3]); // one change, one event
    expect(await platform.carts.get(actor)).toEqual(cart);
    // addItem is the one-item case of the same change.
    const one = await platform.carts.addItem(actor, { productId: b.id, quantity: 1 });
    expect(one.lines.map((l) => l.quantity)).toEqual([4, 4, 1]);
  });

  it("a bad item anywhere in the list answers its code and changes nothing", async () => {
    const { platform } = makeOn(store);
    const a = await product(platform, "AN-A", "10.00", 50);
    const b = await product(platform, "AN-B", "5.00", 50);
    const archived = await product(platform, "AN-X", "1.00", 5, { status: "archived" });
    const eur = await product(platform, "AN-EUR", "8.00", 5, { price: { amount: "8.00", currency: "EUR" } });
    const shirt = await platform.products.create(ADMIN_ACTOR, {
      sku: "AN-SHIRT",
      name: "Shirt",
      price: { amount: "20.00", currency: "USD" },
      variants: [{ sku: "AN-SHIRT-S" }],
    });
    const { actor } = await signUp(platform);
    const before = await platform.carts.addItem(actor, { productId: a.id, quantity: 990 });
    const ok = { productId: b.id, quantity: 1 };
    for (const [bad, code] of [
      [{ productId: "prod_missing", quantity: 1 }, "product_not_found"],
      [{ productId: archived.id, quantity: 1 }, "product_unavailable"],
      [{ productId: eur.id, quantity: 1 }, "currency_mismatch"],
      [{ productId: shirt.id, quantity: 1 }, "variant_required"],
      [{ productId: shirt.id, variantId: "var_missing", quantity: 1 }, "variant_not_found"],
      [{ productId: b.id, quantity: 0 }, "invalid_quantity"],
      [{ productId: b.id, quantity: 1000 }, "quantity_too_large"],
      // Within the line maximum alone, past it with the cart's 990 units.
      [{ productId: a.id, quantity: 10 }, "quantity_too_large"],
      // Object.prototype names are product ids like any other: unknown here.
      [{ productId: "__proto__", quantity: 1 }, "product_not_found"],
      [{ productId: "constructor", quantity: 1 }, "product_not_found"],
    ] as const) {
      expect(await codeOf(() => platform.carts.addItems(actor, { items: [ok, bad, ok] }))).toBe(code);
    }
    // Repeats of one product add up past the line maximum within one call.
    expect(
      await codeOf(() =>
        platform.carts.addItems(actor, {
          items: [
            { productId: b.id, quantity: 500 },
            { productId: b.id, quantity: 500 },
          ],
        }),
      ),
    ).toBe("quantity_too_large");
    expect(await platform.carts.get(actor)).toEqual(before);
  });

  it("checks the list itself and the line limit of the cart, changing nothing", async () => {
    const { platform } = makeOn(store);
    const p = await product(platform, "AL-0", "1.00", 5);
    const { actor } = await signUp(platform);
    const before = await platform.carts.addItem(actor, { productId: p.id, quantity: 1 });
    for (const items of [
      [],
      "x",
      null,
      undefined,
      { 0: { productId: p.id, quantity: 1 } },
      Array(MAX_CART_LINES + 1).fill({ productId: p.id, quantity: 1 }),
    ])
      expect(await codeOf(() => platform.carts.addItems(actor, { items } as never))).toBe("invalid_items");
    // An item's keys beyond its own (a client price, a prototype key) are not read.
    const polluted = JSON.parse(`{"productId": "${p.id}", "quantity": 1, "price": "0.01", "__proto__": {"quantity": 999}}`) as never;
    const priced = await platform.carts.addItems(actor, { items: [polluted] });
    expect(priced.lines.map((l) => [l.quantity, l.unitPrice.toFixed()])).toEqual([[2, "1.00"]]);
    expect(before.lines.map((l) => l.quantity)).toEqual([1]);
    // 100 lines fit, the 101st does not, whether it comes in the same call or a later one.
    const many = await Promise.all(Array.from({ length: MAX_CART_LINES - 1 }, (_, i) => product(platform, `AL-${i + 1}`, "1.00", 5)));
    const full = await platform.carts.addItems(actor, { items: many.map((m) => ({ productId: m.id, quantity: 1 })) });
    expect(full.lines).toHaveLength(MAX_CART_LINES);
    const extra = await product(platform, "AL-X", "1.00", 5);
    expect(
      await codeOf(() =>
        platform.carts.addItems(actor, {
          items: [
            { productId: p.id, quantity: 1 },
            { productId: extra.id, quantity: 1 },
          ],
        }),
      ),
    ).toBe("cart_full");
    expect(await platform.carts.get(actor)).toEqual(full);
  });

  it("fills a guest cart too; another guest cart's id names nothing of the caller's", async () => {
    const { platform } = makeOn(store);
    const p = await product(platform, "AG-1", "3.00", 5);
    const guest = await platform.carts.createGuestCart(ANONYMOUS_ACTOR);
    const cart = await platform.carts.addItems(ANONYMOUS_ACTOR, { guestCartId: guest.id, items: [{ productId: p.id, quantity: 2 }] });
    expect(cart.lines.map((l) => [l.productId, l.quantity])).toEqual([[p.id, 2]]);
    expect(
      await codeOf(() =>
        platform.carts.addItems(ANONYMOUS_ACTOR, { guestCartId: "cart_missing", items: [{ productId: p.id, quantity: 1 }] }),
      ),
    ).toBe("cart_not_found");
    expect(await codeOf(() => platform.carts.addItems(ANONYMOUS_ACTOR, { items: [{ productId: p.id, quantity: 1 }] }))).toBe(
      "unauthenticated",
    );
  });
});
