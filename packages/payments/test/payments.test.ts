import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Money } from "@platform/core";
import { createPaymentSystem, TestGateway } from "../src/index.js";
import { codeOf, makeSystem, usd, paymentStores } from "./helpers.js";
import { ADMIN } from "./helpers.js";

describe.each(paymentStores())("payments lifecycle on $name", (fixture) => {
  beforeAll(() => fixture.setup());
  afterAll(() => fixture.teardown());
  it("automatic capture succeeds with an authorization and a capture in the ledger", async () => {
    const { system } = makeSystem({ store: fixture.make() });
    const p = await system.payments.create(ADMIN, { amount: usd("99.99"), paymentMethod: "pm_card_visa", orderId: "order_123" });
    expect(p.status).toBe("succeeded");
    expect(p.amountCaptured.toString()).toBe("99.99 USD");
    expect(p.gateway).toBe("test");
    expect(p.gatewayTransactionId).toMatch(/^ch_/);
    const txns = (await system.transactions.listByPayment(ADMIN, { paymentId: p.id })).items.map((t) => t.type);
    expect(txns).toEqual(["authorization", "capture"]);
  });

  it("manual capture: partial capture releases the rest; a second capture is invalid_transition", async () => {
    const { system } = makeSystem({ store: fixture.make() });
    const p = await system.payments.create(ADMIN, { amount: usd("100"), paymentMethod: "pm_card_visa", captureMethod: "manual" });
    expect(p.status).toBe("requires_capture");
    expect(p.amountAuthorized.toFixed()).toBe("100.00");
    expect(await codeOf(() => system.payments.capture(ADMIN, { paymentId: p.id, amount: usd("100.01") }))).toBe(
      "capture_exceeds_authorized",
    );
    const c = await system.payments.capture(ADMIN, { paymentId: p.id, amount: usd("60") });
    expect(c.status).toBe("succeeded");
    expect(c.amountCaptured.toFixed()).toBe("60.00");
    expect(await codeOf(() => system.payments.capture(ADMIN, { paymentId: p.id }))).toBe("invalid_transition");
    expect(await codeOf(() => system.payments.cancel(ADMIN, { paymentId: p.id }))).toBe("invalid_transition");
  });

  it("cancel voids an authorisation; canceled is terminal", async () => {
    const { system } = makeSystem({ store: fixture.make() });
    const p = await system.payments.create(ADMIN, { amount: usd("10"), paymentMethod: "pm_card_visa", captureMethod: "manual" });
    const c = await system.payments.cancel(ADMIN, { paymentId: p.id, reason: "abandoned" });
    expect(c.status).toBe("canceled");
    expect(c.cancellationReason).toBe("abandoned");
    expect(await codeOf(() => system.payments.capture(ADMIN, { paymentId: p.id }))).toBe("invalid_transition");
    const types = (await system.transactions.listByPayment(ADMIN, { paymentId: p.id })).items.map((t) => t.type).sort();
    expect(types).toEqual(["authorization", "void"]);
  });

  it("authorisations expire after 7 days by the clock", async () => {
    const { system, clock } = makeSystem({ store: fixture.make() });
    const p = await system.payments.create(ADMIN, { amount: usd("10"), paymentMethod: "pm_card_visa", captureMethod: "manual" });
    clock.advance({ days: 6 });
    expect(await system.payments.expireAuthorizations()).toHaveLength(0);
    clock.advance({ days: 1, seconds: 1 });
    expect(await codeOf(() => system.payments.capture(ADMIN, { paymentId: p.id }))).toBe("authorization_expired");
    const expired = await system.payments.expireAuthorizations();
    expect(expired.map((e) => e.id)).toEqual([p.id]);
    expect((await system.payments.get(ADMIN, { paymentId: p.id })).cancellationReason).toBe("expired");
  });

  it.each([
    ["pm_card_chargeDeclined", "card_declined", "generic_decline"],
    ["pm_card_insufficientFunds", "card_declined", "insufficient_funds"],
    ["pm_card_authenticationRequired", "card_declined", "authentication_required"],
  ])("%s fails with %s / %s, recorded as a failure transaction", async (pm, code, decline) => {
    const { system } = makeSystem({ store: fixture.make() });
    const p = await system.payments.create(ADMIN, { amount: usd("10"), paymentMethod: pm });
    expect(p.status).toBe("failed");
    expect(p.failure).toMatchObject({ code, declineCode: decline });
    const txns = (await system.transactions.listByPayment(ADMIN, { paymentId: p.id })).items;
    expect(txns.map((t) => [t.type, t.failureCode])).toEqual([["failure", code]]);
  });

  it("timeout after the charge: processing, then succeeded after reconcile, with one charge", async () => {
    const { system, gateway, clock } = makeSystem({ store: fixture.make() });
    const p = await system.payments.create(ADMIN, { amount: usd("25"), paymentMethod: "pm_card_timeoutAfterCharge", idempotencyKey: "t1" });
    expect(p.status).toBe("processing");
    // A retry with the key returns the same payment and never charges again.
    expect(
      (await system.payments.create(ADMIN, { amount: usd("25"), paymentMethod: "pm_card_timeoutAfterCharge", idempotencyKey: "t1" })).id,
    ).toBe(p.id);
    clock.advance({ seconds: 60 });
    const [r] = await system.payments.reconcileDue();
    expect(r!.id).toBe(p.id);
    expect(r!.status).toBe("succeeded");
    expect(r!.amountCaptured.toFixed()).toBe("25.00");
    expect(gateway.chargeCount(p.id)).toBe(1);
    expect(await system.payments.reconcileDue()).toEqual([]);
  });

  it("an injected timeout on capture leaves processing; reconcile settles it", async () => {
    const { system, gateway, clock } = makeSystem({ store: fixture.make() });
    const p = await system.payments.create(ADMIN, { amount: usd("25"), paymentMethod: "pm_card_visa", captureMethod: "manual" });
    gateway.injectFault({ operation: "capture", kind: "timeout" });
    const c = await system.payments.capture(ADMIN, { paymentId: p.id, amount: usd("20") });
    expect(c.status).toBe("processing");
    clock.advance({ seconds: 60 });
    const r = await system.payments.reconcile(ADMIN, { paymentId: p.id });
    expect(r!.status).toBe("succeeded");
    expect(r!.amountCaptured.toFixed()).toBe("20.00");
  });

  it("rejects bad input with its own code and changes nothing", async () => {
    const { system, gateway } = makeSystem({ store: fixture.make() });
    const cases: [unknown, string][] = [
      [{ amount: usd("0"), paymentMethod: "pm_card_visa" }, "amount_not_positive"],
      [{ amount: usd("-5"), paymentMethod: "pm_card_visa" }, "amount_not_positive"],
      [{ amount: usd("1.001"), paymentMethod: "pm_card_visa" }, "amount_precision"],
      [{ amount: { amount: "5", currency: "XYZ" }, paymentMethod: "pm_card_visa" }, "unknown_currency"],
      [{ amount: usd("5"), paymentMethod: "4242 4242 4242 4242" }, "raw_card_data"],
      [{ amount: usd("5"), paymentMethod: "pm_card_unknown" }, "unknown_payment_method"],
      [{ amount: usd("5"), paymentMethod: "not a token" }, "unknown_payment_method"],
      [{ amount: usd("5"), paymentMethod: "pm_card_visa", gateway: "paypal" }, "unknown_gateway"],
      [{ amount: usd("5"), paymentMethod: "pm_card_visa", captureMethod: "later" }, "validation_failed"],
    ];
    for (const [input, code] of cases) expect(await codeOf(() => system.payments.create(ADMIN, input as never))).toBe(code);
    expect(gateway.calls.authorize).toBe(0);
    expect((await system.payments.listByStatus(ADMIN, { status: "failed" })).items).toHaveLength(0);
    expect(await codeOf(() => system.payments.get(ADMIN, { paymentId: "pay_missing" }))).toBe("payment_not_found");
  });

  it("works in zero- and three-decimal currencies with their own precision rules", async () => {
    const { system } = makeSystem({ store: fixture.make() });
    expect(
      await codeOf(() => system.payments.create(ADMIN, { amount: { amount: "1.5", currency: "JPY" }, paymentMethod: "pm_card_visa" })),
    ).toBe("amount_precision");
    const yen = await system.payments.create(ADMIN, {
      amount: { amount: "1500", currency: "JPY" },
      paymentMethod: "pm_card_visa",
      captureMethod: "manual",
    });
    expect(
      (await system.payments.capture(ADMIN, { paymentId: yen.id, amount: { amount: "1000", currency: "JPY" } })).amountCaptured.toFixed(),
    ).toBe("1000");
    const kwd = await system.payments.create(ADMIN, { amount: { amount: "1.234", currency: "KWD" }, paymentMethod: "pm_card_visa" });
    const r = await system.refunds.create(ADMIN, { paymentId: kwd.id, amount: { amount: "0.005", currency: "KWD" } });
    expect(r.amount.toFixed()).toBe("0.005");
    expect(await codeOf(() => system.refunds.create(ADMIN, { paymentId: kwd.id, amount: { amount: "0.0005", currency: "KWD" } }))).toBe(
      "amount_precision",
    );
  });

  it("an unknown gateway in the wiring is a configuration error", () => {
    expect(() => createPaymentSystem({ gateways: { test: new TestGateway() }, fallback: ["stripe"] })).toThrowError(
      expect.objectContaining({ code: "unknown_gateway" }),
    );
  });

  it("events are published after commit only", async () => {
    const { system } = makeSystem({ store: fixture.make() });
    const seen: string[] = [];
    system.events.onAny((e) => seen.push(e.type));
    const p = await system.payments.create(ADMIN, { amount: usd("5"), paymentMethod: "pm_card_visa", captureMethod: "manual" });
    await system.payments.capture(ADMIN, { paymentId: p.id });
    await codeOf(() => system.payments.capture(ADMIN, { paymentId: p.id }));
    expect(seen).toEqual(["payment.created", "payment.authorized", "payment.succeeded"]);
  });
});

