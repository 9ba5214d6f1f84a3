import { describe, expect, it } from "vitest";
import { ConflictError, GatewayError, NotFoundError, ValidationError } from "./errors.js";
import { PlatformError } from "./platform-error.js";

describe("PlatformError", () => {
  it("carries code, kind, details, cause and a JSON view", () => {
    const cause = new Error("socket hang up");
    const e = new GatewayError("gateway_timeout", "timed out", { provider: "stripe", retryable: true, cause });
    expect(e).toBeInstanceOf(PlatformError);
    expect(e.code).toBe("gateway_timeout");
    expect(e.kind).toBe("gateway");
    expect(e.retryable).toBe(true);
    expect(e.cause).toBe(cause);
    expect(e.toJSON()).toMatchObject({ name: "GatewayError", code: "gateway_timeout", details: { provider: "stripe" } });
    expect(JSON.stringify(e)).not.toContain("socket hang up");
  });

  it("is() recognises errors of a second installed copy of the module", async () => {
    // A query string makes Vite load a separate instance of the module: another class identity.
    const spec = "./errors.js?second-copy";
    const copy = (await import(/* @vite-ignore */ spec)) as typeof import("./errors.js");
    const foreign = copy.NotFoundError.of("not_found", "product", "prod_1");
    expect(foreign instanceof NotFoundError).toBe(false);
    expect(PlatformError.is(foreign)).toBe(true);
    expect(PlatformError.is(foreign, "not_found")).toBe(true);
    expect(PlatformError.is(foreign, "conflict")).toBe(false);
    expect(PlatformError.is(new Error("x"))).toBe(false);
    expect(PlatformError.is(null)).toBe(false);
  });

  it("ValidationError names its fields", () => {
    const e = ValidationError.field("invalid_quantity", "items.0.quantity", "must be positive");
    expect(e.code).toBe("invalid_quantity");
    expect(e.issues[0]!.path).toEqual(["items", "0", "quantity"]);
    expect(e.details.fields).toEqual(["items.0.quantity"]);
    expect(new ConflictError("conflict", "dup").status).toBe(409);
  });
});
