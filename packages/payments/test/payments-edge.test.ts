import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GatewayError } from "@platform/core";
import { TestGateway, toPaymentJSON, type PaymentGateway } from "../src/index.js";
import { codeOf, makeSystem, usd, paymentStores } from "./helpers.js";
import { ADMIN } from "./helpers.js";

describe.each(paymentStores())("gateway failures after authorisation on $name", (fixture) => {
  beforeAll(() => fixture.setup());
  afterAll(() => fixture.teardown());
  it("a capture the gateway refuses throws, keeps requires_capture, logs a failure, and replays the same error", async () => {
    const { system, gateway } = makeSystem({ store: fixture.make() });
    const p = await system.payments.create(ADMIN, { amount: usd("50"), paymentMethod: "pm_card_visa", captureMethod: "manual" });
    gateway.injectFault({ operation: "capture", kind: "unavailable" });
    const events: string[] = [];
    system.events.onAny((e) => events.push(e.type));
    expect(await codeOf(() => system.payments.capture(ADMIN, { paymentId: p.id, idempotencyKey: "cap-1" }))).toBe("gateway_unavailable");
    const after = await system.payments.get(ADMIN, { paymentId: p.id });
    expect(after.status).toBe("requires_capture");
    expect(after.lastError?.code).toBe("gateway_unavailable");
    expect(events).toEqual(["payment.capture_failed"]);
    expect(await codeOf(() => system.payments.capture(ADMIN, { paymentId: p.id, idempotencyKey: "cap-1" }))).toBe("gateway_unavailable");
    expect(gateway.calls.capture).toBe(1);
    const ok = await system.payments.capture(ADMIN, { paymentId: p.id, idempotencyKey: "cap-2" });
    expect(ok.status).toBe("succeeded");
    const types = (await system.transactions.listByPayment(ADMIN, { paymentId: p.id })).items.map((t) => t.type);
    expect(types).toEqual(["authorization", "failure", "capture"]);
  });

  it("a void the gateway refuses throws and keeps the authorisation", async () => {
    const { system, gateway } = makeSystem({ store: fixture.make() });
    const p = await system.payments.create(ADMIN, { amount: usd("50"), paymentMethod: "pm_card_visa", captureMethod: "manual" });
    gateway.injectFault({ operation: "void", kind: "unavailable" });
    expect(await codeOf(() => system.payments.cancel(ADMIN, { paymentId: p.id }))).toBe("gateway_unavailable");
    expect((await system.payments.get(ADMIN, { paymentId: p.id })).status).toBe("requires_capture");
    expect((await system.payments.cancel(ADMIN, { paymentId: p.id })).status).toBe("canceled");
  });

  it("timeout-after-charge with manual capture reconciles to requires_capture, then captures", async () => {
    const { system, gateway, clock } = makeSystem({ store: fixture.make() });
    const p = await system.payments.create(ADMIN, {
      amount: usd("12"),
      paymentMethod: "pm_card_timeoutAfterCharge",
      captureMethod: "manual",
    });
    expect(p.status).toBe("processing");
    clock.advance({ minutes: 1 });
    const r = await system.payments.reconcile(ADMIN, { paymentId: p.id });
    expect(r!.status).toBe("requires_capture");
    expect(r!.authorizationExpiresAt).toBeDefined();
    expect((await system.payments.capture(ADMIN, { paymentId: p.id })).status).toBe("succeeded");
    expect(gateway.chargeCount(p.id)).toBe(1);
  });

  it("an adapter that throws a raw error is mapped at the edge to an ambiguous gateway_error", async () => {
    const inner = new TestGateway();
    const broken: PaymentGateway = {
      describePaymentMethod: (pm) => inner.describePaymentMethod(pm),
      authorize: async () => {
        throw new TypeError("connect ECONNREFUSED 10.20.30.40:8443");
      },
      capture: (r) => inner.capture(r),
      void: (r) => inner.void(r),
      refund: (r) => inner.refund(r),
      retrieve: async () => ({ status: "not_found" }),
    };
    const { system, clock } = makeSystem({
      store: fixture.make(),
      gateways: { broken, test: new TestGateway() },
      defaultGateway: "broken",
      fallback: ["test"],
    });
    const p = await system.payments.create(ADMIN, { amount: usd("5"), paymentMethod: "pm_card_visa" });
    // Ambiguous: never retried on the fallback gateway, left for reconcile.
    expect(p.status).toBe("processing");
    expect(p.lastError?.code).toBe("gateway_error");
    // The raw text (an internal address here) is kept out of what the API stores and returns.
    expect(JSON.stringify([p, await system.transactions.listByPayment(ADMIN, { paymentId: p.id })])).not.toMatch(
      /10\.20\.30\.40|ECONNREFUSED/,
    );
    expect(p.gateway).toBe("broken");
    clock.advance({ minutes: 1 });
    // Not found at the gateway: re-sent there (never elsewhere); still no answer, so still processing.
    const r = await system.payments.reconcile(ADMIN, { paymentId: p.id });
    expect(r!.status).toBe("processing");
    expect(r!.gateway).toBe("broken");
    expect(r!.lastError?.code).toBe("gateway_error");
    expect(() => system.gateways.get("nope")).toThrowError(expect.objectContaining({ code: "unknown_gateway" }));
    expect(new GatewayError("x", "y", { provider: "p", retryable: false }).code).toBe("x");
  });
});