describe.each(paymentStores())("routing and fallback on $name", (fixture) => {
  beforeAll(() => fixture.setup());
  afterAll(() => fixture.teardown());
  function routed() {
    const primary = new TestGateway({ name: "primary" });
    const backup = new TestGateway({ name: "backup" });
    const eur = new TestGateway({ name: "eur" });
    const { system, clock } = makeSystem({
      store: fixture.make(),
      gateways: { primary, backup, eur },
      defaultGateway: "primary",
      fallback: ["backup"],
      routing: [{ gateway: "eur", currencies: ["EUR"], fallback: [] }],
    });
    return { system, clock, primary, backup, eur };
  }

  it("routes by currency", async () => {
    const { system, eur } = routed();
    const p = await system.payments.create(ADMIN, { amount: { amount: "10", currency: "EUR" }, paymentMethod: "pm_card_visa" });
    expect(p.gateway).toBe("eur");
    expect(eur.calls.authorize).toBe(1);
  });

  it("falls back when the gateway is unavailable before charging", async () => {
    const { system, primary, backup } = routed();
    primary.injectFault({ operation: "authorize", kind: "unavailable" });
    const p = await system.payments.create(ADMIN, { amount: usd("10"), paymentMethod: "pm_card_visa" });
    expect(p.status).toBe("succeeded");
    expect(p.gateway).toBe("backup");
    expect(backup.chargeCount(p.id)).toBe(1);
    expect(primary.chargeCount(p.id)).toBe(0);
  });

  it("routing bounds take Money instances and are checked like every money input", async () => {
    const big = new TestGateway({ name: "big" });
    const { system } = makeSystem({
      store: fixture.make(),
      gateways: { test: new TestGateway(), big },
      routing: [{ gateway: "big", minAmount: Money.of("1000.00", "USD") }],
    });
    expect((await system.payments.create(ADMIN, { amount: usd("999.99"), paymentMethod: "pm_card_visa" })).gateway).toBe("test");
    expect((await system.payments.create(ADMIN, { amount: usd("1000.00"), paymentMethod: "pm_card_visa" })).gateway).toBe("big");
    expect(
      await codeOf(async () =>
        makeSystem({
          store: fixture.make(),
          gateways: { test: new TestGateway() },
          routing: [{ gateway: "test", maxAmount: { amount: "1.001", currency: "USD" } }],
        }),
      ),
    ).toBe("amount_precision");
  });

  it("falls back when a step before the charge fails retryably: the payment-method lookup", async () => {
    for (const kind of ["unavailable", "timeout"] as const) {
      const { system, primary, backup } = routed();
      primary.injectFault({ operation: "describe", kind });
      const p = await system.payments.create(ADMIN, {
        amount: usd("10"),
        paymentMethod: "pm_card_visa",
        idempotencyKey: `describe-${kind}`,
      });
      expect(p.status).toBe("succeeded");
      expect(p.gateway).toBe("backup");
      expect(p.paymentMethodDetails.last4).toBe("4242");
      expect(backup.chargeCount(p.id)).toBe(1);
      // The gateway that failed the lookup is never sent the charge.
      expect(primary.calls.authorize).toBe(0);
    }
  });

  it("without a fallback a failed lookup throws its retryable error and records nothing", async () => {
    const { system, eur } = routed();
    eur.injectFault({ operation: "describe", kind: "unavailable" });
    let error: unknown;
    try {
      await system.payments.create(ADMIN, {
        amount: { amount: "10", currency: "EUR" },
        paymentMethod: "pm_card_visa",
        idempotencyKey: "describe-eur",
      });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: "gateway_unavailable", retryable: true });
    expect(eur.calls.authorize).toBe(0);
    // The key was not taken: a retry once the gateway is back goes through.
    const p = await system.payments.create(ADMIN, {
      amount: { amount: "10", currency: "EUR" },
      paymentMethod: "pm_card_visa",
      idempotencyKey: "describe-eur",
    });
    expect(p.status).toBe("succeeded");
  });

  it("never falls back after a decline or an ambiguous timeout", async () => {
    const { system, primary, backup } = routed();
    const d = await system.payments.create(ADMIN, { amount: usd("10"), paymentMethod: "pm_card_chargeDeclined" });
    expect(d.status).toBe("failed");
    primary.injectFault({ operation: "authorize", kind: "timeout" });
    const t = await system.payments.create(ADMIN, { amount: usd("10"), paymentMethod: "pm_card_visa" });
    expect(t.status).toBe("processing");
    expect(t.gateway).toBe("primary");
    expect(backup.calls.authorize).toBe(0);
  });

  it("stays processing when every gateway refuses retryably before charging (nothing moved); reconcile re-sends it once", async () => {
    const { system, primary, backup, clock } = routed();
    primary.injectFault({ operation: "authorize", kind: "unavailable" });
    backup.injectFault({ operation: "authorize", kind: "unavailable" });
    const p = await system.payments.create(ADMIN, { amount: usd("10"), paymentMethod: "pm_card_visa" });
    expect(p.status).toBe("processing");
    expect(primary.chargeCount(p.id) + backup.chargeCount(p.id)).toBe(0);
    clock.advance({ seconds: 61 });
    const settled = await system.payments.reconcile(ADMIN, { paymentId: p.id });
    expect(settled!.status).toBe("succeeded");
    expect(primary.chargeCount(p.id) + backup.chargeCount(p.id)).toBe(1);
  });
});

