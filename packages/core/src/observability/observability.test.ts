import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors/errors.js";
import { EventBus } from "../events/event-bus.js";
import { createEvent } from "../events/domain-event.js";
import { systemClock } from "../clock/clock.js";
import { PostgresStore } from "../postgres/postgres-store.js";
import type { PoolLike } from "../postgres/queryable.js";
import { isSecretField, redact, redactText, REDACTED } from "./redact.js";
import { writeLog, type Logger } from "./logger.js";
import { callAttributes, traceService, traceTransactions } from "./service-tracing.js";
import { withSpan } from "./tracing.js";

function capture(): { logger: Logger; lines: { level: string; fields: Record<string, unknown>; message: string }[] } {
  const lines: { level: string; fields: Record<string, unknown>; message: string }[] = [];
  const at = (level: string) => (fields: Record<string, unknown>, message: string) => void lines.push({ level, fields, message });
  return { lines, logger: { error: at("error"), warn: at("warn"), info: at("info"), debug: at("debug") } };
}

describe("redaction", () => {
  it("replaces every known secret field, at any depth and in any casing", () => {
    const input = {
      email: "a@example.com",
      password: "hunter2",
      newPassword: "hunter3",
      token: "t0k3n",
      sessionToken: "s3ss",
      secret: "whsec_abcdefabcdef",
      signingSecret: "s1gn",
      clientSecret: "pi_1_secret_2",
      cursorSecret: "c".repeat(40),
      apiKey: "k",
      "x-api-key": "k2",
      authorization: "Bearer abc",
      paymentMethod: "pm_card_visa",
      paymentToken: "tok_visa",
      cardNumber: "4242424242424242",
      cvc: "123",
      nested: { deeper: [{ password: "p", secretKey: "sk_live_abcdefgh" }] },
      orderId: "ord_1",
      idempotencyKey: "checkout-1",
    };
    const out = redact(input) as Record<string, unknown>;
    for (const key of Object.keys(input).filter((k) => !["email", "nested", "orderId", "idempotencyKey"].includes(k)))
      expect(out[key], key).toBe(REDACTED);
    expect(out.nested).toEqual({ deeper: [{ password: REDACTED, secretKey: REDACTED }] });
    expect(out).toMatchObject({ email: "a@example.com", orderId: "ord_1", idempotencyKey: "checkout-1" });
    expect(isSecretField("customerId")).toBe(false);
  });

  it("scrubs credential-looking text: provider keys, webhook secrets, bearer tokens, card numbers, URL passwords, payment tokens", () => {
    const text = redactText(
      "key sk_live_51HxYzAbCdEf secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw auth Bearer eyJhbGciOiJIUzI1NiJ9.x card 4242 4242 4242 4242 " +
        "db postgres://app:pa55word@db:5432/x pm pm_card_visa tok tok_1Abc client pi_123_secret_456 order 1764300000000",
    );
    for (const secret of [
      "sk_live_51HxYzAbCdEf",
      "whsec_MfKQ9r8G",
      "eyJhbGciOiJIUzI1NiJ9",
      "4242 4242 4242 4242",
      "pa55word",
      "pm_card_visa",
      "tok_1Abc",
      "pi_123_secret_456",
    ])
      expect(text).not.toContain(secret);
    // A millisecond timestamp is not a card number (it fails the Luhn check).
    expect(text).toContain("1764300000000");
  });

  it("writeLog copies the error code to the top level, never throws, and redacts fields", () => {
    const { logger, lines } = capture();
    writeLog(
      logger,
      "warn",
      "failed",
      { deliveryId: "whd_1", signature: "v1,abc" },
      new ValidationError("bad_thing", "bad sk_test_abcdefgh"),
    );
    expect(lines[0]).toMatchObject({
      level: "warn",
      message: "failed",
      fields: { code: "bad_thing", deliveryId: "whd_1", signature: REDACTED, err: { code: "bad_thing", kind: "validation" } },
    });
    expect(JSON.stringify(lines)).not.toContain("sk_test_abcdefgh");
    const broken: Logger = {
      ...logger,
      error: () => {
        throw new Error("logger down");
      },
    };
    expect(() => writeLog(broken, "error", "x", {}, new Error("y"))).not.toThrow();
  });
});

