import { z } from "zod";
import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors/errors.js";
import { createId } from "../ids/id.js";
import { Money } from "../money/money.js";
import { parse } from "./parse.js";
import { recordSchema } from "./record-schema.js";
import { emailSchema, idSchema, moneyInputSchema, positiveMoneySchema, quantitySchema, urlSchema, withErrorCode } from "./schemas.js";

function fail(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error("expected a ValidationError");
}

describe("parse", () => {
  const schema = z.object({ email: emailSchema, quantity: quantitySchema(), price: moneyInputSchema });

  it("returns the typed, normalised value", () => {
    const v = parse(schema, { email: "  John@Example.COM ", quantity: 2, price: { amount: "29.99", currency: "usd" } });
    expect(v.email).toBe("john@example.com");
    expect(v.price).toBeInstanceOf(Money);
    expect(v.price.toString()).toBe("29.99 USD");
  });

  it("reports every bad field with its path", () => {
    const e = fail(() => parse(schema, { email: "nope", quantity: 0, price: { amount: "1", currency: "USD" } }));
    expect(e.code).toBe("validation_failed");
    expect(e.issues.map((i) => i.path.join("."))).toEqual(["email", "quantity"]);
  });

  it("keeps money's own codes and field", () => {
    expect(fail(() => parse(moneyInputSchema, { amount: "1.001", currency: "USD" })).code).toBe("amount_precision");
    const unknown = fail(() => parse(moneyInputSchema, { amount: "1", currency: "ABC" }));
    expect(unknown.code).toBe("unknown_currency");
    expect(unknown.issues[0]!.path).toEqual(["currency"]);
    expect(fail(() => parse(positiveMoneySchema, { amount: "0", currency: "USD" })).code).toBe("amount_not_positive");
    expect(fail(() => parse(positiveMoneySchema, { amount: "-5", currency: "USD" })).code).toBe("amount_not_positive");
  });

  it("refuses amounts past the digit limit with amount_too_large instead of rounding them", () => {
    const huge = { amount: "9".repeat(61) + ".99", currency: "USD" };
    expect(fail(() => parse(moneyInputSchema, huge)).code).toBe("amount_too_large");
    expect(fail(() => parse(positiveMoneySchema, huge)).code).toBe("amount_too_large");
    expect(fail(() => parse(moneyInputSchema, { amount: 1e300, currency: "USD" })).code).toBe("amount_too_large");
    expect(parse(moneyInputSchema, { amount: "9999999999999999.99", currency: "USD" }).toFixed()).toBe("9999999999999999.99");
  });

  it("takes a Money instance wherever it takes money input, unchanged", () => {
    const m = Money.of("12.30", "EUR");
    const parsed = parse(positiveMoneySchema, m);
    expect(parsed).toBeInstanceOf(Money);
    expect(parsed.equals(m)).toBe(true);
    expect(parse(z.object({ price: moneyInputSchema }), { price: Money.of("1000", "JPY") }).price.toFixed()).toBe("1000");
    expect(fail(() => parse(positiveMoneySchema, Money.zero("USD"))).code).toBe("amount_not_positive");
    // Only decimal-like amounts join strings and numbers: an arbitrary object is still refused.
    expect(fail(() => parse(moneyInputSchema, { amount: { toFixed: 1 }, currency: "USD" })).code).toBe("validation_failed");
  });

  it("checks urls and ids", () => {
    expect(fail(() => parse(urlSchema({ httpsOnly: true }), "http://example.com")).code).toBe("invalid_url");
    expect(parse(urlSchema(), "https://example.com/a.png")).toBe("https://example.com/a.png");
    expect(fail(() => parse(urlSchema(), "javascript:alert(1)")).code).toBe("invalid_url");
    expect(parse(idSchema("ord"), createId("ord"))).toMatch(/^ord_/);
    expect(fail(() => parse(idSchema("ord"), createId("usr"))).code).toBe("invalid_id");
  });

  it("gives built-in checks a code of their own, with the field path", () => {
    const schema = z.object({ items: z.array(z.object({ quantity: withErrorCode(z.number().int().positive(), "invalid_quantity") })) });
    const e = fail(() => parse(schema, { items: [{ quantity: 1 }, { quantity: 1.5 }] }));
    expect(e.code).toBe("invalid_quantity");
    expect(e.issues[0]!.path).toEqual(["items", 1, "quantity"]);
    expect(parse(schema, { items: [{ quantity: 3 }] }).items[0]!.quantity).toBe(3);
  });
});

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as ValidationError).code;
  }
  return "no_error";
}

describe("parse refuses text no store can keep", () => {
  const schema = z.object({
    name: z.string(),
    meta: z.record(z.string(), z.string()),
    tags: z.array(z.string()),
    price: moneyInputSchema.optional(),
  });

  it("NUL is nul_character and an unpaired surrogate invalid_text, anywhere in the value, with its path", () => {
    expect(fail(() => parse(schema, { name: "a\u0000b", meta: {}, tags: [] }))).toMatchObject({
      code: "nul_character",
      details: { fields: ["name"] },
    });
    expect(fail(() => parse(schema, { name: "ok", meta: { note: "x\uD800" }, tags: [] }))).toMatchObject({
      code: "invalid_text",
      details: { fields: ["meta.note"] },
    });
    expect(fail(() => parse(schema, { name: "ok", meta: { "k\uDC00": "v" }, tags: [] }))).toMatchObject({
      code: "invalid_text",
      details: { fields: ["meta.k\uDC00"] },
    });
    expect(fail(() => parse(schema, { name: "ok", meta: {}, tags: ["fine", "\uDBFF"] }))).toMatchObject({
      code: "invalid_text",
      details: { fields: ["tags.1"] },
    });
    const both = fail(() => parse(schema, { name: "\u0000", meta: { a: "\uD800" }, tags: [] }));
    expect(both.code).toBe("validation_failed");
    expect(both.issues.map((i) => i.code).sort()).toEqual(["invalid_text", "nul_character"]);
  });

  it("keeps paired surrogates (emoji), Money and other values as they are", () => {
    const value = parse(schema, { name: "\uD83D\uDE00 ok", meta: { "\uD83D\uDE00": "\u00E9" }, tags: [], price: Money.of("1.00", "USD") });
    expect(value.name).toBe("\uD83D\uDE00 ok");
    expect(value.price?.toFixed()).toBe("1.00");
  });
});

describe("recordSchema", () => {
  const schema = recordSchema(z.string().trim().min(1).max(20), z.string().max(3));

  it("keeps every key exactly, __proto__ included, in an object without prototype", () => {
    const out = parse(schema, JSON.parse('{"__proto__":"a","constructor":"b"," c ":"d"}'));
    expect(Object.getPrototypeOf(out)).toBeNull();
    expect(Object.entries(out)).toEqual([
      ["__proto__", "a"],
      ["constructor", "b"],
      ["c", "d"],
    ]);
    expect(parse(schema, {}).toString).toBeUndefined();
  });

  it("names the bad key in each issue and refuses keys equal after normalisation", () => {
    const err = (() => {
      try {
        parse(schema, { ok: "abcd", ["x".repeat(21)]: "a" });
      } catch (e) {
        return e as ValidationError;
      }
      throw new Error("parsed");
    })();
    expect(err.issues.map((i) => i.path)).toEqual([["ok"], ["x".repeat(21)]]);
    expect(codeOf(() => parse(schema, { a: "1", " a": "2" }))).toBe("duplicate_key");
    expect(codeOf(() => parse(schema, ["a"]))).toBe("validation_failed");
    expect(codeOf(() => parse(schema, new Map()))).toBe("validation_failed");
  });
});