describe.each(paymentStores())("refunds on $name", (fixture) => {
  beforeAll(() => fixture.setup());
  afterAll(() => fixture.teardown());
  it("partial refunds up to the capture, then refund_exceeds_captured; full refund marks refunded", async () => {
    const { system, gateway } = makeSystem({ store: fixture.make() });
    const p = await system.payments.create(ADMIN, { amount: usd("100"), paymentMethod: "pm_card_visa" });
    const r1 = await system.refunds.create(ADMIN, { paymentId: p.id, amount: usd("30"), reason: "requested_by_customer" });
    expect(r1.status).toBe("succeeded");
    expect((await system.payments.get(ADMIN, { paymentId: p.id })).amountRefunded.toFixed()).toBe("30.00");
    expect(await codeOf(() => system.refunds.create(ADMIN, { paymentId: p.id, amount: usd("70.01") }))).toBe("refund_exceeds_captured");
    const rest = await system.refunds.create(ADMIN, { paymentId: p.id });
    expect(rest.amount.toFixed()).toBe("70.00");
    const after = await system.payments.get(ADMIN, { paymentId: p.id });
    expect(after.amountRefunded.toFixed()).toBe("100.00");
    expect(gateway.calls.refund).toBe(2);
    expect((await system.refunds.listByPayment(ADMIN, { paymentId: p.id })).items.map((r) => r.id)).toEqual([r1.id, rest.id]);
  });

  it("refunds only succeeded payments, in the payment's currency", async () => {
    const { system } = makeSystem({ store: fixture.make() });
    const m = await system.payments.create(ADMIN, { amount: usd("10"), paymentMethod: "pm_card_visa", captureMethod: "manual" });
    expect(await codeOf(() => system.refunds.create(ADMIN, { paymentId: m.id }))).toBe("invalid_transition");
    await system.payments.capture(ADMIN, { paymentId: m.id });
    expect(await codeOf(() => system.refunds.create(ADMIN, { paymentId: m.id, amount: { amount: "1", currency: "EUR" } }))).toBe(
      "currency_mismatch",
    );
    expect(await codeOf(() => system.refunds.create(ADMIN, { paymentId: "pay_nope" }))).toBe("payment_not_found");
  });

  it("a failed refund frees its amount again", async () => {
    const { system } = makeSystem({ store: fixture.make() });
    const p = await system.payments.create(ADMIN, { amount: usd("50"), paymentMethod: "pm_card_refundFail" });
    const r = await system.refunds.create(ADMIN, { paymentId: p.id, amount: usd("50") });
    expect(r.status).toBe("failed");
    const after = await system.payments.get(ADMIN, { paymentId: p.id });
    expect(after.amountRefunded.isZero()).toBe(true);
    expect(after.amountRefundPending.isZero()).toBe(true);
    expect(
      (await system.transactions.listByPayment(ADMIN, { paymentId: p.id })).items.some((t) => t.type === "failure" && t.refundId === r.id),
    ).toBe(true);
  });

  it("concurrent refunds can never exceed the captured amount", async () => {
    const { system } = makeSystem({ store: fixture.make() });
    const p = await system.payments.create(ADMIN, { amount: usd("100"), paymentMethod: "pm_card_visa" });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => system.refunds.create(ADMIN, { paymentId: p.id, amount: usd("15") })),
    );
    const ok = results.filter((r) => r.status === "fulfilled");
    expect(ok).toHaveLength(6);
    expect((await system.payments.get(ADMIN, { paymentId: p.id })).amountRefunded.toFixed()).toBe("90.00");
  });

  it("a refund with an unknown outcome stays pending with its amount reserved, then reconciles without refunding twice", async () => {
    const { system, gateway } = makeSystem({ store: fixture.make() });
    const p = await system.payments.create(ADMIN, { amount: usd("40"), paymentMethod: "pm_card_visa" });
    gateway.injectFault({ operation: "refund", kind: "timeout" });
    const r = await system.refunds.create(ADMIN, { paymentId: p.id, amount: usd("40") });
    expect(r.status).toBe("pending");
    expect(await codeOf(() => system.refunds.create(ADMIN, { paymentId: p.id, amount: usd("0.01") }))).toBe("refund_exceeds_captured");
    const [done] = await system.refunds.reconcilePending();
    expect(done!.id).toBe(r.id);
    expect(done!.status).toBe("succeeded");
    expect(await system.refunds.reconcilePending()).toEqual([]);
    expect((await system.payments.get(ADMIN, { paymentId: p.id })).amountRefunded.toFixed()).toBe("40.00");
  });
});

