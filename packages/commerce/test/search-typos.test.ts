import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ANONYMOUS_ACTOR, commerceStores, makeOn, product } from "./helpers.js";

describe.each(commerceStores())("typo-tolerant search on $name", (store) => {
  beforeAll(() => store.setup());
  afterAll(() => store.teardown());
  async function seeded() {
    const { platform } = makeOn(store);
    await product(platform, "KB-1", "49.99", 5, {
      name: "Wireless Keyboard",
      description: "Quiet keys",
      attributes: { brand: "Logitech" },
    });
    await product(platform, "MS-1", "29.99", 10, { name: "Logitech Mouse", description: "Ergonomic mouse" });
    await product(platform, "HS-1", "19.99", 0, { name: "House Plant", description: "Green and leafy" });
    await product(platform, "RC-1", "9.99", 3, { name: "Rechargeable Lamp", description: "Crème brûlée coloured" });
    await product(platform, "X1-1", "99.00", 1, { name: "Camera X1000", description: "Mirrorless" });
    return platform;
  }
  const skus = async (platform: Awaited<ReturnType<typeof seeded>>, text: string, extra: Record<string, unknown> = {}) =>
    (await platform.products.search(ANONYMOUS_ACTOR, { text, ...extra })).items.map((h) => h.product.sku);

  it("counts a swap of two adjacent letters as one typo: keybaord finds the keyboard", async () => {
    const platform = await seeded();
    expect(await skus(platform, "keybaord")).toEqual(["KB-1"]);
    expect(await skus(platform, "KEYBAORD wireless")).toEqual(["KB-1"]);
    expect(await skus(platform, "Creme BRULEE lmap")).toEqual([]); // "lmap": 4 letters, no typo allowed
    expect(await skus(platform, "Crème brulee rechragable")).toEqual(["RC-1"]); // 12 letters: two typos (a swap and a missing e)
  });

  it("one typo in a multi-word query does not empty the result; budgets follow word length", async () => {
    const platform = await seeded();
    expect(await skus(platform, "logitech mosue")).toEqual(["MS-1"]);
    expect(await skus(platform, "logitehc mouse")).toEqual(["MS-1"]);
    expect(await skus(platform, "kyebaord")).toEqual([]); // two swaps in 8 letters: over the budget of one
    expect(await skus(platform, "mose logitech")).toEqual([]); // 4 letters: no typo
    expect(await skus(platform, "x1001")).toEqual([]); // a word with a digit gets no typo
    expect(await skus(platform, "camera x1000")).toEqual(["X1-1"]);
  });

  it("ranks an exact match above a typo match", async () => {
    const platform = await seeded();
    const hits = (await platform.products.search(ANONYMOUS_ACTOR, { text: "house" })).items;
    expect(hits.map((h) => h.product.sku)).toEqual(["HS-1", "MS-1"]); // "mouse" is one typo from "house"
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
  });

  it("matches the last word as a prefix (from 3 letters), the others as whole words", async () => {
    const platform = await seeded();
    expect(await skus(platform, "wireless keyb")).toEqual(["KB-1"]);
    expect(await skus(platform, "keyb wireless")).toEqual([]);
    expect(await skus(platform, "rechar")).toEqual(["RC-1"]);
  });

  it("keeps filters, sorts and cursors with typos", async () => {
    const platform = await seeded();
    expect(await skus(platform, "mouse", { inStockOnly: true })).toEqual(["MS-1"]); // the house plant is out of stock
    expect(await skus(platform, "house", { sort: "price_desc" })).toEqual(["MS-1", "HS-1"]);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof platform.products.search>> = await platform.products.search(ANONYMOUS_ACTOR, {
        text: "house",
        limit: 1,
        cursor,
      });
      seen.push(...page.items.map((h) => h.product.sku));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(["HS-1", "MS-1"]);
  });
});
