import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { PlatformError } from "@platform/core";
import type { IsolatedDatabase } from "@platform/core/testing";
import { codeOf, commerceStores, makePlatform, product, ANONYMOUS_ACTOR } from "./helpers.js";
import { migratedDatabase, storeOn, truncateCommerce } from "./postgres-helpers.js";

let db: IsolatedDatabase;
beforeAll(async () => {
  db = await migratedDatabase(inject("databaseUrl"));
});
afterAll(() => db?.drop());

// unaccent() turns these letters into tsquery syntax: ʼ (U+02BC) and ˈ (U+02C8) into ', ŉ into 'n.
const HOSTILE = [
  "\u02BC",
  "\u02C8",
  "\u0149",
  "d\u02BCartagnan",
  "rock \u0149 roll",
  "\u02BC\u02BC\u02BC",
  "a\u02C8b:c",
  "'",
  "''",
  '"',
  "a'b",
  "o'brien",
  ":",
  "a:b",
  ":*",
  "a:*",
  "\\",
  "a\\",
  "\\'",
  "'\\",
  "a\\:b",
  "&|!():*",
  "a & b | !c",
  "(a",
  "a)",
  "!",
  "<->",
  "<1>",
  "a <-> b",
  "\uFFFD",
  "\u200B",
  "\u0301",
  "\u00A0mouse",
  "\uD83D\uDE00",
];
// Unpaired surrogates: no store could keep such text, so every input refuses it (invalid_text).
const LONE_SURROGATES = ["\uD800", "a\uDC00b", "\uDBFF\uD800", "mouse \uD83D"];

describe.each(commerceStores())("search input on $name", (store) => {
  beforeAll(() => store.setup());
  afterAll(() => store.teardown());

  it("answers every hostile text (letters unaccent turns into quotes or colons, operators, backslashes) with a page", async () => {
    const { platform } = makePlatform({ store: store.make() });
    const sword = await product(platform, "SWORD-1", "20.00", 1, {
      name: "D\u02BCArtagnan Sword",
      description: "rock \u0149 roll replica",
    });
    for (const text of HOSTILE) {
      const page = await platform.products.search(ANONYMOUS_ACTOR, { text });
      expect(Array.isArray(page.items)).toBe(true);
    }
    // The letters still find what holds them.
    expect((await platform.products.search(ANONYMOUS_ACTOR, { text: "d\u02BCartagnan" })).items.map((h) => h.product.id)).toEqual([
      sword.id,
    ]);
    expect((await platform.products.search(ANONYMOUS_ACTOR, { text: "sword \u0149" })).items.map((h) => h.product.id)).toEqual([sword.id]);
  });

  it("refuses NUL (nul_character) and unpaired surrogates (invalid_text) in the search text or an attribute filter", async () => {
    const { platform } = makePlatform({ store: store.make() });
    for (const text of LONE_SURROGATES)
      expect(await codeOf(() => platform.products.search(ANONYMOUS_ACTOR, { text })), JSON.stringify(text)).toBe("invalid_text");
    expect(await codeOf(() => platform.products.search(ANONYMOUS_ACTOR, { text: "mouse\u0000" }))).toBe("nul_character");
    expect(await codeOf(() => platform.products.search(ANONYMOUS_ACTOR, { text: "\u0000" }))).toBe("nul_character");
    expect(await codeOf(() => platform.products.search(ANONYMOUS_ACTOR, { attributes: { brand: "x\u0000" } }))).toBe("nul_character");
    expect(await codeOf(() => platform.products.search(ANONYMOUS_ACTOR, { attributes: { "b\u0000": "x" } }))).toBe("nul_character");
  });
});

describe("search input on PostgreSQL, property", () => {
  it("no text, however random, produces anything but a page or a PlatformError", async () => {
    await truncateCommerce(db);
    const { platform } = makePlatform({ store: storeOn(db) });
    await product(platform, "PROP-1", "5.00", 1, { name: "Crème D\u02BCor \u0149 \\ : ' mouse" });
    const piece = fc.oneof(
      fc.string({ unit: "binary", maxLength: 12 }),
      fc.constantFrom(...HOSTILE, ...LONE_SURROGATES, "\u0000", " ", "-", "ä", "ß", "İ", "ǅ", "ﬁ", "①", "㎏"),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 6 }), async (pieces) => {
        const text = pieces.join("");
        try {
          await platform.products.search(ANONYMOUS_ACTOR, { text });
        } catch (e) {
          if (!PlatformError.is(e)) throw e;
          // The only refusals: NUL, unpaired surrogates, and text longer than the schema allows.
          expect(["nul_character", "invalid_text", "validation_failed"]).toContain(e.code);
        }
      }),
      { numRuns: 300 },
    );
  });
});