describe.each(paymentStores())("reviews and cancellation before charging on $name", (fixture) => {
  beforeAll(() => fixture.setup());
  afterAll(() => fixture.teardown());
  it("a payment held for review can be canceled; an approved one can still be declined by the gateway", async () => {
    const { system, gateway } = makeSystem({ store: fixture.make() });
    await system.fraud.addRule(ADMIN, { rule: "review if amount >= 100 USD" });
    const held = await system.payments.create(ADMIN, { amount: usd("100"), paymentMethod: "pm_card_visa" });
    const canceled = await system.payments.cancel(ADMIN, { paymentId: held.id, reason: "abandoned" });
    expect(canceled.status).toBe("canceled");
    expect(canceled.review?.status).toBe("rejected");
    const declined = await system.payments.create(ADMIN, { amount: usd("150"), paymentMethod: "pm_card_chargeDeclined" });
    expect(declined.status).toBe("created");
    const after = await system.payments.approveReview(ADMIN, { paymentId: declined.id, note: "looks fine" });
    expect(after.status).toBe("failed");
    expect(after.failure?.code).toBe("card_declined");
    expect(gateway.calls.authorize).toBe(1);
  });

  it("card fingerprint velocity counts one card across tokens and customers", async () => {
    const { system } = makeSystem({ store: fixture.make() });
    await system.fraud.addRule(ADMIN, { rule: "block if payments_per_card_daily >= 2" });
    const a = await system.payments.create(ADMIN, { amount: usd("5"), paymentMethod: "pm_card_visa", customer: { id: "c1" } });
    const b = await system.payments.create(ADMIN, { amount: usd("5"), paymentMethod: "pm_card_visa", customer: { id: "c2" } });
    const c = await system.payments.create(ADMIN, { amount: usd("5"), paymentMethod: "pm_card_visa", customer: { id: "c3" } });
    const other = await system.payments.create(ADMIN, { amount: usd("5"), paymentMethod: "pm_card_mastercard", customer: { id: "c3" } });
    expect([a.status, b.status, c.status, other.status]).toEqual(["succeeded", "succeeded", "failed", "succeeded"]);
    expect(c.failure?.code).toBe("fraud_blocked");
  });
});

describe.each(paymentStores())("text no store can keep on $name", (fixture) => {
  beforeAll(() => fixture.setup());
  afterAll(() => fixture.teardown());
  it("refuses an unpaired surrogate or NUL in any text of a payment before anything is charged or stored, on every store", async () => {
    const { system, gateway } = makeSystem({ store: fixture.make() });
    const attempts: [Record<string, unknown>, string][] = [
      [{ metadata: { note: "a\uD800" } }, "invalid_text"],
      [{ metadata: { "k\uD800": "v" } }, "invalid_text"],
      [{ orderId: "o\uDC00" }, "invalid_text"],
      [{ description: "d\uD800" }, "invalid_text"],
      [{ metadata: { note: "a\u0000" } }, "nul_character"],
    ];
    for (const [extra, code] of attempts) {
      expect(
        await codeOf(() => system.payments.create(ADMIN, { amount: usd("1.00"), paymentMethod: "pm_card_visa", ...extra })),
        JSON.stringify(extra),
      ).toBe(code);
    }
    expect(gateway.calls.authorize).toBe(0);
    for (const status of ["created", "processing", "succeeded", "failed"] as const)
      expect((await system.payments.listByStatus(ADMIN, { status })).items).toEqual([]);
  });
});

