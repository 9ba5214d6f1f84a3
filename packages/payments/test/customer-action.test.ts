import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeOf, makeSystem, usd, paymentStores } from "./helpers.js";
import { ADMIN } from "./helpers.js";

// 3-D Secure with the TestGateway token: the same path a StripeGateway takes, without Stripe. The
// PostgreSQL run of the service suites re-runs this file on that store.
describe.each(paymentStores())("payments waiting for the customer (requires_action) on $name", (fixture) => {
  beforeAll(() => fixture.setup());
  afterAll(() => fixture.teardown());
  const threeDS = "pm_card_threeDSecure2Required";

  it("create answers requires_action with the step and client secret, records no money, announces payment.action_required", async () => {
    const { system, gateway } = makeSystem({ store: fixture.make() });
    const seen: string[] = [];
    system.events.on("payment.action_required", (e) => seen.push(JSON.stringify(e.data)));
    const p = await system.payments.create(ADMIN, { amount: usd("50"), paymentMethod: threeDS, idempotencyKey: "3ds-1" });
    expect(p.status).toBe("requires_action");
    expect(p.customerAction?.clientSecret).toMatch(/_secret_/);
    expect(p.customerAction?.nextAction).toMatchObject({ type: "use_stripe_sdk" });
    expect(p.actionExpiresAt?.toISOString()).toBe("2026-03-01T13:00:00.000Z");
    expect(p.amountAuthorized.isZero()).toBe(true);
    expect(gateway.chargeCount(p.id)).toBe(0);
    expect((await system.transactions.listByPayment(ADMIN, { paymentId: p.id })).items).toEqual([]);
    // The stored payment keeps the step (a replay of the key answers it again) ...
    const again = await system.payments.create(ADMIN, { amount: usd("50"), paymentMethod: threeDS, idempotencyKey: "3ds-1" });
    expect(again.id).toBe(p.id);
    expect(again.customerAction?.clientSecret).toBe(p.customerAction?.clientSecret);
    // ... but the event payload (and so webhooks and logs) never carries the secret.
    expect(seen).toHaveLength(1);
    expect(seen[0]).toContain('"status":"requires_action"');
    expect(seen[0]).not.toContain(p.customerAction!.clientSecret!);
  });

  it("completed by the customer: reconcile(id) records succeeded with one charge, and the secret is gone", async () => {
    const { system, gateway } = makeSystem({ store: fixture.make() });
    const p = await system.payments.create(ADMIN, { amount: usd("50"), paymentMethod: threeDS });
    expect((await system.payments.reconcile(ADMIN, { paymentId: p.id })).status).toBe("requires_action");
    gateway.completeAction(p.id, "succeed");
    const done = await system.payments.reconcile(ADMIN, { paymentId: p.id });
    expect(done!.status).toBe("succeeded");
    expect(done!.amountCaptured.toFixed()).toBe("50.00");
    expect(done!.customerAction).toBeUndefined();
    expect(done!.actionExpiresAt).toBeUndefined();
    const stored = await system.payments.get(ADMIN, { paymentId: p.id });
    expect(stored.customerAction).toBeUndefined();
    expect(gateway.chargeCount(p.id)).toBe(1);
    expect((await system.transactions.listByPayment(ADMIN, { paymentId: p.id })).items.map((t) => t.type)).toEqual([
      "authorization",
      "capture",
    ]);
  });

  it("manual capture: the completed step leaves an authorisation to capture", async () => {
    const { system, gateway } = makeSystem({ store: fixture.make() });
    const p = await system.payments.create(ADMIN, { amount: usd("50"), paymentMethod: threeDS, captureMethod: "manual" });
    gateway.completeAction(p.id, "succeed");
    const auth = await system.payments.reconcile(ADMIN, { paymentId: p.id });
    expect(auth!.status).toBe("requires_capture");
    expect((await system.payments.capture(ADMIN, { paymentId: p.id })).status).toBe("succeeded");
  });

  it("failed by the customer: the payment fails (authentication_failed) and the charge is canceled at the gateway", async () => {
    const { system, gateway } = makeSystem({ store: fixture.make() });
    const p = await system.payments.create(ADMIN, { amount: usd("50"), paymentMethod: threeDS });
    gateway.completeAction(p.id, "fail");
    const failed = await system.payments.reconcile(ADMIN, { paymentId: p.id });
    expect(failed!.status).toBe("failed");
    expect(failed!.failure).toMatchObject({ code: "authentication_failed", declineCode: "payment_intent_authentication_failure" });
    expect(gateway.calls.void).toBe(1);
    expect((await gateway.retrieve({ paymentId: p.id })).status).toBe("voided");
    expect(gateway.chargeCount(p.id)).toBe(0);
  });

  it("abandoned: expireActions cancels it at the gateway once actionExpiresAt passed, not before", async () => {
    const { system, clock, gateway } = makeSystem({ store: fixture.make(), requiresActionTtl: { minutes: 30 } });
    const p = await system.payments.create(ADMIN, { amount: usd("50"), paymentMethod: threeDS });
    const canceledEvents: string[] = [];
    system.events.on("payment.canceled", (e) => canceledEvents.push(e.data.payment.id));
    clock.advance({ minutes: 29 });
    expect(await system.payments.expireActions()).toEqual({ canceled: 0, completed: 0, deferred: 0 });
    clock.advance({ minutes: 1 });
    expect(await system.payments.expireActions({ limit: 10 })).toEqual({ canceled: 1, completed: 0, deferred: 0 });
    const after = await system.payments.get(ADMIN, { paymentId: p.id });
    expect(after.status).toBe("canceled");
    expect(after.cancellationReason).toBe("abandoned");
    expect(after.customerAction).toBeUndefined();
    expect(canceledEvents).toEqual([p.id]);
    expect((await gateway.retrieve({ paymentId: p.id })).status).toBe("voided");
    // Nothing was held, so nothing is released in the ledger.
    expect((await system.transactions.listByPayment(ADMIN, { paymentId: p.id })).items).toEqual([]);
    expect(await system.payments.expireActions()).toEqual({ canceled: 0, completed: 0, deferred: 0 });
  });

  it("expiry after the customer completed: the completion is recorded, never a cancel", async () => {
    const { system, clock, gateway } = makeSystem({ store: fixture.make() });
    const p = await system.payments.create(ADMIN, { amount: usd("50"), paymentMethod: threeDS });
    gateway.completeAction(p.id, "succeed");
    clock.advance({ hours: 2 });
    expect(await system.payments.expireActions()).toEqual({ canceled: 0, completed: 1, deferred: 0 });
    expect((await system.payments.get(ADMIN, { paymentId: p.id })).status).toBe("succeeded");
    expect(gateway.chargeCount(p.id)).toBe(1);
  });

  it("expiry after the customer completed a manual-capture step: the authorisation is kept, never released", async () => {
    const { system, clock, gateway } = makeSystem({ store: fixture.make() });
    const p = await system.payments.create(ADMIN, { amount: usd("50"), paymentMethod: threeDS, captureMethod: "manual" });
    gateway.completeAction(p.id, "succeed");
    clock.advance({ hours: 2 });
    expect(await system.payments.expireActions()).toEqual({ canceled: 0, completed: 1, deferred: 0 });
    expect((await system.payments.get(ADMIN, { paymentId: p.id })).status).toBe("requires_capture");
    expect((await gateway.retrieve({ paymentId: p.id })).status).toBe("authorized");
    expect((await system.payments.capture(ADMIN, { paymentId: p.id })).status).toBe("succeeded");
  });

  it("expiry with the gateway unreachable: deferred, still requires_action, then canceled by the next sweep", async () => {
    const { system, clock, gateway } = makeSystem({ store: fixture.make() });
    const p = await system.payments.create(ADMIN, { amount: usd("50"), paymentMethod: threeDS });
    clock.advance({ hours: 2 });
    gateway.injectFault({ operation: "void", kind: "unavailable" });
    expect(await system.payments.expireActions()).toEqual({ canceled: 0, completed: 0, deferred: 1 });
    expect((await system.payments.get(ADMIN, { paymentId: p.id })).status).toBe("requires_action");
    expect(await system.payments.expireActions()).toEqual({ canceled: 1, completed: 0, deferred: 0 });
  });

  it("payments.cancel cancels a payment waiting for its customer at the gateway; after a completion it records the completion", async () => {
    const { system, gateway } = makeSystem({ store: fixture.make() });
    const p = await system.payments.create(ADMIN, { amount: usd("50"), paymentMethod: threeDS });
    gateway.injectFault({ operation: "void", kind: "unavailable" });
    expect(await codeOf(() => system.payments.cancel(ADMIN, { paymentId: p.id, reason: "abandoned" }))).toBe("gateway_unavailable");
    expect((await system.payments.get(ADMIN, { paymentId: p.id })).status).toBe("requires_action");
    expect(await system.payments.cancel(ADMIN, { paymentId: p.id, reason: "abandoned" })).toMatchObject({
      status: "canceled",
      cancellationReason: "abandoned",
    });
    const q = await system.payments.create(ADMIN, { amount: usd("50"), paymentMethod: threeDS });
    gateway.completeAction(q.id, "succeed");
    expect((await system.payments.cancel(ADMIN, { paymentId: q.id })).status).toBe("succeeded");
  });

  it("a payment waiting for the customer cannot be captured or refunded", async () => {
    const { system } = makeSystem({ store: fixture.make() });
    const p = await system.payments.create(ADMIN, { amount: usd("50"), paymentMethod: threeDS, captureMethod: "manual" });
    expect(await codeOf(() => system.payments.capture(ADMIN, { paymentId: p.id }))).toBe("invalid_transition");
    expect(await codeOf(() => system.refunds.create(ADMIN, { paymentId: p.id, amount: usd("1") }))).toBe("invalid_transition");
    expect((await system.payments.get(ADMIN, { paymentId: p.id })).status).toBe("requires_action");
  });

  it("bad options are refused with a code and change nothing", async () => {
    const { system } = makeSystem({ store: fixture.make() });
    expect(await codeOf(() => system.payments.expireActions({ limit: 0 }))).toBe("validation_failed");
    expect(await codeOf(() => system.payments.expireActions({ limit: 5, other: 1 } as never))).toBe("validation_failed");
    expect(() => makeSystem({ store: fixture.make(), requiresActionTtl: { seconds: 5 } })).toThrow();
  });
});
