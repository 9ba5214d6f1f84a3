import { describe, expect, it, beforeAll, afterAll } from "vitest";
import { Money } from "@platform/core";
import { codeOf, commerceStores, makeOn, product, signUp, ADMIN_ACTOR, ANONYMOUS_ACTOR } from "./helpers.js";

describe.each(commerceStores())("catalog and search on $name", (store) => {
  beforeAll(() => store.setup());
  afterAll(() => store.teardown());

  describe("text no store can keep", () => {
    it("refuses an unpaired surrogate (invalid_text) or NUL (nul_character) in product, customer and address text on every store, naming the field", async () => {
      const { platform } = makeOn(store);
      for (const [field, code] of [
        ["name", "invalid_text"],
        ["description", "invalid_text"],
      ] as const) {
        const e = await platform.products
          .create(ADMIN_ACTOR, { sku: `S-${field}`, name: "ok", [field]: "a\uD800b", price: { amount: "1.00", currency: "USD" } })
          .catch((x: unknown) => x);
        expect(e).toMatchObject({ code, details: { fields: [field] } });
      }
      expect(await codeOf(() => product(platform, "S-NUL", "1.00", 1, { name: "a\u0000b" }))).toBe("nul_character");
      expect(
        await codeOf(() =>
          platform.users.register(ANONYMOUS_ACTOR, { email: "n@example.com", password: "correct-horse-42", name: "n\uD800" }),
        ),
      ).toBe("invalid_text");
      expect(
        await codeOf(() =>
          platform.users.register(ANONYMOUS_ACTOR, { email: "m@example.com", password: "correct-horse-42", name: "m\u0000" }),
        ),
      ).toBe("nul_character");
      const { actor } = await signUp(platform);
      const p = await product(platform, "S-OK", "5.00", 3);
      await platform.carts.addItem(actor, { productId: p.id, quantity: 1 });
      const address = { name: "N\uD800", line1: "1 St", city: "X", postalCode: "1", country: "US" };
      expect(
        await codeOf(() =>
          platform.orders.checkout(actor, { idempotencyKey: "surrogate-order-1", paymentToken: "pm_card_visa", shippingAddress: address }),
        ),
      ).toBe("invalid_text");
      expect((await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: p.id })).available).toBe(3);
    });
  });

  describe("catalog", () => {
    it("attribute names are data: __proto__ is stored exactly and found, filters on Object.prototype names match only real attributes", async () => {
      const { platform } = makeOn(store);
      const attributes = JSON.parse('{"__proto__":"Gold","constructor":"Oak"}') as Record<string, string>;
      const p = await product(platform, "PROTO-1", "5.00", 1, { attributes });
      const plain = await product(platform, "PLAIN-1", "5.00", 1, { attributes: { colour: "Red" } });
      const back = await platform.products.get(ANONYMOUS_ACTOR, { productId: p.id });
      expect(Object.hasOwn(back.attributes, "__proto__")).toBe(true);
      expect(Object.entries(back.attributes).sort()).toEqual([
        ["__proto__", "Gold"],
        ["constructor", "Oak"],
      ]);
      const ids = async (filter: Record<string, string>) =>
        (await platform.products.search(ANONYMOUS_ACTOR, { attributes: filter })).items.map((h) => h.product.id);
      expect(await ids(JSON.parse('{"__proto__":"gold"}'))).toEqual([p.id]);
      expect(await ids({ constructor: "oak" })).toEqual([p.id]);
      for (const name of ["toString", "hasOwnProperty", "valueOf"]) expect(await ids({ [name]: "x" })).toEqual([]);
      expect(await ids({ constructor: "x" })).toEqual([]);
      expect(await ids({ colour: "red" })).toEqual([plain.id]);
      // An update keeps it too; keys that differ only after trimming are refused, nothing changes.
      await platform.products.update(ADMIN_ACTOR, {
        productId: plain.id,
        expectedVersion: 1,
        attributes: JSON.parse('{"__proto__":"Silver"}'),
      });
      expect(Object.entries((await platform.products.get(ANONYMOUS_ACTOR, { productId: plain.id })).attributes)).toEqual([
        ["__proto__", "Silver"],
      ]);
      expect(
        await codeOf(() =>
          platform.products.update(ADMIN_ACTOR, { productId: plain.id, expectedVersion: 2, attributes: { size: "S", " size": "M" } }),
        ),
      ).toBe("duplicate_key");
      expect(
        await codeOf(() =>
          platform.products.update(ADMIN_ACTOR, { productId: plain.id, expectedVersion: 2, attributes: { size: "\uD800" } }),
        ),
      ).toBe("invalid_text");
      expect(
        await codeOf(() =>
          platform.products.update(ADMIN_ACTOR, { productId: plain.id, expectedVersion: 2, attributes: { "nul\u0000": "x" } }),
        ),
      ).toBe("nul_character");
      expect((await platform.products.get(ANONYMOUS_ACTOR, { productId: plain.id })).version).toBe(2);
    });

    it("refuses opening stock for a SKU that names no variant, and writes nothing", async () => {
      const { platform } = makeOn(store);
      const base = {
        sku: "VAR-1",
        name: "Shirt",
        price: { amount: "10.00", currency: "USD" },
        variants: [{ sku: "VAR-1-S" }, { sku: "VAR-1-M" }],
      };
      expect(await codeOf(() => platform.products.create(ADMIN_ACTOR, { ...base, variantStock: { "VAR-1-S": 2, "VAR-1-XL": 5 } }))).toBe(
        "unknown_variant_sku",
      );
      expect(await codeOf(() => platform.products.create(ADMIN_ACTOR, { ...base, variantStock: { constructor: 1 } }))).toBe(
        "unknown_variant_sku",
      );
      expect(await codeOf(() => platform.products.create(ADMIN_ACTOR, { ...base, variantStock: { "VAR-1-S": 1, "var-1-s": 2 } }))).toBe(
        "unknown_variant_sku",
      );
      expect(await codeOf(() => platform.products.create(ADMIN_ACTOR, { ...base, variants: [], variantStock: { "VAR-1-S": 1 } }))).toBe(
        "unknown_variant_sku",
      );
      expect(await codeOf(() => platform.products.getBySku(ANONYMOUS_ACTOR, { sku: "VAR-1" }))).toBe("product_not_found");
      const p = await platform.products.create(ADMIN_ACTOR, { ...base, variantStock: { "var-1-m": 4 } }); // SKUs are case-insensitive
      const [s, m] = p.variants;
      expect((await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: p.id, variantId: s!.id })).onHand).toBe(0);
      expect((await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: p.id, variantId: m!.id })).onHand).toBe(4);
    });

    it("keeps SKUs unique case-insensitively across products and variants", async () => {
      const { platform } = makeOn(store);
      await product(platform, "Laptop001", "999.99", 1);
      expect(await codeOf(() => product(platform, "LAPTOP001", "1.00", 1))).toBe("sku_taken");
      expect(
        await codeOf(() =>
          platform.products.create(ADMIN_ACTOR, {
            sku: "NEW-1",
            name: "X",
            price: { amount: "1", currency: "USD" },
            variants: [{ sku: "laptop001" }],
          }),
        ),
      ).toBe("sku_taken");
      expect((await platform.products.getBySku(ANONYMOUS_ACTOR, { sku: "laptop001" })).sku).toBe("Laptop001");
      expect(await codeOf(() => product(platform, "bad sku!", "1.00", 1))).toBe("invalid_sku");
      expect(await codeOf(() => product(platform, "P-1", "0", 1))).toBe("amount_not_positive");
      expect(await codeOf(() => product(platform, "P-1", "1.001", 1))).toBe("amount_precision");
      // Nothing was written by the failed attempts.
      expect(await codeOf(() => platform.products.getBySku(ANONYMOUS_ACTOR, { sku: "NEW-1" }))).toBe("product_not_found");
    });

    it("stores prices exactly up to the money limit and refuses larger ones with amount_too_large, creating nothing", async () => {
      const { platform } = makeOn(store);
      const huge = "9".repeat(61) + ".99";
      expect(await codeOf(() => product(platform, "HUGE-1", huge, 1))).toBe("amount_too_large");
      expect(
        await codeOf(() =>
          platform.products.create(ADMIN_ACTOR, {
            sku: "HUGE-2",
            name: "X",
            price: { amount: "1", currency: "USD" },
            variants: [{ sku: "HUGE-2-V", price: { amount: huge, currency: "USD" } }],
          }),
        ),
      ).toBe("amount_too_large");
      expect(await codeOf(() => platform.products.getBySku(ANONYMOUS_ACTOR, { sku: "HUGE-1" }))).toBe("product_not_found");
      expect(await codeOf(() => platform.products.getBySku(ANONYMOUS_ACTOR, { sku: "HUGE-2" }))).toBe("product_not_found");
      const max = await product(platform, "MAX-1", "9999999999999999.99", 1);
      expect((await platform.products.get(ANONYMOUS_ACTOR, { productId: max.id })).price.toFixed()).toBe("9999999999999999.99");
      expect(
        await codeOf(() =>
          platform.products.update(ADMIN_ACTOR, {
            productId: max.id,
            expectedVersion: max.version,
            price: { amount: huge, currency: "USD" },
          }),
        ),
      ).toBe("amount_too_large");
      expect((await platform.products.get(ANONYMOUS_ACTOR, { productId: max.id })).version).toBe(max.version);
    });

    it("takes Money instances as price inputs and search bounds", async () => {
      const { platform } = makeOn(store);
      const price = Money.of("19.99", "USD");
      const p = await platform.products.create(ADMIN_ACTOR, { sku: "MONEY-1", name: "Money input", price, initialStock: 1 });
      expect(p.price.equals(price)).toBe(true);
      const updated = await platform.products.update(ADMIN_ACTOR, {
        productId: p.id,
        expectedVersion: p.version,
        price: p.price.add(Money.of("1.00", "USD")),
      });
      expect(updated.price.toFixed()).toBe("20.99");
      const hits = await platform.products.search(ANONYMOUS_ACTOR, { minPrice: Money.of("20", "USD"), maxPrice: updated.price });
      expect(hits.items.map((h) => h.product.sku)).toEqual(["MONEY-1"]);
    });

    it("guards updates by version and keeps images with one primary", async () => {
      const { platform } = makeOn(store);
      const p = await product(platform, "IMG-1", "5.00", 1, {
        images: [
          { url: "https://cdn.example.com/a.jpg", alt: "front" },
          { url: "https://cdn.example.com/b.jpg", alt: "back", primary: true },
        ],
      });
      expect(p.images.map((i) => [i.position, i.primary])).toEqual([
        [0, false],
        [1, true],
      ]);
      const v2 = await platform.products.update(ADMIN_ACTOR, {
        productId: p.id,
        expectedVersion: 1,
        price: { amount: "6.00", currency: "USD" },
      });
      expect(v2.version).toBe(2);
      expect(await codeOf(() => platform.products.update(ADMIN_ACTOR, { productId: p.id, expectedVersion: 1, name: "stale" }))).toBe(
        "version_conflict",
      );
      const results = await Promise.allSettled([
        platform.products.update(ADMIN_ACTOR, { productId: p.id, expectedVersion: 2, name: "A" }),
        platform.products.update(ADMIN_ACTOR, { productId: p.id, expectedVersion: 2, name: "B" }),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    });

    it("builds a category tree, lists subtrees and refuses cycles", async () => {
      const { platform } = makeOn(store);
      const el = await platform.categories.create(ADMIN_ACTOR, { name: "Electronics" });
      const comp = await platform.categories.create(ADMIN_ACTOR, { name: "Computers", parentId: el.id });
      const laptops = await platform.categories.create(ADMIN_ACTOR, { name: "Laptops", parentId: comp.id });
      const garden = await platform.categories.create(ADMIN_ACTOR, { name: "Home & Garden" });
      expect(garden.slug).toBe("home-garden");
      expect(await codeOf(() => platform.categories.create(ADMIN_ACTOR, { name: "Electronics" }))).toBe("slug_taken");
      expect(await codeOf(() => platform.categories.move(ADMIN_ACTOR, { categoryId: el.id, parentId: laptops.id }))).toBe("category_cycle");
      expect(await codeOf(() => platform.categories.move(ADMIN_ACTOR, { categoryId: el.id, parentId: el.id }))).toBe("category_cycle");
      expect((await platform.categories.subtree(ANONYMOUS_ACTOR, { categoryId: el.id })).items.map((c) => c.name).sort()).toEqual([
        "Computers",
        "Electronics",
        "Laptops",
      ]);
      await product(platform, "LT-1", "900.00", 1, { categoryId: laptops.id });
      await product(platform, "GD-1", "20.00", 1, { categoryId: garden.id });
      expect((await platform.products.search(ANONYMOUS_ACTOR, { categoryId: el.id })).items.map((h) => h.product.sku)).toEqual(["LT-1"]);
      await platform.categories.move(ADMIN_ACTOR, { categoryId: comp.id, parentId: garden.id });
      expect((await platform.products.search(ANONYMOUS_ACTOR, { categoryId: el.id })).items).toHaveLength(0);
      expect((await platform.products.search(ANONYMOUS_ACTOR, { categoryId: garden.id })).items.map((h) => h.product.sku).sort()).toEqual([
        "GD-1",
        "LT-1",
      ]);
      expect((await platform.categories.get(ANONYMOUS_ACTOR, { categoryId: laptops.id })).path).toEqual([garden.id, comp.id]);
    });
  });

  describe("search", () => {
    async function seeded() {
      const { platform } = makeOn(store);
      const mk = (sku: string, name: string, price: string, stock: number, extra: Record<string, unknown> = {}) =>
        platform.products.create(ADMIN_ACTOR, { sku, name, price: { amount: price, currency: "USD" }, initialStock: stock, ...extra });
      await mk("CB-1", "Crème Brûlée Torch", "39.00", 3, { description: "Kitchen torch for desserts", attributes: { brand: "Iwatani" } });
      await mk("MS-1", "Wireless Mouse", "29.99", 10, {
        description: "Ergonomic wireless mouse",
        attributes: { brand: "Logitech", colour: "Graphite" },
      });
      await mk("MS-2", "Gaming Mouse", "59.99", 0, { description: "Wired mouse with RGB", attributes: { brand: "Razer" } });
      await mk("KB-1", "Wireless Keyboard", "49.99", 5, { description: "Quiet keys", attributes: { brand: "Logitech" } });
      await mk("DR-1", "Draft Mouse", "9.99", 5, { status: "draft" });
      return platform;
    }

    it("matches case- and accent-insensitively over name, description and attributes, ranked", async () => {
      const platform = await seeded();
      expect((await platform.products.search(ANONYMOUS_ACTOR, { text: "creme brulee" })).items.map((h) => h.product.sku)).toEqual(["CB-1"]);
      expect((await platform.products.search(ANONYMOUS_ACTOR, { text: "DESSERTS" })).items.map((h) => h.product.sku)).toEqual(["CB-1"]);
      expect((await platform.products.search(ANONYMOUS_ACTOR, { text: "logitech" })).items.map((h) => h.product.sku).sort()).toEqual([
        "KB-1",
        "MS-1",
      ]);
      const mice = (await platform.products.search(ANONYMOUS_ACTOR, { text: "mouse" })).items;
      expect(mice.map((h) => h.product.sku).sort()).toEqual(["MS-1", "MS-2"]); // the draft is not sold
      expect(mice[0]!.score).toBeGreaterThanOrEqual(mice[1]!.score);
      // Not only prefixes: a word in the middle of the name matches.
      expect((await platform.products.search(ANONYMOUS_ACTOR, { text: "keyboard" })).items.map((h) => h.product.sku)).toEqual(["KB-1"]);
      // Ranking: the product named "Wireless Mouse" beats the keyboard for "wireless mouse".
      expect((await platform.products.search(ANONYMOUS_ACTOR, { text: "wireless mouse" })).items[0]!.product.sku).toBe("MS-1");
    });

    it("filters by price, attributes and stock, and sorts", async () => {
      const platform = await seeded();
      const skus = async (q: Parameters<typeof platform.products.search>[1]) =>
        (await platform.products.search(ANONYMOUS_ACTOR, q)).items.map((h) => h.product.sku);
      expect(
        await skus({ minPrice: { amount: "30", currency: "USD" }, maxPrice: { amount: "50", currency: "USD" }, sort: "price_asc" }),
      ).toEqual(["CB-1", "KB-1"]);
      expect(await skus({ attributes: { brand: "LOGITECH" }, sort: "price_desc" })).toEqual(["KB-1", "MS-1"]);
      expect(await skus({ text: "mouse", inStockOnly: true })).toEqual(["MS-1"]);
      expect(await skus({ sort: "price_asc" })).toEqual(["MS-1", "CB-1", "KB-1", "MS-2"]);
      expect(await codeOf(() => platform.products.search(ANONYMOUS_ACTOR, { sort: "random" as never }))).toBe("validation_failed");
    });

    it("a price range matches a product by its base price or any variant's price (both bounds on one price)", async () => {
      const { platform } = makeOn(store);
      const usd = (amount: string) => ({ amount, currency: "USD" });
      await platform.products.create(ADMIN_ACTOR, {
        sku: "TS-1",
        name: "T-shirt",
        price: usd("20.00"),
        variants: [
          { sku: "TS-1-S", options: { size: "S" } },
          { sku: "TS-1-XXL", price: usd("45.00"), options: { size: "XXL" } },
        ],
      });
      await platform.products.create(ADMIN_ACTOR, {
        sku: "CAP-1",
        name: "Cap",
        price: usd("15.00"),
        variants: [
          { sku: "CAP-1-A", price: usd("12.00") },
          { sku: "CAP-1-B", price: usd("70.00") },
        ],
      });
      await platform.products.create(ADMIN_ACTOR, { sku: "BAG-1", name: "Bag", price: usd("90.00") });
      const skus = async (min: string | null, max: string | null) =>
        (
          await platform.products.search(ANONYMOUS_ACTOR, {
            ...(min ? { minPrice: usd(min) } : {}),
            ...(max ? { maxPrice: usd(max) } : {}),
            sort: "price_asc",
          })
        ).items.map((h) => h.product.sku);
      expect(await skus("40", "50")).toEqual(["TS-1"]); // only its XXL variant is in range
      expect(await skus("10", "13")).toEqual(["CAP-1"]); // only its variant A
      expect(await skus("16", "19")).toEqual([]); // CAP-1 has prices below and above, none inside
      expect(await skus("60", null)).toEqual(["CAP-1", "BAG-1"]);
      expect(await skus(null, "14")).toEqual(["CAP-1"]);
      expect(
        (await platform.products.search(ANONYMOUS_ACTOR, { text: "shirt", minPrice: usd("44"), maxPrice: usd("46") })).items.map(
          (h) => h.product.sku,
        ),
      ).toEqual(["TS-1"]);
      expect((await platform.products.search(ANONYMOUS_ACTOR, { minPrice: { amount: "40", currency: "EUR" } })).items).toEqual([]);
    });

    it("pages with opaque cursors and no duplicates", async () => {
      const platform = await seeded();
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof platform.products.search>> = await platform.products.search(ANONYMOUS_ACTOR, {
          sort: "price_asc",
          limit: 2,
          cursor,
        });
        seen.push(...page.items.map((h) => h.product.sku));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(["MS-1", "CB-1", "KB-1", "MS-2"]);
      expect(await codeOf(() => platform.products.search(ANONYMOUS_ACTOR, { cursor: "forged.cursor" }))).toBe("invalid_cursor");
    });

    it("archived products leave the index; a rolled-back write leaves it untouched", async () => {
      const platform = await seeded();
      const kb = await platform.products.getBySku(ANONYMOUS_ACTOR, { sku: "KB-1" });
      await platform.products.archive(ADMIN_ACTOR, { productId: kb.id, expectedVersion: kb.version });
      expect((await platform.products.search(ANONYMOUS_ACTOR, { text: "keyboard" })).items).toHaveLength(0);
      const ms = await platform.products.getBySku(ANONYMOUS_ACTOR, { sku: "MS-1" });
      await expect(
        platform.store.transaction(async (tx) => {
          await tx.products.update({ ...ms, name: "Trackball", version: ms.version + 1 }, ms.version);
          throw new Error("abort");
        }),
      ).rejects.toThrow("abort");
      expect((await platform.products.search(ANONYMOUS_ACTOR, { text: "trackball" })).items).toHaveLength(0);
      expect((await platform.products.search(ANONYMOUS_ACTOR, { text: "wireless mouse" })).items[0]!.product.sku).toBe("MS-1");
    });

    it("browses the whole catalog without text from sorted views, stable under inserts", async () => {
      const { platform, clock } = makeOn(store);
      for (let i = 0; i < 12; i++) {
        await product(platform, `BR-${i}`, `${10 + (i % 5)}.00`, i % 3 === 0 ? 0 : 2);
        clock.advance({ seconds: 1 });
      }
      const first = await platform.products.search(ANONYMOUS_ACTOR, { sort: "newest", limit: 5 });
      expect(first.items.map((h) => h.product.sku)).toEqual(["BR-11", "BR-10", "BR-9", "BR-8", "BR-7"]);
      await product(platform, "BR-NEW", "1.00", 1); // lands before the cursor: later pages do not shift
      const second = await platform.products.search(ANONYMOUS_ACTOR, { sort: "newest", limit: 5, cursor: first.nextCursor });
      expect(second.items.map((h) => h.product.sku)).toEqual(["BR-6", "BR-5", "BR-4", "BR-3", "BR-2"]);
      const inStock: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof platform.products.search>> = await platform.products.search(ANONYMOUS_ACTOR, {
          sort: "price_asc",
          inStockOnly: true,
          limit: 3,
          cursor,
        });
        inStock.push(...page.items.map((h) => h.product.sku));
        cursor = page.nextCursor;
      } while (cursor);
      expect(inStock).toHaveLength(9); // 8 generated in stock + BR-NEW
      const prices = await Promise.all(
        inStock.map(async (sku) => Number((await platform.products.getBySku(ANONYMOUS_ACTOR, { sku: sku })).price.toFixed())),
      );
      expect(prices).toEqual([...prices].sort((a, b) => a - b));
      expect(await codeOf(() => platform.products.search(ANONYMOUS_ACTOR, { sort: "price_asc", cursor: first.nextCursor }))).toBe(
        "invalid_cursor",
      );
    });
  });
});
