import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyWebhook, type WebhookTransport } from "../src/index.js";
import { makeSystem, usd, paymentStores } from "./helpers.js";
import { ADMIN } from "./helpers.js";

// Signing secrets are shown twice only: in the answer of createEndpoint and of rotateSecret. Every
// other read (and its JSON, as an HTTP layer would send it) shows a masked prefix.
describe.each(paymentStores())("webhook signing secrets on $name", (fixture) => {
  beforeAll(() => fixture.setup());
  afterAll(() => fixture.teardown());
  it("appear only in the answers of create and rotate; every read path masks them", async () => {
    const sent: { body: string; headers: Record<string, string> }[] = [];
    const transport: WebhookTransport = async (req) => (
      sent.push({ body: req.body, headers: { ...req.headers } }),
      { status: 200, headers: {} }
    );
    const { system, clock } = makeSystem({ store: fixture.make(), webhooks: { transport, autoDispatch: false } });
    const created = await system.webhooks.createEndpoint(ADMIN, { url: "https://hooks.example.com/a", events: ["payment.succeeded"] });
    const first = created.secret;
    expect(first).toMatch(/^whsec_/);
    expect(created.secrets).toEqual([{ masked: `${first.slice(0, 10)}…`, createdAt: clock.now(), expiresAt: undefined }]);
    expect(JSON.stringify(created.secrets)).not.toContain(first.slice(10, 20));

    const rotated = await system.webhooks.rotateSecret(ADMIN, { endpointId: created.id, overlapSeconds: 3600 });
    const second = rotated.secret;
    expect(second).not.toBe(first);
    expect(rotated.secrets.map((s) => s.masked)).toEqual([`${first.slice(0, 10)}…`, `${second.slice(0, 10)}…`]);
    expect(JSON.stringify(rotated)).not.toContain(first.slice(6)); // the old key is not repeated
    await system.webhooks.createEndpoint(ADMIN, {
      url: "https://hooks.example.com/b",
      secret: `whsec_${Buffer.alloc(32, 9).toString("base64")}`,
    });
    const own = `whsec_${Buffer.alloc(32, 9).toString("base64")}`;

    const reads: [string, unknown][] = [
      ["getEndpoint", await system.webhooks.getEndpoint(ADMIN, { endpointId: created.id })],
      ["listEndpoints", await system.webhooks.listEndpoints(ADMIN)],
      ["listEndpoints page", await system.webhooks.listEndpoints(ADMIN, { limit: 1 })],
      ["updateEndpoint", await system.webhooks.updateEndpoint(ADMIN, { endpointId: created.id, description: "renamed" })],
      ["disable", await system.webhooks.updateEndpoint(ADMIN, { endpointId: created.id, enabled: false })],
      ["enable", await system.webhooks.updateEndpoint(ADMIN, { endpointId: created.id, enabled: true })],
    ];
    await system.payments.create(ADMIN, { amount: usd("2"), paymentMethod: "pm_card_visa" });
    await system.webhooks.dispatchDue();
    const [delivery] = (await system.webhooks.listDeliveries(ADMIN, { endpointId: created.id })).items;
    reads.push(
      ["listDeliveries", delivery],
      ["getDelivery", await system.webhooks.getDelivery(ADMIN, { deliveryId: delivery!.id })],
      ["retry", await system.webhooks.retry(ADMIN, { deliveryId: delivery!.id })],
    );
    for (const [path, value] of reads) {
      const json = JSON.stringify(value);
      for (const key of [first, second, own]) expect([path, json.includes(key.slice(6))]).toEqual([path, false]);
    }
    expect(
      (await system.webhooks.getEndpoint(ADMIN, { endpointId: created.id })).secrets.every(
        (s) => Object.keys(s).sort().join() === "createdAt,expiresAt,masked",
      ),
    ).toBe(true);

    // The secrets still sign: both live ones, as before.
    const last = sent.at(-1)!;
    for (const key of [first, second]) expect(() => verifyWebhook(last.body, last.headers, key, { now: clock.now() })).not.toThrow();
  });
});
