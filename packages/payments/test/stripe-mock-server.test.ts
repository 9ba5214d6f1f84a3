import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStripeMockServer, type StripeMockServer } from "../src/testing/index.js";

// The local server is only worth its checks: each one here would let a wrong client through if it were missing.
const KEY = "sk_test_mockserver01";
const VERSION = "2026-10-28.endive";
let server: StripeMockServer;
beforeAll(async () => {
  server = await startStripeMockServer({ secretKey: KEY });
});
afterAll(() => server.close());

async function call(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  const res = await fetch(`http://${server.host}:${server.port}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${KEY}`,
      "stripe-version": VERSION,
      ...(body !== undefined ? { "content-type": "application/x-www-form-urlencoded" } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body } : {}),
  });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, any> };
}
const create = (body: string, key?: string) => call("POST", "/v1/payment_intents", body, key ? { "idempotency-key": key } : {});
const ok =
  "amount=1000&currency=usd&payment_method=pm_card_visa&automatic_payment_methods[enabled]=true&automatic_payment_methods[allow_redirects]=never";

describe("the local Stripe server checks requests as Stripe does", () => {
  it("refuses a missing or wrong key (401), a missing API version, and a JSON body", async () => {
    expect((await call("GET", "/v1/payment_methods/pm_card_visa", undefined, { authorization: "Bearer sk_test_wrongwrong" })).status).toBe(
      401,
    );
    expect((await call("GET", "/v1/payment_methods/pm_card_visa", undefined, { authorization: "Bearer sk_live_abcdefghij" })).status).toBe(
      401,
    );
    const noVersion = await call("GET", "/v1/payment_methods/pm_card_visa", undefined, { "stripe-version": "" });
    expect(noVersion.json.error.code).toBe("api_version_invalid");
    const json = await call("POST", "/v1/payment_intents", JSON.stringify({ amount: 1000, currency: "usd" }), {
      "content-type": "application/json",
    });
    expect(json.status).toBe(400);
  });

  it("wants integer minor units, lower-case currencies, Stripe's minimum, three-decimal amounts ending in 0", async () => {
    expect((await create(ok.replace("amount=1000", "amount=10.00"))).json.error).toMatchObject({
      type: "invalid_request_error",
      code: "parameter_invalid_integer",
      param: "amount",
    });
    expect((await create(ok.replace("currency=usd", "currency=USD"))).json.error).toMatchObject({ param: "currency" });
    expect((await create(ok.replace("amount=1000", "amount=49"))).json.error).toMatchObject({ code: "amount_too_small" });
    expect((await create(ok.replace("amount=1000&currency=usd", "amount=1235&currency=kwd"))).json.error).toMatchObject({
      param: "amount",
    });
    expect((await create(`${ok}&payment_method_types[0]=card`)).json.error).toMatchObject({ code: "parameter_unknown" });
  });

  it("takes ISK and UGX as two-decimal integers divisible by 100 (Stripe's special cases), on create, capture and refund", async () => {
    for (const currency of ["isk", "ugx"]) {
      const body = ok.replace("amount=1000&currency=usd", `amount=150050&currency=${currency}`);
      expect((await create(body)).json.error).toMatchObject({ type: "invalid_request_error", param: "amount" });
      const manual = (await create(`${body.replace("amount=150050", "amount=150000")}&capture_method=manual`)).json;
      expect(manual).toMatchObject({ amount: 150000, currency });
      expect((await call("POST", `/v1/payment_intents/${manual.id}/confirm`, "")).json.status).toBe("requires_capture");
      const part = await call("POST", `/v1/payment_intents/${manual.id}/capture`, "amount_to_capture=100050");
      expect(part.json.error).toMatchObject({ param: "amount_to_capture" });
      expect((await call("POST", `/v1/payment_intents/${manual.id}/capture`, "amount_to_capture=100000")).json.status).toBe("succeeded");
      expect((await call("POST", "/v1/refunds", `payment_intent=${manual.id}&amount=50`)).json.error).toMatchObject({ param: "amount" });
      expect((await call("POST", "/v1/refunds", `payment_intent=${manual.id}&amount=500`)).json).toMatchObject({ amount: 500 });
    }
  });

  it("replays the first answer for a key, refuses the key with other parameters, and keeps no result for refused parameters", async () => {
    const first = await create(ok, "k-replay-1");
    const again = await create(ok, "k-replay-1");
    expect(again.json.id).toBe(first.json.id);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    const other = await create(ok.replace("amount=1000", "amount=2000"), "k-replay-1");
    expect(other.status).toBe(400);
    expect(other.json.error.type).toBe("idempotency_error");
    expect((await create(ok.replace("amount=1000", "amount=1"), "k-replay-2")).status).toBe(400);
    expect((await create(ok, "k-replay-2")).status).toBe(200);
  });

  it("answers a decline with 402 card_error, decline_code and the PaymentIntent; 3-D Secure with next_action", async () => {
    const pi = (await create(ok.replace("pm_card_visa", "pm_card_chargeDeclined"))).json;
    const declined = await call("POST", `/v1/payment_intents/${pi.id}/confirm`, "");
    expect(declined.status).toBe(402);
    expect(declined.json.error).toMatchObject({
      type: "card_error",
      code: "card_declined",
      decline_code: "generic_decline",
      payment_intent: { id: pi.id, status: "requires_payment_method" },
    });

    const sca = (await create(ok.replace("pm_card_visa", "pm_card_threeDSecure2Required"))).json;
    const confirmed = await call("POST", `/v1/payment_intents/${sca.id}/confirm`, "");
    expect(confirmed.json).toMatchObject({
      status: "requires_action",
      next_action: { type: "use_stripe_sdk" },
      client_secret: expect.stringMatching(new RegExp(`^${sca.id}_secret_`)),
    });
    server.completeAction(sca.id, "succeed");
    expect((await call("GET", `/v1/payment_intents/${sca.id}`)).json.status).toBe("succeeded");
  });

  it("needs a return_url to confirm an intent that allows redirects", async () => {
    const pi = (await create("amount=1000&currency=usd&payment_method=pm_card_visa")).json;
    expect((await call("POST", `/v1/payment_intents/${pi.id}/confirm`, "")).json.error).toMatchObject({ param: "return_url" });
    expect((await call("POST", `/v1/payment_intents/${pi.id}/confirm`, "return_url=https%3A%2F%2Fshop.example%2Fdone")).json.status).toBe(
      "succeeded",
    );
  });

  it("simulates 429 and 500 before acting, and a lost response after acting", async () => {
    server.injectFault({ operation: "create", kind: "rate_limit" });
    expect((await create(ok)).status).toBe(429);
    server.injectFault({ operation: "create", kind: "server_error" });
    expect((await create(ok)).status).toBe(500);
    const before = server.api.intents.size;
    server.injectFault({ operation: "create", kind: "lost_response" });
    await expect(create(ok, "k-lost-1")).rejects.toThrow();
    expect(server.api.intents.size).toBe(before + 1);
    expect((await create(ok, "k-lost-1")).headers.get("idempotent-replayed")).toBe("true");
  });
});