describe("swallowed errors become log lines", () => {
  it("event bus: a subscriber failure goes to the logger with the event type and id", () => {
    const { logger, lines } = capture();
    const bus = new EventBus<{ "thing.happened": { id: string } }>({ logger });
    bus.on("thing.happened", () => {
      throw new ValidationError("subscriber_failed", "nope");
    });
    const event = createEvent("thing.happened", { id: "x" }, systemClock);
    bus.publish([event]);
    expect(lines).toEqual([
      {
        level: "error",
        message: "event subscriber failed",
        fields: expect.objectContaining({ code: "subscriber_failed", eventType: "thing.happened", eventId: event.id }),
      },
    ]);
  });

  it("PostgreSQL store: an idle-connection error of the pool is logged, not a crash", () => {
    const { logger, lines } = capture();
    const pool = Object.assign(new EventEmitter(), {
      query: async () => ({ rows: [], rowCount: 0 }),
      connect: async () => {
        throw new Error("unused");
      },
    }) as unknown as PoolLike & EventEmitter;
    class Store extends PostgresStore<object> {
      protected createTransaction(): object {
        return {};
      }
    }
    new Store(pool).setLogger(logger);
    pool.emit("error", Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }));
    expect(lines).toEqual([
      { level: "error", message: "idle PostgreSQL connection failed", fields: expect.objectContaining({ code: "57P01", store: "Store" }) },
    ]);
  });
});

describe("tracing helpers without a registered provider", () => {
  it("withSpan and traceService pass results and errors through unchanged", async () => {
    expect(withSpan("core.test", {}, () => 41 + 1)).toBe(42);
    await expect(
      withSpan("core.test", {}, async () => {
        throw new ValidationError("some_code", "x");
      }),
    ).rejects.toMatchObject({ code: "some_code" });
    class Service {
      #secret = 2;
      get factor(): number {
        return this.#secret;
      }
      async double(n: number): Promise<number> {
        return n * this.#secret;
      }
    }
    const traced = traceService(new Service(), "core.service");
    expect(await traced.double(21)).toBe(42);
    // Getters and methods run on the object itself, so private fields keep working.
    expect(traced.factor).toBe(2);
  });

  it("make no span and read no argument or result: the call costs what the call costs", async () => {
    let reads = 0;
    const counted = () =>
      // Promise resolution looks for `then` on any object: every other read is the tracer's.
      new Proxy({ customerId: "cus_abcdef" }, { get: (target, key) => ((reads += key === "then" ? 0 : 1), Reflect.get(target, key)) });
    class Service {
      async echo(input: object): Promise<object> {
        return counted() ?? input;
      }
    }
    const traced = traceService(new Service(), "core.service");
    await traced.echo(counted());
    await traceTransactions({ transaction: async (work: () => Promise<unknown>) => work() }, "core").transaction(async () => counted());
    expect(reads).toBe(0);
  });

  it("a counted method reads no argument and only the result's money and currency (the counter's attribute)", async () => {
    const reads: string[] = [];
    const watched = (name: string, value: object) =>
      new Proxy(value, { get: (target, key) => (key !== "then" && reads.push(`${name}.${String(key)}`), Reflect.get(target, key)) });
    class Service {
      async place(input: object): Promise<object> {
        return watched("result", { id: "ord_abcdef", customerId: "cus_abcdef", currency: "EUR", secret: "x" }) ?? input;
      }
    }
    const traced = traceService(new Service(), "core.service", { counters: { place: "platform.test.counted" } });
    await traced.place(watched("input", { customerId: "cus_abcdef", paymentToken: "tok_x" }));
    expect(new Set(reads)).toEqual(new Set(["result.total", "result.amount", "result.currency"]));
  });

  it("call attributes come from an allow-list: ids by field or prefix and money, never other fields", () => {
    const attrs = callAttributes([
      { customerId: "cus_abcdef", password: "hunter2", paymentMethod: "pm_card_visa", amount: { amount: "9.99", currency: "EUR" } },
      "ord_abcdef123",
      "tok_abcdef123",
    ]);
    expect(attrs).toEqual({
      "platform.customer.id": "cus_abcdef",
      "platform.amount": "9.99",
      "platform.currency": "EUR",
      "platform.order.id": "ord_abcdef123",
    });
  });
});
