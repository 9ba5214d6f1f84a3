import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestGateway } from "../src/index.js";
import { makeSystem, slowGateway, usd, paymentStores } from "./helpers.js";
import { ADMIN } from "./helpers.js";

describe.each(paymentStores())("reconcile never undoes a gateway call still in flight on $name", (fixture) => {
  beforeAll(() => fixture.setup());
  afterAll(() => fixture.teardown());
  it("an authorisation in flight is left alone by reconcile: it ends succeeded with exactly 1 charge", async () => {
    const inner = new TestGateway();
    const slow = slowGateway(inner);
    const { system } = makeSystem({ store: fixture.make(), gateways: { test: slow.gateway } });
    slow.hold("authorize");
    const creating = system.payments.create(ADMIN, { amount: usd("30"), paymentMethod: "pm_card_visa", idempotencyKey: "slow-1" });
    await slow.entered("authorize");
    const [inFlight] = (await system.payments.listByStatus(ADMIN, { status: "processing" })).items;
    const swept = await system.payments.reconcileDue();
    const one = await system.payments.reconcile(ADMIN, { paymentId: inFlight!.id });
    slow.release("authorize");
    const p = await creating;
    expect(swept.map((x) => x.status)).toEqual([]);
    expect(one.status).toBe("processing");
    expect(p.status).toBe("succeeded");
    expect((await system.payments.get(ADMIN, { paymentId: p.id })).status).toBe("succeeded");
    expect(inner.chargeCount(p.id)).toBe(1);
    expect((await system.transactions.listByPayment(ADMIN, { paymentId: p.id })).items.map((t) => t.type)).toEqual([
      "authorization",
      "capture",
    ]);
  });

  it("an old authorisation the gateway has not seen is re-sent with the same key, never failed: succeeded, 1 charge", async () => {
    const inner = new TestGateway();
    const slow = slowGateway(inner);
    const { system, clock } = makeSystem({ store: fixture.make(), gateways: { test: slow.gateway } });
    slow.hold("authorize");
    const creating = system.payments.create(ADMIN, { amount: usd("30"), paymentMethod: "pm_card_visa" });
    await slow.entered("authorize");
    clock.advance({ seconds: 61 });
    // The gateway says not_found (the first request has not landed): reconcile re-sends it.
    const reconciling = system.payments.reconcileDue();
    await slow.entered("authorize", 2);
    slow.release("authorize");
    const [p, [r]] = await Promise.all([creating, reconciling]);
    expect(r!.id).toBe(p.id);
    expect((await system.payments.get(ADMIN, { paymentId: p.id })).status).toBe("succeeded");
    expect(inner.chargeCount(p.id)).toBe(1);
    expect(inner.calls.authorize).toBe(2);
  });

  it("a capture in flight is not reverted by reconcile: it ends succeeded", async () => {
    const inner = new TestGateway();
    const slow = slowGateway(inner);
    const { system } = makeSystem({ store: fixture.make(), gateways: { test: slow.gateway } });
    const auth = await system.payments.create(ADMIN, { amount: usd("40"), paymentMethod: "pm_card_visa", captureMethod: "manual" });
    slow.hold("capture");
    const capturing = system.payments.capture(ADMIN, { paymentId: auth.id, amount: usd("25") });
    await slow.entered("capture");
    await system.payments.reconcileDue();
    await system.payments.reconcile(ADMIN, { paymentId: auth.id });
    slow.release("capture");
    const p = await capturing;
    expect(p.status).toBe("succeeded");
    expect(p.amountCaptured.toFixed()).toBe("25.00");
    expect((await system.transactions.listByPayment(ADMIN, { paymentId: p.id })).items.map((t) => t.type)).toEqual([
      "authorization",
      "capture",
    ]);
  });

  it("an old capture the gateway has not applied is re-sent with the same key, not reverted", async () => {
    const inner = new TestGateway();
    const slow = slowGateway(inner);
    const { system, clock } = makeSystem({ store: fixture.make(), gateways: { test: slow.gateway } });
    const auth = await system.payments.create(ADMIN, { amount: usd("40"), paymentMethod: "pm_card_visa", captureMethod: "manual" });
    slow.hold("capture");
    const capturing = system.payments.capture(ADMIN, { paymentId: auth.id, amount: usd("25") });
    await slow.entered("capture");
    clock.advance({ minutes: 5 });
    const reconciling = system.payments.reconcile(ADMIN, { paymentId: auth.id });
    await slow.entered("capture", 2);
    slow.release("capture");
    const [p, r] = await Promise.all([capturing, reconciling]);
    expect(r.status).toBe("succeeded");
    expect(p.amountCaptured.toFixed()).toBe("25.00");
    expect((await system.transactions.listByPayment(ADMIN, { paymentId: p.id })).items.map((t) => t.type)).toEqual([
      "authorization",
      "capture",
    ]);
  });

  it("reconcileAfter is configurable and validated", async () => {
    const { system, clock } = makeSystem({ store: fixture.make(), reconcileAfter: { seconds: 5 } });
    const p = await system.payments.create(ADMIN, { amount: usd("25"), paymentMethod: "pm_card_timeoutAfterCharge" });
    expect((await system.payments.reconcile(ADMIN, { paymentId: p.id })).status).toBe("processing");
    clock.advance({ seconds: 5 });
    expect((await system.payments.reconcile(ADMIN, { paymentId: p.id })).status).toBe("succeeded");
    expect(() => makeSystem({ store: fixture.make(), reconcileAfter: -1 })).toThrowError(
      expect.objectContaining({ code: "validation_failed" }),
    );
  });

  it("a fallback authorisation in flight is reconciled at the fallback gateway, never re-sent to the primary", async () => {
    const primary = new TestGateway({ name: "primary" });
    const inner = new TestGateway({ name: "backup" });
    const slow = slowGateway(inner);
    const { system, clock } = makeSystem({
      store: fixture.make(),
      gateways: { primary, backup: slow.gateway },
      defaultGateway: "primary",
      fallback: ["backup"],
    });
    primary.injectFault({ operation: "authorize", kind: "unavailable" });
    slow.hold("authorize");
    const creating = system.payments.create(ADMIN, { amount: usd("30"), paymentMethod: "pm_card_visa" });
    await slow.entered("authorize");
    clock.advance({ seconds: 61 });
    const reconciling = system.payments.reconcileDue();
    await slow.entered("authorize", 2);
    slow.release("authorize");
    const [p] = await Promise.all([creating, reconciling]);
    expect((await system.payments.get(ADMIN, { paymentId: p.id })).status).toBe("succeeded");
    expect(p.gateway).toBe("backup");
    expect(primary.chargeCount(p.id) + inner.chargeCount(p.id)).toBe(1);
    expect(primary.calls.authorize).toBe(1);
  });
});
