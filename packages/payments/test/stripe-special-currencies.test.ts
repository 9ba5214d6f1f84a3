import { ManualClock } from "@platform/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StripeGateway } from "../src/adapters/stripe/index.js";
import { createPaymentSystem } from "../src/index.js";
import { startStripeMockServer, type StripeMockServer } from "../src/testing/index.js";
import { ADMIN, codeOf, paymentStores, type PaymentStoreFixture } from "./helpers.js";

// Stripe's currency special cases (ISK, UGX: zero-decimal, sent as two-decimal integers) through the whole
// system on StripeGateway and the local Stripe server, which enforces the same rule as Stripe.
const KEY = "sk_test_specialcur01";
let server: StripeMockServer;
beforeAll(async () => {
  server = await startStripeMockServer({ secretKey: KEY });
});
afterAll(() => server.close());

function stripeSystem(fixture: PaymentStoreFixture) {
  const gateway = new StripeGateway({ secretKey: KEY, host: server.host, port: server.port, protocol: "http", maxNetworkRetries: 0 });
  const clock = new ManualClock("2026-03-01T12:00:00.000Z");
  return createPaymentSystem({ store: fixture.make(), clock, gateways: { stripe: gateway }, webhooks: { autoDispatch: false } });
}

describe.each(paymentStores())("Stripe's special-case currencies on $name", (fixture) => {
  beforeAll(() => fixture.setup());
  afterAll(() => fixture.teardown());

  it("a UGX payment succeeds at Stripe for its exact amount, and a partial refund follows", async () => {
    const system = stripeSystem(fixture);
    const p = await system.payments.create(ADMIN, {
      amount: { amount: "5000", currency: "UGX" },
      paymentMethod: "pm_card_visa",
      idempotencyKey: "ugx-1",
    });
    expect(p.status).toBe("succeeded");
    expect(server.api.intents.get(p.gatewayTransactionId!)).toMatchObject({ amount: 500000, currency: "ugx", amountReceived: 500000 });
    const r = await system.refunds.create(ADMIN, { paymentId: p.id, amount: { amount: "1500", currency: "UGX" } });
    expect(r.status).toBe("succeeded");
    expect(server.api.intents.get(p.gatewayTransactionId!)!.amountRefunded).toBe(150000);
    expect((await system.payments.get(ADMIN, { paymentId: p.id })).amountRefunded.toJSON()).toEqual({ amount: "1500", currency: "UGX" });
  });

  it("an ISK or UGX amount past Stripe's eight digits (x100) is refused before anything is recorded or sent", async () => {
    const system = stripeSystem(fixture);
    const before = server.requests.length;
    for (const currency of ["ISK", "UGX"]) {
      const input = { amount: { amount: "1000000", currency }, paymentMethod: "pm_card_visa", idempotencyKey: `big-${currency}` };
      expect(await codeOf(() => system.payments.create(ADMIN, input))).toBe("amount_above_gateway_maximum");
    }
    expect(server.requests.slice(before).filter((r) => r.method === "POST")).toEqual([]);
    expect((await system.payments.listByStatus(ADMIN, { status: "failed" })).items).toEqual([]);
  });
});