describe.each(paymentStores())("amount limits and Money inputs on $name", (fixture) => {
  beforeAll(() => fixture.setup());
  afterAll(() => fixture.teardown());
  it("refuses amounts above maxAmount (default 99,999,999 minor units) on create, capture and refund, changing nothing", async () => {
    const { system, gateway } = makeSystem({ store: fixture.make() });
    expect(await codeOf(() => system.payments.create(ADMIN, { amount: usd("1000000.00"), paymentMethod: "pm_card_visa" }))).toBe(
      "amount_too_large",
    );
    expect(
      await codeOf(() =>
        system.payments.create(ADMIN, { amount: { amount: "100000000", currency: "JPY" }, paymentMethod: "pm_card_visa" }),
      ),
    ).toBe("amount_too_large");
    expect(await codeOf(() => system.payments.create(ADMIN, { amount: usd("9".repeat(61) + ".99"), paymentMethod: "pm_card_visa" }))).toBe(
      "amount_too_large",
    );
    expect(gateway.calls.authorize).toBe(0);
    expect((await system.payments.listByStatus(ADMIN, { status: "failed" })).items).toHaveLength(0);

    const p = await system.payments.create(ADMIN, { amount: usd("999999.99"), paymentMethod: "pm_card_visa", captureMethod: "manual" });
    expect(p.status).toBe("requires_capture");
    expect(await codeOf(() => system.payments.capture(ADMIN, { paymentId: p.id, amount: usd("1000000.00") }))).toBe("amount_too_large");
    expect((await system.payments.get(ADMIN, { paymentId: p.id })).status).toBe("requires_capture");
    const captured = await system.payments.capture(ADMIN, { paymentId: p.id });
    expect(await codeOf(() => system.refunds.create(ADMIN, { paymentId: captured.id, amount: usd("1000000.00") }))).toBe(
      "amount_too_large",
    );
    expect((await system.payments.get(ADMIN, { paymentId: p.id })).amountRefunded.isZero()).toBe(true);
  });

  it("maxAmount is configurable and checked at construction", async () => {
    const { system } = makeSystem({ store: fixture.make(), maxAmount: 5_000 });
    expect(await codeOf(() => system.payments.create(ADMIN, { amount: usd("50.01"), paymentMethod: "pm_card_visa" }))).toBe(
      "amount_too_large",
    );
    expect((await system.payments.create(ADMIN, { amount: usd("50.00"), paymentMethod: "pm_card_visa" })).status).toBe("succeeded");
    const { system: big } = makeSystem({ store: fixture.make(), maxAmount: 10n ** 17n });
    expect((await big.payments.create(ADMIN, { amount: usd("1000000.00"), paymentMethod: "pm_card_visa" })).status).toBe("succeeded");
    for (const maxAmount of [0, -1, 1.5, 10n ** 18n, Number.MAX_VALUE])
      expect(await codeOf(async () => makeSystem({ store: fixture.make(), maxAmount }))).toBe("invalid_max_amount");
  });

  it("takes Money instances as amount inputs (create, capture, refund)", async () => {
    const { system } = makeSystem({ store: fixture.make() });
    const first = await system.payments.create(ADMIN, { amount: usd("40.00"), paymentMethod: "pm_card_visa", captureMethod: "manual" });
    const again = await system.payments.create(ADMIN, { amount: first.amount, paymentMethod: "pm_card_visa", captureMethod: "manual" });
    expect(again.amount.equals(first.amount)).toBe(true);
    const captured = await system.payments.capture(ADMIN, { paymentId: again.id, amount: again.amountAuthorized });
    expect(captured.status).toBe("succeeded");
    expect(captured.amountCaptured.toFixed()).toBe("40.00");
    const refund = await system.refunds.create(ADMIN, {
      paymentId: captured.id,
      amount: captured.amountCaptured.subtract(captured.amountCaptured.multiply("0.5")),
    });
    expect(refund.amount.toFixed()).toBe("20.00");
  });
});

