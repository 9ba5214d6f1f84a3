import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WebhookResponse, WebhookTransport } from "../src/index.js";
import { codeOf, makeSystem, usd, paymentStores } from "./helpers.js";
import { ADMIN } from "./helpers.js";

const DAY = 24 * 3_600_000;

describe.each(paymentStores())("bounded state: idempotency keys on $name", (fixture) => {
  beforeAll(() => fixture.setup());
  afterAll(() => fixture.teardown());
  it("purges a key only once it expired and passed the retention; the key then works as new", async () => {
    const { system, clock } = makeSystem({ store: fixture.make() });
    const first = await system.payments.create(ADMIN, { amount: usd("10.00"), paymentMethod: "pm_card_visa", idempotencyKey: "order-1" });
    await system.payments.create(ADMIN, { amount: usd("11.00"), paymentMethod: "pm_card_visa", idempotencyKey: "order-2" });
    const record = () => system.store.transaction((tx) => tx.idempotency.get("payments.create", "order-1"));
    expect(await system.maintenance.purgeIdempotencyKeys()).toBe(0); // live
    clock.advance(DAY + 1);
    expect(await system.maintenance.purgeIdempotencyKeys()).toBe(0); // expired, younger than 7 days
    expect((await record())?.response?.resourceId).toBe(first.id);
    clock.advance(6 * DAY);
    expect(await system.maintenance.purgeIdempotencyKeys({ limit: 1 })).toBe(1);
    expect(await system.maintenance.purgeIdempotencyKeys({ limit: 1 })).toBe(1);
    expect(await system.maintenance.purgeIdempotencyKeys()).toBe(0);
    expect(await record()).toBeNull();
    // As after expiry: the key runs a new request, even with other parameters.
    const again = await system.payments.create(ADMIN, { amount: usd("12.00"), paymentMethod: "pm_card_visa", idempotencyKey: "order-1" });
    expect(again.id).not.toBe(first.id);
  });

  it("a zero retention purges keys as soon as they expire, and never a live one", async () => {
    const { system, clock } = makeSystem({ store: fixture.make(), retention: { idempotencyKeys: 0 } });
    await system.payments.create(ADMIN, { amount: usd("10.00"), paymentMethod: "pm_card_visa", idempotencyKey: "k" });
    clock.advance(DAY - 1);
    expect(await system.maintenance.purgeIdempotencyKeys()).toBe(0);
    clock.advance(1);
    expect(await system.maintenance.purgeIdempotencyKeys()).toBe(1);
  });

  it("refuses a bad batch size and a bad retention", async () => {
    const { system } = makeSystem({ store: fixture.make() });
    expect(await codeOf(() => system.maintenance.purgeIdempotencyKeys({ limit: 0 }))).toBe("invalid_limit");
    expect(await codeOf(() => system.maintenance.purgeWebhookDeliveries({ limit: 10_001 }))).toBe("invalid_limit");
    expect(await codeOf(async () => makeSystem({ store: fixture.make(), retention: { webhookDeliveries: -1 } }))).toBe("validation_failed");
  });
});

describe.each(paymentStores())("bounded state: webhook deliveries and their attempt logs on $name", (fixture) => {
  beforeAll(() => fixture.setup());
  afterAll(() => fixture.teardown());
  it("purges finished deliveries past the retention; pending ones and replayed originals stay", async () => {
    let answer = 200;
    const transport: WebhookTransport = async (): Promise<WebhookResponse> => ({ status: answer, headers: {} });
    const { system, clock } = makeSystem({
      store: fixture.make(),
      webhooks: { transport, allowHttp: true, allowPrivateNetworks: true, autoDispatch: false },
    });
    const ep = await system.webhooks.createEndpoint(ADMIN, { url: "https://hooks.example.com/in", events: ["payment.succeeded"] });
    await system.payments.create(ADMIN, { amount: usd("1.00"), paymentMethod: "pm_card_visa" });
    await system.payments.create(ADMIN, { amount: usd("2.00"), paymentMethod: "pm_card_visa" });
    expect(await system.webhooks.dispatchDue()).toBe(2);
    answer = 500;
    await system.payments.create(ADMIN, { amount: usd("3.00"), paymentMethod: "pm_card_visa" });
    expect(await system.webhooks.dispatchDue()).toBe(1); // failed once, pending a retry
    const all = (await system.webhooks.listDeliveries(ADMIN, { endpointId: ep.id, limit: 10 })).items;
    const pending = all.find((d) => d.status === "pending")!;
    const [original] = all.filter((d) => d.status === "succeeded");
    answer = 200;
    const replay = await system.webhooks.replay(ADMIN, { deliveryId: original!.id });
    expect(replay.replayOf).toBe(original!.id);

    clock.advance(30 * DAY - 1);
    expect(await system.maintenance.purgeWebhookDeliveries()).toBe(0);
    clock.advance(1);
    // The other original and the replay go; the replayed original waits for its replay to be gone.
    expect(await system.maintenance.purgeWebhookDeliveries()).toBe(2);
    expect(await system.maintenance.purgeWebhookDeliveries()).toBe(1);
    expect(await system.maintenance.purgeWebhookDeliveries()).toBe(0);
    expect(await codeOf(() => system.webhooks.getDelivery(ADMIN, { deliveryId: original!.id }))).toBe("delivery_not_found");
    expect((await system.webhooks.getDelivery(ADMIN, { deliveryId: pending.id })).status).toBe("pending");
  });
});

describe.each(paymentStores())("bounded state: provider events (Stripe webhooks applied) on $name", (fixture) => {
  beforeAll(() => fixture.setup());
  afterAll(() => fixture.teardown());
  it("purges event records past the retention (default 30 days); refuses less than Stripe's 3 days of redelivery", async () => {
    const { system, clock } = makeSystem({ store: fixture.make() });
    const record = (eventId: string) =>
      system.store.transaction((tx) =>
        tx.gatewayEvents.record({ gateway: "test", eventId, type: "payment_intent.succeeded", receivedAt: system.clock.now() }),
      );
    expect(await record("evt_old_1")).toBe(true);
    expect(await record("evt_old_2")).toBe(true);
    clock.advance(29 * DAY);
    expect(await record("evt_young")).toBe(true);
    expect(await system.maintenance.purgeGatewayEvents()).toBe(0);
    clock.advance(DAY);
    expect(await system.maintenance.purgeGatewayEvents({ limit: 1 })).toBe(1);
    expect(await system.maintenance.purgeGatewayEvents()).toBe(1);
    expect(await system.maintenance.purgeGatewayEvents()).toBe(0);
    expect(await record("evt_young")).toBe(false);
    expect(await codeOf(() => system.maintenance.purgeGatewayEvents({ limit: 0 }))).toBe("invalid_limit");
    expect(await codeOf(async () => makeSystem({ store: fixture.make(), retention: { gatewayEvents: { days: 2 } } }))).toBe(
      "validation_failed",
    );
  });
});
