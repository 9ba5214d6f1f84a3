import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "@platform/core";
import { createPaymentSystem, MemoryPaymentStore, TestGateway, type PaymentGateway } from "../src/index.js";
import { codeOf, makeSystem, usd, paymentStores } from "./helpers.js";
import { ADMIN } from "./helpers.js";

describe.each(paymentStores())("idempotency keys on $name", (fixture) => {
  beforeAll(() => fixture.setup());
  afterAll(() => fixture.teardown());
  it("metadata keys are data: __proto__ and constructor are stored exactly and count in the request's fingerprint", async () => {
    const { system } = makeSystem({ store: fixture.make() });
    const metadata = JSON.parse('{"__proto__":"a","constructor":"b"}') as Record<string, string>;
    const p = await system.payments.create(ADMIN, {
      amount: usd("7"),
      paymentMethod: "pm_card_visa",
      idempotencyKey: "proto-meta",
      metadata,
    });
    const back = await system.payments.get(ADMIN, { paymentId: p.id });
    expect(Object.entries(back.metadata).sort()).toEqual([
      ["__proto__", "a"],
      ["constructor", "b"],
    ]);
    const other = JSON.parse('{"__proto__":"changed","constructor":"b"}') as Record<string, string>;
    expect(
      await codeOf(() =>
        system.payments.create(ADMIN, { amount: usd("7"), paymentMethod: "pm_card_visa", idempotencyKey: "proto-meta", metadata: other }),
      ),
    ).toBe("idempotency_conflict");
  });

  it("50 concurrent creates with one key reach the gateway once and return the same payment", async () => {
    const { system, gateway } = makeSystem({ store: fixture.make() });
    const input = { amount: usd("42.00"), paymentMethod: "pm_card_visa", idempotencyKey: "order-1" };
    const results = await Promise.all(Array.from({ length: 50 }, () => system.payments.create(ADMIN, input)));
    expect(gateway.calls.authorize).toBe(1);
    expect(gateway.calls.describe).toBe(1);
    expect(new Set(results.map((p) => p.id)).size).toBe(1);
    expect(results.every((p) => p.status === "succeeded")).toBe(true);
    const page = await system.payments.listByStatus(ADMIN, { status: "succeeded", limit: 100 });
    expect(page.items).toHaveLength(1);
  });

  it("the store alone guarantees it: 50 concurrent calls spread over 5 instances on one store (like 5 processes)", async () => {
    const store = new MemoryPaymentStore();
    const gateway = new TestGateway();
    const clock = new ManualClock("2026-03-01T12:00:00.000Z");
    const systems = Array.from({ length: 5 }, () =>
      createPaymentSystem({ store, clock, gateways: { test: gateway }, webhooks: { autoDispatch: false } }),
    );
    const input = { amount: usd("42.00"), paymentMethod: "pm_card_visa", idempotencyKey: "order-2" };
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => systems[i % 5]!.payments.create(ADMIN, input)));
    expect(gateway.calls.authorize).toBe(1);
    expect(new Set(results.map((p) => p.id)).size).toBe(1);
    expect(results.every((p) => p.status === "succeeded")).toBe(true);
  });

  it("without a key every call is a new payment", async () => {
    const { system, gateway } = makeSystem({ store: fixture.make() });
    await Promise.all(Array.from({ length: 5 }, () => system.payments.create(ADMIN, { amount: usd("1"), paymentMethod: "pm_card_visa" })));
    expect(gateway.calls.authorize).toBe(5);
  });

  it("same key and equivalent parameters replay; other parameters are idempotency_conflict", async () => {
    const { system, gateway } = makeSystem({ store: fixture.make() });
    const a = await system.payments.create(ADMIN, { amount: usd("10"), paymentMethod: "pm_card_visa", idempotencyKey: "k" });
    const b = await system.payments.create(ADMIN, {
      amount: { amount: "10.00", currency: "usd" },
      paymentMethod: "pm_card_visa",
      idempotencyKey: "k",
    });
    expect(b.id).toBe(a.id);
    expect(
      await codeOf(() => system.payments.create(ADMIN, { amount: usd("11"), paymentMethod: "pm_card_visa", idempotencyKey: "k" })),
    ).toBe("idempotency_conflict");
    expect(gateway.calls.authorize).toBe(1);
  });

  it("a declined first call replays as the same failed payment", async () => {
    const { system, gateway } = makeSystem({ store: fixture.make() });
    const a = await system.payments.create(ADMIN, { amount: usd("10"), paymentMethod: "pm_card_chargeDeclined", idempotencyKey: "d" });
    const b = await system.payments.create(ADMIN, { amount: usd("10"), paymentMethod: "pm_card_chargeDeclined", idempotencyKey: "d" });
    expect(a.status).toBe("failed");
    expect(b.id).toBe(a.id);
    expect(gateway.calls.authorize).toBe(1);
  });

  it("keys expire after 24 hours by the clock", async () => {
    const { system, clock } = makeSystem({ store: fixture.make() });
    const a = await system.payments.create(ADMIN, { amount: usd("10"), paymentMethod: "pm_card_visa", idempotencyKey: "e" });
    clock.advance({ hours: 23, minutes: 59 });
    expect((await system.payments.create(ADMIN, { amount: usd("10"), paymentMethod: "pm_card_visa", idempotencyKey: "e" })).id).toBe(a.id);
    clock.advance({ minutes: 2 });
    expect((await system.payments.create(ADMIN, { amount: usd("10"), paymentMethod: "pm_card_visa", idempotencyKey: "e" })).id).not.toBe(
      a.id,
    );
  });

  it("a rejected first call leaves the key free", async () => {
    const { system } = makeSystem({ store: fixture.make() });
    const p = await system.payments.create(ADMIN, { amount: usd("10"), paymentMethod: "pm_card_visa", captureMethod: "manual" });
    expect(await codeOf(() => system.payments.capture(ADMIN, { paymentId: p.id, amount: usd("11"), idempotencyKey: "c" }))).toBe(
      "capture_exceeds_authorized",
    );
    const ok = await system.payments
      .capture(ADMIN, { paymentId: p.id, amount: usd("11"), idempotencyKey: "c" })
      .catch((e: { code: string }) => e.code);
    expect(ok).toBe("capture_exceeds_authorized");
    const done = await system.payments.capture(ADMIN, { paymentId: p.id, amount: usd("5"), idempotencyKey: "c2" });
    expect(done.amountCaptured.toFixed()).toBe("5.00");
  });

  it("concurrent captures, cancels and refunds with one key execute once", async () => {
    const { system, gateway } = makeSystem({ store: fixture.make() });
    const p = await system.payments.create(ADMIN, { amount: usd("30"), paymentMethod: "pm_card_visa", captureMethod: "manual" });
    const caps = await Promise.all(
      Array.from({ length: 10 }, () => system.payments.capture(ADMIN, { paymentId: p.id, amount: usd("20"), idempotencyKey: "cap" })),
    );
    expect(new Set(caps.map((c) => c.amountCaptured.toFixed()))).toEqual(new Set(["20.00"]));
    expect(gateway.calls.capture).toBe(1);
    const refunds = await Promise.all(
      Array.from({ length: 10 }, () => system.refunds.create(ADMIN, { paymentId: p.id, amount: usd("5"), idempotencyKey: "ref" })),
    );
    expect(new Set(refunds.map((r) => r.id)).size).toBe(1);
    expect(gateway.calls.refund).toBe(1);
    expect((await system.payments.get(ADMIN, { paymentId: p.id })).amountRefunded.toFixed()).toBe("5.00");
  });

  it("a key abandoned by a crashed caller is finished by the next caller after 60 s, charging once", async () => {
    const store = new MemoryPaymentStore();
    const clock = new ManualClock("2026-03-01T12:00:00.000Z");
    const inner = new TestGateway();
    let hang = true;
    const hung: Promise<never> = new Promise(() => undefined);
    const gateway: PaymentGateway = {
      describePaymentMethod: (pm) => inner.describePaymentMethod(pm),
      // The first process "crashes" mid-call: its authorisation never returns.
      authorize: (req) => (hang ? ((hang = false), hung) : inner.authorize(req)),
      capture: (r) => inner.capture(r),
      void: (r) => inner.void(r),
      refund: (r) => inner.refund(r),
      retrieve: (r) => inner.retrieve(r),
    };
    const a = createPaymentSystem({ store, clock, gateways: { test: gateway }, webhooks: { autoDispatch: false } });
    const b = createPaymentSystem({ store, clock, gateways: { test: gateway }, webhooks: { autoDispatch: false } });
    const input = { amount: usd("9.00"), paymentMethod: "pm_card_visa", idempotencyKey: "crash-1" };
    void a.payments.create(ADMIN, input);
    // Wait (without timing assumptions) until the first caller has claimed the key and is stuck at the gateway.
    while (hang) await new Promise((r) => setTimeout(r, 5));
    clock.advance({ seconds: 61 });
    const p = await b.payments.create(ADMIN, input);
    expect(p.status).toBe("succeeded");
    expect(inner.chargeCount(p.id)).toBe(1);
    expect((await b.payments.create(ADMIN, input)).id).toBe(p.id);
  });

  it("taking over a capture key whose payment was settled meanwhile does not call the gateway again", async () => {
    const store = new MemoryPaymentStore();
    const clock = new ManualClock("2026-03-01T12:00:00.000Z");
    const inner = new TestGateway();
    let hang = true;
    const captures: { amount: unknown }[] = [];
    const gateway: PaymentGateway = {
      describePaymentMethod: (pm) => inner.describePaymentMethod(pm),
      authorize: (r) => inner.authorize(r),
      // The first process "crashes" mid-capture: its call never returns.
      capture: (r) => (
        captures.push({ amount: r.amount }),
        hang ? ((hang = false), new Promise<never>(() => undefined)) : inner.capture(r)
      ),
      void: (r) => inner.void(r),
      refund: (r) => inner.refund(r),
      retrieve: (r) => inner.retrieve(r),
    };
    const a = createPaymentSystem({ store, clock, gateways: { test: gateway }, webhooks: { autoDispatch: false } });
    const b = createPaymentSystem({ store, clock, gateways: { test: gateway }, webhooks: { autoDispatch: false } });
    const p = await a.payments.create(ADMIN, { amount: usd("20"), paymentMethod: "pm_card_visa", captureMethod: "manual" });
    void a.payments.capture(ADMIN, { paymentId: p.id, amount: usd("15"), idempotencyKey: "cap-crash" });
    while (hang) await new Promise((r) => setTimeout(r, 5));
    clock.advance({ seconds: 61 });
    // The scheduler's reconcile settles the capture first (re-sent with the provider key).
    expect((await b.payments.reconcile(ADMIN, { paymentId: p.id })).status).toBe("succeeded");
    const before = captures.length;
    // Then the client retries with its key: the abandoned key is taken over, but nothing is left to send.
    const again = await b.payments.capture(ADMIN, { paymentId: p.id, amount: usd("15"), idempotencyKey: "cap-crash" });
    expect(again.status).toBe("succeeded");
    expect(again.amountCaptured.toFixed()).toBe("15.00");
    expect(captures.length).toBe(before);
    expect(captures.every((c) => c.amount !== undefined)).toBe(true);
  });
});