describe.each(paymentStores())("transactions listing on $name", (fixture) => {
  beforeAll(() => fixture.setup());
  afterAll(() => fixture.teardown());
  it("lists by time range, newest first, with stable cursors", async () => {
    const { system, clock } = makeSystem({ store: fixture.make() });
    const start = clock.now();
    for (let i = 0; i < 7; i++) {
      await system.payments.create(ADMIN, { amount: usd(`${i + 1}`), paymentMethod: "pm_card_visa" });
      clock.advance({ hours: 5 });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof system.transactions.list>> = await system.transactions.list(ADMIN, {
        from: start,
        to: clock.now(),
        limit: 4,
        cursor,
      });
      seen.push(...page.items.map((t) => t.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(14);
    expect(new Set(seen).size).toBe(14);
    const middle = await system.transactions.list(ADMIN, {
      from: new Date(start.getTime() + 5 * 3_600_000),
      to: new Date(start.getTime() + 10 * 3_600_000),
      limit: 100,
    });
    expect(middle.items).toHaveLength(2);
    expect(middle.items.every((t) => t.amount.equals(Money.of("2", "USD")))).toBe(true);
    expect(await codeOf(() => system.transactions.list(ADMIN, { from: clock.now(), to: start }))).toBe("invalid_range");
    expect(await codeOf(() => system.transactions.list(ADMIN, { from: start, to: clock.now(), cursor: "forged.cursor" }))).toBe(
      "invalid_cursor",
    );
  });
});
