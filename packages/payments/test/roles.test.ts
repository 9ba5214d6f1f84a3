import { describe, expect, it } from "vitest";
import { ANONYMOUS_ACTOR, type Actor } from "@platform/core";
import type { PaymentsRole } from "../src/index.js";
import { ADMIN, codeOf, makeSystem, usd } from "./helpers.js";

const READER: Actor<PaymentsRole> = { id: "key_reader", roles: ["payments:read"] };
const WRITER: Actor<PaymentsRole> = { id: "key_writer", roles: ["payments:write"] };

describe("payments roles on memory", () => {
  it("reads need payments:read, charges need payments:write, admin holds both", async () => {
    const { system } = makeSystem();
    expect(await codeOf(() => system.payments.create(READER, { amount: usd("5"), paymentMethod: "pm_card_visa" }))).toBe("role_required");
    const p = await system.payments.create(WRITER, { amount: usd("5"), paymentMethod: "pm_card_visa", captureMethod: "manual" });
    expect(await codeOf(() => system.payments.get(WRITER, { paymentId: p.id }))).toBe("role_required");
    expect((await system.payments.get(READER, { paymentId: p.id })).status).toBe("requires_capture");
    expect(await codeOf(() => system.payments.capture(READER, { paymentId: p.id }))).toBe("role_required");
    expect((await system.payments.capture(ADMIN, { paymentId: p.id })).status).toBe("succeeded");
    expect(await codeOf(() => system.refunds.create(READER, { paymentId: p.id }))).toBe("role_required");
    const r = await system.refunds.create(WRITER, { paymentId: p.id, amount: usd("1") });
    expect((await system.refunds.get(READER, { refundId: r.id })).status).toBe("succeeded");
    expect(await codeOf(() => system.transactions.listByPayment(WRITER, { paymentId: p.id }))).toBe("role_required");
    expect((await system.transactions.listByPayment(READER, { paymentId: p.id })).items.length).toBeGreaterThan(0);
  });

  it("reviews, fraud rules, webhook endpoints, delivery replays and provider events need admin", async () => {
    const { system } = makeSystem();
    const both: Actor = { id: "key_both", roles: ["payments:read", "payments:write"] };
    expect(await codeOf(() => system.fraud.addRule(both, { rule: "review if amount > 100 USD" }))).toBe("role_required");
    expect(await codeOf(() => system.fraud.listRules(both))).toBe("role_required");
    expect(await codeOf(() => system.fraud.lists.add(both, { list: "block", type: "email", value: "m@example.com" }))).toBe(
      "role_required",
    );
    await system.fraud.addRule(ADMIN, { rule: "review if amount > 100 USD" });
    const held = await system.payments.create(both, { amount: usd("150"), paymentMethod: "pm_card_visa" });
    expect(held.review?.status).toBe("pending");
    expect(await codeOf(() => system.payments.approveReview(both, { paymentId: held.id }))).toBe("role_required");
    expect(await codeOf(() => system.payments.rejectReview(both, { paymentId: held.id, note: "no" }))).toBe("role_required");
    expect((await system.payments.approveReview(ADMIN, { paymentId: held.id, note: "known customer" })).review).toMatchObject({
      status: "approved",
      note: "known customer",
      decidedBy: ADMIN.id,
    });
    expect(await codeOf(() => system.webhooks.createEndpoint(both, { url: "https://shop.example.com/hooks", events: ["payment.*"] }))).toBe(
      "role_required",
    );
    const ep = await system.webhooks.createEndpoint(ADMIN, { url: "https://shop.example.com/hooks", events: ["payment.*"] });
    expect((await system.webhooks.getEndpoint(READER, { endpointId: ep.id })).url).toBe("https://shop.example.com/hooks");
    expect(await codeOf(() => system.webhooks.deleteEndpoint(both, { endpointId: ep.id }))).toBe("role_required");
    expect(await system.webhooks.deleteEndpoint(ADMIN, { endpointId: ep.id })).toBeUndefined();
    expect(await codeOf(() => system.gatewayEvents.apply(both, { gateway: "test", eventId: "evt_1", type: "x" }))).toBe("role_required");
  });

  it("the anonymous actor holds no role; a malformed actor is invalid_actor and changes nothing", async () => {
    const { system } = makeSystem();
    expect(await codeOf(() => system.payments.create(ANONYMOUS_ACTOR, { amount: usd("5"), paymentMethod: "pm_card_visa" }))).toBe(
      "role_required",
    );
    expect(
      await codeOf(() => system.payments.create({ id: "x", roles: "admin" } as never, { amount: usd("5"), paymentMethod: "pm_card_visa" })),
    ).toBe("invalid_actor");
    expect(await codeOf(() => system.payments.create(undefined as never, { amount: usd("5"), paymentMethod: "pm_card_visa" }))).toBe(
      "invalid_actor",
    );
    expect((await system.payments.listByStatus(ADMIN, { status: "succeeded" })).items).toEqual([]);
  });
});

describe("payments lists and duties on memory", () => {
  it("refunds.listByPayment and fraud.listRules return pages", async () => {
    const { system } = makeSystem();
    const p = await system.payments.create(ADMIN, { amount: usd("10"), paymentMethod: "pm_card_visa" });
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await system.refunds.create(ADMIN, { paymentId: p.id, amount: usd("1") })).id);
    const first = await system.refunds.listByPayment(ADMIN, { paymentId: p.id, limit: 2 });
    const second = await system.refunds.listByPayment(ADMIN, { paymentId: p.id, limit: 2, cursor: first.nextCursor });
    expect([...first.items, ...second.items].map((r) => r.id)).toEqual(ids);
    expect(second.nextCursor).toBeNull();
    for (const rule of ["review if amount > 100 USD", "block if amount > 1000 USD"]) await system.fraud.addRule(ADMIN, { rule });
    const rules = await system.fraud.listRules(ADMIN, { limit: 1 });
    expect(rules.items.map((r) => r.source)).toEqual(["review if amount > 100 USD"]);
    expect((await system.fraud.listRules(ADMIN, { cursor: rules.nextCursor })).items.map((r) => r.source)).toEqual([
      "block if amount > 1000 USD",
    ]);
  });

  it("reconcileDue takes no actor and reconciles at most `limit` due payments; reconcile(actor) takes one", async () => {
    const { system, clock, gateway } = makeSystem();
    gateway.injectFault({ operation: "authorize", kind: "timeout", times: 2 });
    const a = await system.payments.create(ADMIN, { amount: usd("3"), paymentMethod: "pm_card_visa" });
    const b = await system.payments.create(ADMIN, { amount: usd("4"), paymentMethod: "pm_card_visa" });
    expect([a.status, b.status]).toEqual(["processing", "processing"]);
    clock.advance({ minutes: 2 });
    expect(await codeOf(() => system.payments.reconcileDue({ limit: 0 }))).toBe("validation_failed");
    // Both were created at the same instant: either may come first.
    const once = await system.payments.reconcileDue({ limit: 1 });
    expect(once).toHaveLength(1);
    expect(once[0]!.status).toBe("succeeded");
    const other = once[0]!.id === a.id ? b : a;
    expect((await system.payments.get(ADMIN, { paymentId: other.id })).status).toBe("processing");
    expect(await codeOf(() => system.payments.reconcile(READER, { paymentId: other.id }))).toBe("role_required");
    expect((await system.payments.reconcile(WRITER, { paymentId: other.id })).status).toBe("succeeded");
  });
});
