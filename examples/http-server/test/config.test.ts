import { PlatformError } from "@platform/core";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { createServices } from "../src/services.js";

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (PlatformError.is(e)) return e.code;
    throw e;
  }
  throw new Error("expected a PlatformError");
}

describe("server configuration fails closed", () => {
  it("takes payments only through a gateway named in the environment, and never the test gateway in production", () => {
    expect(codeOf(() => loadConfig({}))).toBe("payments_gateway_missing");
    expect(codeOf(() => loadConfig({ PAYMENTS_GATEWAY: "paypal" }))).toBe("payments_gateway_unknown");
    expect(codeOf(() => loadConfig({ PAYMENTS_GATEWAY: "test", NODE_ENV: "production" }))).toBe("test_gateway_in_production");
    expect(loadConfig({ PAYMENTS_GATEWAY: "test" }).payments).toEqual({ gateway: "test" });
    // Stripe without a key: refused when the services are built, before any request is served.
    expect(codeOf(() => createServices(loadConfig({ PAYMENTS_GATEWAY: "stripe", NODE_ENV: "production" })))).toBe(
      "stripe_secret_key_missing",
    );
  });

  it("refuses a short admin token and a bad port", () => {
    expect(codeOf(() => loadConfig({ PAYMENTS_GATEWAY: "test", ADMIN_TOKEN: "admin" }))).toBe("weak_admin_token");
    expect(codeOf(() => loadConfig({ PAYMENTS_GATEWAY: "test", PORT: "http" }))).toBe("invalid_port");
    expect(loadConfig({ PAYMENTS_GATEWAY: "test" })).toMatchObject({
      port: 3000,
      host: "127.0.0.1",
      adminToken: undefined,
      databaseUrl: undefined,
    });
  });
});
