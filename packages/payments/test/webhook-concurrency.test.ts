import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WebhookTransport } from "../src/index.js";
import { makeSystem, usd, paymentStores } from "./helpers.js";
import { ADMIN } from "./helpers.js";

describe.each(paymentStores())("webhook sends per endpoint on $name", (fixture) => {
  beforeAll(() => fixture.setup());
  afterAll(() => fixture.teardown());
  it("at most maxConcurrentPerEndpoint requests are in flight to one endpoint; others are not held back", async () => {
    const inFlight = new Map<string, number>();
    const peak = new Map<string, number>();
    const transport: WebhookTransport = async (req) => {
      inFlight.set(req.url, (inFlight.get(req.url) ?? 0) + 1);
      peak.set(req.url, Math.max(peak.get(req.url) ?? 0, inFlight.get(req.url)!));
      await new Promise((r) => setTimeout(r, 2));
      inFlight.set(req.url, inFlight.get(req.url)! - 1);
      return { status: 200, headers: {} };
    };
    const { system } = makeSystem({ store: fixture.make(), webhooks: { transport, autoDispatch: false, maxConcurrentPerEndpoint: 3 } });
    const slow = await system.webhooks.createEndpoint(ADMIN, { url: "https://slow.example.com/", events: ["payment.succeeded"] });
    const other = await system.webhooks.createEndpoint(ADMIN, { url: "https://other.example.com/", events: ["payment.created"] });
    for (let i = 0; i < 12; i++) await system.payments.create(ADMIN, { amount: usd("1"), paymentMethod: "pm_card_visa" });
    expect(await system.webhooks.dispatchDue()).toBe(24);
    expect(peak.get("https://slow.example.com/")).toBe(3);
    expect(peak.get("https://other.example.com/")).toBe(3);
    for (const ep of [slow, other])
      expect((await system.webhooks.listDeliveries(ADMIN, { endpointId: ep.id, limit: 100 })).items.map((d) => d.status)).toEqual(
        Array(12).fill("succeeded"),
      );
  });

  it("a delivery that waited for a slot until its lease ran short goes back to the queue unsent, then is sent", async () => {
    const urls: string[] = [];
    let advance = (): void => undefined;
    const transport: WebhookTransport = async (req) => {
      urls.push(req.url);
      advance(); // the first request takes 50 s by the clock: the waiting delivery keeps 10 s of its 60 s lease
      advance = () => undefined;
      return { status: 200, headers: {} };
    };
    const { system, clock } = makeSystem({
      store: fixture.make(),
      webhooks: { transport, autoDispatch: false, maxConcurrentPerEndpoint: 1, timeoutMs: 15_000, leaseMs: 60_000 },
    });
    advance = () => clock.advance({ seconds: 50 });
    const ep = await system.webhooks.createEndpoint(ADMIN, { url: "https://hooks.example.com/", events: ["payment.succeeded"] });
    await system.payments.create(ADMIN, { amount: usd("1"), paymentMethod: "pm_card_visa" });
    await system.payments.create(ADMIN, { amount: usd("1"), paymentMethod: "pm_card_visa" });
    expect(await system.webhooks.dispatchDue()).toBe(1);
    expect(urls).toHaveLength(1);
    const states = (await system.webhooks.listDeliveries(ADMIN, { endpointId: ep.id })).items.map((d) => [
      d.status,
      d.attemptCount,
      d.leaseToken ?? null,
    ]);
    expect(states.sort()).toEqual([
      ["pending", 0, null],
      ["succeeded", 1, null],
    ]);
    expect(await system.webhooks.dispatchDue()).toBe(1);
    expect((await system.webhooks.listDeliveries(ADMIN, { endpointId: ep.id })).items.map((d) => d.status)).toEqual([
      "succeeded",
      "succeeded",
    ]);
  });
});