describe.each(paymentStores())("refundStatus on $name", (fixture) => {
  beforeAll(() => fixture.setup());
  afterAll(() => fixture.teardown());
  it("is a field of the payment, kept with the amounts through partial and full refunds, on every read", async () => {
    const { system } = makeSystem({ store: fixture.make() });
    const p = await system.payments.create(ADMIN, { amount: usd("30.00"), paymentMethod: "pm_card_visa" });
    expect(p.refundStatus).toBe("none");
    await system.refunds.create(ADMIN, { paymentId: p.id, amount: usd("10.00") });
    const partly = await system.payments.get(ADMIN, { paymentId: p.id });
    expect(partly.refundStatus).toBe("partially_refunded");
    await system.refunds.create(ADMIN, { paymentId: p.id });
    const full = await system.payments.get(ADMIN, { paymentId: p.id });
    expect(full.refundStatus).toBe("refunded");
    expect((await system.payments.listByStatus(ADMIN, { status: "succeeded" })).items.find((x) => x.id === p.id)?.refundStatus).toBe(
      "refunded",
    );
    // A refund that fails leaves it as it was.
    const q = await system.payments.create(ADMIN, { amount: usd("5.00"), paymentMethod: "pm_card_refundFail" });
    expect((await system.refunds.create(ADMIN, { paymentId: q.id })).status).toBe("failed");
    expect((await system.payments.get(ADMIN, { paymentId: q.id })).refundStatus).toBe("none");
  });
});

describe.each(paymentStores())("provider data (gatewayData) on $name", (fixture) => {
  beforeAll(() => fixture.setup());
  afterAll(() => fixture.teardown());
  /** A test gateway whose results carry provider data. */
  function withData(inner: TestGateway, data: () => unknown): PaymentGateway {
    return {
      describePaymentMethod: (pm) => inner.describePaymentMethod(pm),
      authorize: async (r) => ({ ...(await inner.authorize(r)), gatewayData: data() as never }),
      capture: async (r) => ({ ...(await inner.capture(r)), gatewayData: data() as never }),
      void: (r) => inner.void(r),
      refund: async (r) => ({ ...(await inner.refund(r)), gatewayData: data() as never }),
      retrieve: (r) => inner.retrieve(r),
    };
  }

  it("is kept exactly on the payment and its ledger transactions, prototype-named keys included", async () => {
    const provider = JSON.parse(
      '{"charge":"ch_3Nx","outcome":{"risk_level":"normal","network_status":"approved_by_network"},"fees":[30,2.9],"__proto__":{"polluted":true},"constructor":"kept","refunded":false,"note":null}',
    );
    const inner = new TestGateway();
    const { system } = makeSystem({ store: fixture.make(), gateways: { test: withData(inner, () => provider) } });
    const p = await system.payments.create(ADMIN, { amount: usd("12.00"), paymentMethod: "pm_card_visa", captureMethod: "manual" });
    expect(p.gatewayData).toEqual(provider);
    const captured = await system.payments.capture(ADMIN, { paymentId: p.id });
    await system.refunds.create(ADMIN, { paymentId: p.id, amount: usd("2.00") });

    const read = await system.payments.get(ADMIN, { paymentId: p.id });
    expect(read.gatewayData).toEqual(provider);
    expect(Object.getPrototypeOf(read.gatewayData)).toBe(Object.prototype);
    expect(Object.keys(read.gatewayData!)).toContain("__proto__");
    expect((read.gatewayData as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(captured.gatewayData).toEqual(provider);
    const txns = (await system.transactions.listByPayment(ADMIN, { paymentId: p.id })).items;
    expect(txns.map((t) => t.type)).toEqual(["authorization", "capture", "refund"]);
    for (const t of txns) expect(t.gatewayData).toEqual(provider);
    // Opaque: never in the JSON views sent to webhooks.
    expect(JSON.stringify(toPaymentJSON(read))).not.toContain("ch_3Nx");
  });

  it("that is not a plain JSON object of at most 16 KiB is not kept, and the payment is recorded all the same", async () => {
    const bad: unknown[] = [
      { big: "x".repeat(20_000) },
      { when: new Date(0) },
      { n: Number.NaN },
      ["not", "a", "record"],
      "text",
      { s: "nul\u0000" },
    ];
    for (const data of bad) {
      const { system } = makeSystem({ store: fixture.make(), gateways: { test: withData(new TestGateway(), () => data) } });
      const p = await system.payments.create(ADMIN, { amount: usd("3.00"), paymentMethod: "pm_card_visa" });
      expect(p.status).toBe("succeeded");
      expect(p.gatewayData).toBeUndefined();
      expect((await system.payments.get(ADMIN, { paymentId: p.id })).gatewayData).toBeUndefined();
      expect((await system.transactions.listByPayment(ADMIN, { paymentId: p.id })).items.every((t) => t.gatewayData === undefined)).toBe(
        true,
      );
    }
  });
});
