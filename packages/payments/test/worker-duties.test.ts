import { describe, expect, it } from "vitest";
import { createWorker } from "@platform/core";
import { waitUntil } from "@platform/core/testing";
import type { WebhookRequest, WebhookTransport } from "../src/index.js";
import { codeOf, makeSystem, usd } from "./helpers.js";
import { ADMIN } from "./helpers.js";

function countingTransport() {
  const requests: WebhookRequest[] = [];
  const transport: WebhookTransport = async (req) => {
    requests.push(req);
    return { status: 200, headers: {} };
  };
  return { requests, transport };
}

describe("payments as worker duties on memory", () => {
  it("declares its duties; the memory store has no outbox to purge", () => {
    const { system } = makeSystem();
    expect(createWorker({ payments: system }).duties).toEqual([
      "payments.webhooks.dispatch",
      "payments.payments.reconcile",
      "payments.refunds.reconcile",
      "payments.authorizations.expire",
      "payments.actions.expire",
      "payments.idempotency_keys.purge",
      "payments.webhook_deliveries.purge",
      "payments.gateway_events.purge",
    ]);
  });

  it("webhooks.dispatchDue({ maxBatches: 1 }) claims one batch and leaves the rest due", async () => {
    const { requests, transport } = countingTransport();
    const { system } = makeSystem({ webhooks: { transport, autoDispatch: false, allowHttp: true, allowPrivateNetworks: true } });
    await system.webhooks.createEndpoint(ADMIN, { url: "http://127.0.0.1:9/hooks", events: ["payment.succeeded"] });
    for (let i = 0; i < 5; i++) await system.payments.create(ADMIN, { amount: usd("10.00"), paymentMethod: "pm_card_visa" });
    expect(await system.webhooks.dispatchDue({ limit: 2, maxBatches: 1 })).toBe(2);
    expect(requests).toHaveLength(2);
    expect(await system.webhooks.dispatchDue({ limit: 2 })).toBe(3);
    expect(await codeOf(() => system.webhooks.dispatchDue({ maxBatches: 0 }))).toBe("validation_failed");
  });

  it("a worker on the memory store sends due webhooks and expires authorisations on its timers", async () => {
    const { requests, transport } = countingTransport();
    const { system, clock } = makeSystem({ webhooks: { transport, autoDispatch: false, allowHttp: true, allowPrivateNetworks: true } });
    await system.webhooks.createEndpoint(ADMIN, { url: "http://127.0.0.1:9/hooks", events: ["payment.succeeded", "payment.canceled"] });
    for (let i = 0; i < 7; i++) await system.payments.create(ADMIN, { amount: usd("10.00"), paymentMethod: "pm_card_visa" });
    const held = await system.payments.create(ADMIN, { amount: usd("30.00"), paymentMethod: "pm_card_visa", captureMethod: "manual" });
    clock.advance({ days: 8 });
    const fast = { intervalMs: 10, batchSize: 3 };
    const worker = createWorker({
      payments: system,
      clock,
      duties: { "payments.webhooks.dispatch": fast, "payments.authorizations.expire": fast },
    }).start();
    try {
      await waitUntil(
        async () => requests.length >= 8 && (await system.payments.get(ADMIN, { paymentId: held.id })).status === "canceled",
        "8 webhooks and the expired authorisation",
        { timeoutMs: 10_000 },
      );
    } finally {
      expect(await worker.stop({ deadlineMs: 5_000 })).toEqual({ finished: true, unfinished: [], unreleased: [] });
    }
    expect(new Set(requests.map((r) => JSON.parse(r.body).id)).size).toBe(8); // 7 succeeded + 1 canceled, each once
    expect(worker.health().duties.find((d) => d.name === "payments.webhooks.dispatch")).toMatchObject({
      consecutiveFailures: 0,
      lastOutcome: "succeeded",
    });
  });

  it("a worker cancels payments whose 3-D Secure step expired (payments.actions.expire)", async () => {
    const { system, clock } = makeSystem();
    const waiting = await system.payments.create(ADMIN, { amount: usd("30.00"), paymentMethod: "pm_card_threeDSecure2Required" });
    clock.advance({ hours: 2 });
    const worker = createWorker({
      payments: system,
      clock,
      duties: { "payments.actions.expire": { intervalMs: 10, batchSize: 3 } },
    }).start();
    try {
      await waitUntil(
        async () => (await system.payments.get(ADMIN, { paymentId: waiting.id })).status === "canceled",
        "the expired customer action canceled",
        { timeoutMs: 10_000 },
      );
    } finally {
      expect(await worker.stop({ deadlineMs: 5_000 })).toEqual({ finished: true, unfinished: [], unreleased: [] });
    }
    expect((await system.payments.get(ADMIN, { paymentId: waiting.id })).cancellationReason).toBe("abandoned");
  });
});
