import { describe, expect, it } from "vitest";
import {
  AuthenticationError,
  ConfigurationError,
  ConflictError,
  DomainRuleError,
  ForbiddenError,
  GatewayError,
  IdempotencyError,
  NotFoundError,
  RateLimitError,
  StorageError,
  ValidationError,
} from "./errors.js";
import { toHttpError } from "./http-error.js";

describe("toHttpError", () => {
  it("maps each kind to its documented status", () => {
    const cases: [unknown, number][] = [
      [ValidationError.field("amount_precision", "amount", "too many decimals"), 400],
      [new AuthenticationError("session_expired", "no session"), 401],
      [new ForbiddenError("not_author", "not yours"), 403],
      [NotFoundError.of("order_not_found", "order", "ord_1"), 404],
      [new ConflictError("sku_taken", "taken"), 409],
      [new IdempotencyError("idempotency_conflict", "reused"), 409],
      [new DomainRuleError("insufficient_stock", "sold out"), 422],
      [new GatewayError("card_declined", "declined", { provider: "test", retryable: false, declineCode: "insufficient_funds" }), 402],
      [new RateLimitError("too_many_attempts", "slow down", { retryAfterMs: 30_000 }), 429],
      [new GatewayError("gateway_timeout", "timed out", { provider: "test", retryable: true }), 503],
      [new StorageError("storage_unavailable", "lost the database"), 503],
      [new ConfigurationError("unknown_gateway", "gateway stripe is not registered"), 500],
      [new TypeError("x is undefined"), 500],
    ];
    for (const [error, status] of cases) {
      expect(toHttpError(error).status, String(error)).toBe(status);
      expect(toHttpError(error).body.status).toBe(status);
    }
  });

  it("a decline is a 402 from err.status too, never a 5xx a proxy would retry", () => {
    const decline = new GatewayError("card_declined", "declined", { provider: "stripe", retryable: false });
    expect(decline.status).toBe(402);
    expect(new GatewayError("rate_limited", "busy", { provider: "stripe", retryable: true }).status).toBe(503);
  });

  it("sets Retry-After on retryable answers only", () => {
    expect(toHttpError(new RateLimitError("too_many_attempts", "slow down", { retryAfterMs: 1_500 })).headers["retry-after"]).toBe("2");
    expect(toHttpError(new StorageError("storage_unavailable", "down")).headers["retry-after"]).toBe("1");
    expect(toHttpError(new StorageError("storage_unavailable", "down"), { defaultRetryAfterSeconds: 5 }).headers["retry-after"]).toBe("5");
    expect(toHttpError(new GatewayError("gateway_timeout", "t", { provider: "p", retryable: true })).headers["retry-after"]).toBe("1");
    const at = new Date(Date.now() + 60_000).toISOString();
    const locked = new AuthenticationError("too_many_attempts", "locked", { details: { retryAt: at } });
    expect(Number(toHttpError(locked).headers["retry-after"])).toBeGreaterThanOrEqual(59);
    expect(toHttpError(new ConflictError("sku_taken", "dup")).headers["retry-after"]).toBeUndefined();
  });

  it("bodies carry code, message, issues, details and the request id, never a cause or driver text", () => {
    const v = ValidationError.field("invalid_quantity", "lines.0.quantity", "must be positive");
    const { body } = toHttpError(v, { requestId: "req_1" });
    expect(body).toEqual({
      status: 400,
      code: "invalid_quantity",
      kind: "validation",
      message: v.message,
      issues: [{ path: ["lines", "0", "quantity"], message: "must be positive", code: "invalid_quantity" }],
      requestId: "req_1",
    });
    const storage = new StorageError("storage_unavailable", "connect ECONNREFUSED 10.0.0.5:5432", {
      cause: new Error("ECONNREFUSED 10.0.0.5"),
      details: { host: "10.0.0.5" },
    });
    const text = JSON.stringify(toHttpError(storage).body);
    expect(text).not.toContain("10.0.0.5");
    expect(toHttpError(storage).body.code).toBe("storage_unavailable");
    const config = JSON.stringify(
      toHttpError(new ConfigurationError("unknown_gateway", "gateway secret-gw is not registered", { details: { gateway: "secret-gw" } }))
        .body,
    );
    expect(config).not.toContain("secret-gw");
    const unknown = toHttpError(Object.assign(new Error("password=hunter2"), { code: "EPIPE" }), { requestId: "r" });
    expect(unknown.body).toEqual({ status: 500, code: "internal_error", kind: "internal", message: "internal error", requestId: "r" });
  });

  it("keeps a decline's code and reason for the client, never the provider's internals", () => {
    const { body } = toHttpError(
      new GatewayError("card_declined", "your card was declined", {
        provider: "stripe",
        retryable: false,
        declineCode: "insufficient_funds",
      }),
    );
    expect(body.code).toBe("card_declined");
    expect(body.details).toEqual({ retryable: false, declineCode: "insufficient_funds" });
    const outage = toHttpError(
      new GatewayError("gateway_unavailable", "down", {
        provider: "stripe",
        retryable: true,
        details: { requestId: "req_123", statusCode: 500, stripeType: "api_error" },
      }),
    );
    expect(outage.body.details).toEqual({ retryable: true });
  });
});
