import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { PlatformError } from "@platform/core";
import { MemoryPaymentStore, verifyWebhook, type WebhookRequest, type WebhookResponse, type WebhookTransport } from "../src/index.js";
import { codeOf, makeSystem, usd, paymentStores } from "./helpers.js";
import { ADMIN } from "./helpers.js";

interface Received {
  body: string;
  headers: IncomingHttpHeaders;
}

let server: Server | undefined;
afterEach(async () => {
  if (server) await new Promise<void>((r) => server!.close(() => r()));
  server = undefined;
});

/** A real receiver on 127.0.0.1 that answers 500 to the first `failures` requests. */
async function receiver(failures: number): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      received.push({ body, headers: req.headers });
      res.statusCode = received.length <= failures ? 500 : 200;
      res.end(received.length <= failures ? "not yet" : "ok");
    });
  });
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, received };
}

function fakeTransport(answer: (req: WebhookRequest, n: number) => WebhookResponse | Error) {
  const requests: WebhookRequest[] = [];
  const transport: WebhookTransport = async (req) => {
    requests.push(req);
    const a = answer(req, requests.length);
    if (a instanceof Error) throw a;
    return a;
  };
  return { requests, transport };
}

const ok = (): WebhookResponse => ({ status: 200, headers: {} });

describe.each(paymentStores())("webhook delivery to a real HTTP server on $name", (fixture) => {
  beforeAll(() => fixture.setup());
  afterAll(() => fixture.teardown());
  it("fails the first attempts, is retried on schedule by the clock, arrives signed; tampering is rejected", async () => {
    const { url, received } = await receiver(2);
    const { system, clock } = makeSystem({
      store: fixture.make(),
      webhooks: { allowHttp: true, allowPrivateNetworks: true, autoDispatch: false },
    });
    const ep = await system.webhooks.createEndpoint(ADMIN, { url, events: ["payment.succeeded"] });
    const secret = ep.secret;
    expect(secret).toMatch(/^whsec_/);
    const p = await system.payments.create(ADMIN, { amount: usd("99.99"), paymentMethod: "pm_card_visa" });

    expect(await system.webhooks.dispatchDue()).toBe(1); // immediately -> 500
    expect(await system.webhooks.dispatchDue()).toBe(0); // not due yet
    clock.advance({ seconds: 6 }); // 5 s +-10 %
    expect(await system.webhooks.dispatchDue()).toBe(1); // -> 500
    clock.advance({ minutes: 4 });
    expect(await system.webhooks.dispatchDue()).toBe(0);
    clock.advance({ minutes: 2 }); // 5 min +-10 %
    expect(await system.webhooks.dispatchDue()).toBe(1); // -> 200
    expect(received).toHaveLength(3);

    const last = received[2]!;
    const verified = verifyWebhook(last.body, last.headers as Record<string, string>, secret, { now: clock.now() });
    expect(verified.payload).toMatchObject({
      type: "payment.succeeded",
      data: { payment: { id: p.id, amount: { amount: "99.99", currency: "USD" } } },
    });
    expect(new Set(received.map((r) => r.headers["webhook-id"])).size).toBe(1);

    const [delivery] = (await system.webhooks.listDeliveries(ADMIN, { endpointId: ep.id })).items;
    expect(delivery!.status).toBe("succeeded");
    expect(delivery!.attempts.map((a) => a.status)).toEqual([500, 500, 200]);

    const headers = last.headers as Record<string, string>;
    const reject = (body: string, h: Record<string, string>, s: string, now = clock.now()) => {
      try {
        verifyWebhook(body, h, s, { now });
        return "accepted";
      } catch (e) {
        return PlatformError.is(e) ? e.code : "other";
      }
    };
    expect(reject(last.body.replace("99.99", "0.01"), headers, secret)).toBe("webhook_signature_invalid");
    expect(reject(last.body, headers, "whsec_" + Buffer.alloc(32, 7).toString("base64"))).toBe("webhook_signature_invalid");
    expect(reject(last.body, headers, secret, new Date(clock.now().getTime() + 6 * 60_000))).toBe("webhook_timestamp_stale");
    expect(reject(last.body, { ...headers, "webhook-timestamp": String(Number(headers["webhook-timestamp"]) - 1) }, secret)).toBe(
      "webhook_signature_invalid",
    );
    expect(reject(last.body, { "webhook-id": headers["webhook-id"]! }, secret)).toBe("webhook_headers_missing");
  });
});

describe.each(paymentStores())("webhook endpoints on $name", (fixture) => {
  beforeAll(() => fixture.setup());
  afterAll(() => fixture.teardown());
  it("refuses non-https, private, loopback and malformed URLs unless allowed", async () => {
    const { system } = makeSystem({ store: fixture.make() });
    expect(await codeOf(() => system.webhooks.createEndpoint(ADMIN, { url: "http://hooks.example.com/x" }))).toBe("insecure_url");
    for (const url of [
      "https://127.0.0.1/x",
      "https://10.1.2.3/x",
      "https://192.168.0.5/",
      "https://169.254.169.254/latest",
      "https://localhost:8443/",
      "https://[::1]/",
      "https://[::ffff:127.0.0.1]/",
      "https://intranet/",
    ]) {
      expect(await codeOf(() => system.webhooks.createEndpoint(ADMIN, { url }))).toBe("private_url");
    }
    expect(await codeOf(() => system.webhooks.createEndpoint(ADMIN, { url: "not a url" }))).toBe("invalid_url");
    expect(await codeOf(() => system.webhooks.createEndpoint(ADMIN, { url: "https://user:pw@hooks.example.com/" }))).toBe("invalid_url");
    expect(await codeOf(() => system.webhooks.createEndpoint(ADMIN, { url: "https://hooks.example.com/", events: ["payment.**"] }))).toBe(
      "validation_failed",
    );
    expect((await system.webhooks.listEndpoints(ADMIN)).items).toHaveLength(0);
    const ep = await system.webhooks.createEndpoint(ADMIN, { url: "https://hooks.example.com/x" });
    expect(ep.events).toEqual(["*"]);
  });

  it("filters events with wildcards", async () => {
    const { requests, transport } = fakeTransport(ok);
    const { system } = makeSystem({ store: fixture.make(), webhooks: { transport, autoDispatch: false } });
    await system.webhooks.createEndpoint(ADMIN, { url: "https://a.example.com/", events: ["refund.*"] });
    await system.webhooks.createEndpoint(ADMIN, { url: "https://b.example.com/", events: ["payment.succeeded", "payment.failed"] });
    const p = await system.payments.create(ADMIN, { amount: usd("10"), paymentMethod: "pm_card_visa" });
    await system.refunds.create(ADMIN, { paymentId: p.id, amount: usd("1") });
    await system.webhooks.dispatchDue();
    const byUrl = (u: string) =>
      requests
        .filter((r) => r.url === u)
        .map((r) => (JSON.parse(r.body) as { type: string }).type)
        .sort();
    expect(byUrl("https://a.example.com/")).toEqual(["refund.created", "refund.succeeded"]);
    expect(byUrl("https://b.example.com/")).toEqual(["payment.succeeded"]);
  });

  it("rotation signs with old and new secrets during the overlap, then only the new", async () => {
    const { requests, transport } = fakeTransport(ok);
    const { system, clock } = makeSystem({ store: fixture.make(), webhooks: { transport, autoDispatch: false } });
    const ep = await system.webhooks.createEndpoint(ADMIN, { url: "https://a.example.com/" });
    const old = ep.secret;
    const rotated = await system.webhooks.rotateSecret(ADMIN, { endpointId: ep.id, overlapSeconds: 3600 });
    const fresh = rotated.secret;
    await system.payments.create(ADMIN, { amount: usd("1"), paymentMethod: "pm_card_visa" });
    await system.webhooks.dispatchDue();
    const r1 = requests.at(-1)!;
    expect(r1.headers["webhook-signature"]!.split(" ")).toHaveLength(2);
    for (const s of [old, fresh]) expect(() => verifyWebhook(r1.body, r1.headers, s, { now: clock.now() })).not.toThrow();
    clock.advance({ hours: 2 });
    await system.payments.create(ADMIN, { amount: usd("1"), paymentMethod: "pm_card_visa" });
    await system.webhooks.dispatchDue();
    const r2 = requests.at(-1)!;
    expect(r2.headers["webhook-signature"]!.split(" ")).toHaveLength(1);
    expect(() => verifyWebhook(r2.body, r2.headers, fresh, { now: clock.now() })).not.toThrow();
    expect(() => verifyWebhook(r2.body, r2.headers, old, { now: clock.now() })).toThrowError(
      expect.objectContaining({ code: "webhook_signature_invalid" }),
    );
  });

  it("410 Gone disables the endpoint", async () => {
    const { requests, transport } = fakeTransport(() => ({ status: 410, headers: {} }));
    const { system } = makeSystem({ store: fixture.make(), webhooks: { transport, autoDispatch: false } });
    const ep = await system.webhooks.createEndpoint(ADMIN, { url: "https://a.example.com/" });
    await system.payments.create(ADMIN, { amount: usd("1"), paymentMethod: "pm_card_visa" });
    await system.webhooks.dispatchDue();
    const after = await system.webhooks.getEndpoint(ADMIN, { endpointId: ep.id });
    expect(after).toMatchObject({ enabled: false, disabledReason: "gone" });
    const sent = requests.length;
    await system.payments.create(ADMIN, { amount: usd("1"), paymentMethod: "pm_card_visa" });
    await system.webhooks.dispatchDue();
    expect(requests.length).toBe(sent);
  });

  it("410 Gone disables the endpoint without undoing a change made while the request was in flight", async () => {
    let change: (() => Promise<unknown>) | undefined;
    const transport: WebhookTransport = async () => {
      await change?.();
      return { status: 410, headers: {} };
    };
    const { system } = makeSystem({ store: fixture.make(), webhooks: { transport, autoDispatch: false } });
    const ep = await system.webhooks.createEndpoint(ADMIN, { url: "https://a.example.com/", events: ["payment.succeeded"] });
    change = async () => {
      await system.webhooks.updateEndpoint(ADMIN, { endpointId: ep.id, events: ["payment.*"], description: "changed meanwhile" });
      await system.webhooks.rotateSecret(ADMIN, { endpointId: ep.id, overlapSeconds: 0 });
    };
    await system.payments.create(ADMIN, { amount: usd("1"), paymentMethod: "pm_card_visa" });
    await system.webhooks.dispatchDue();
    const after = await system.webhooks.getEndpoint(ADMIN, { endpointId: ep.id });
    expect(after).toMatchObject({ enabled: false, disabledReason: "gone", events: ["payment.*"], description: "changed meanwhile" });
    expect(after.secrets).toHaveLength(2);

    // A 410 from the URL the endpoint had before a concurrent URL change does not disable the new URL.
    const ep2 = await system.webhooks.createEndpoint(ADMIN, { url: "https://old.example.com/", events: ["payment.succeeded"] });
    change = () => system.webhooks.updateEndpoint(ADMIN, { endpointId: ep2.id, url: "https://new.example.com/" });
    await system.payments.create(ADMIN, { amount: usd("1"), paymentMethod: "pm_card_visa" });
    await system.webhooks.dispatchDue();
    expect(await system.webhooks.getEndpoint(ADMIN, { endpointId: ep2.id })).toMatchObject({
      enabled: true,
      url: "https://new.example.com/",
    });
  });

  it("honours Retry-After and gives up after the schedule; manual retry and replay still work", async () => {
    let up = false;
    const { requests, transport } = fakeTransport(() => (up ? ok() : { status: 503, headers: { "retry-after": "120" } }));
    const { system, clock } = makeSystem({ store: fixture.make(), webhooks: { transport, autoDispatch: false } });
    const ep = await system.webhooks.createEndpoint(ADMIN, { url: "https://a.example.com/", events: ["payment.succeeded"] });
    await system.payments.create(ADMIN, { amount: usd("1"), paymentMethod: "pm_card_visa" });
    await system.webhooks.dispatchDue();
    let [d] = (await system.webhooks.listDeliveries(ADMIN, { endpointId: ep.id })).items;
    expect(d!.nextAttemptAt!.getTime() - clock.now().getTime()).toBeGreaterThanOrEqual(120_000);
    clock.advance({ seconds: 60 });
    expect(await system.webhooks.dispatchDue()).toBe(0);
    for (let i = 0; i < 10; i++) {
      clock.advance({ hours: 12 });
      await system.webhooks.dispatchDue();
    }
    d = await system.webhooks.getDelivery(ADMIN, { deliveryId: d!.id });
    expect(d.status).toBe("failed");
    expect(d.attemptCount).toBe(8);
    expect(requests).toHaveLength(8);
    up = true;
    const retried = await system.webhooks.retry(ADMIN, { deliveryId: d.id });
    expect(retried.status).toBe("succeeded");
    expect(retried.attempts.at(-1)).toMatchObject({ status: 200, manual: true });
    const replay = await system.webhooks.replay(ADMIN, { deliveryId: d.id });
    expect(replay).toMatchObject({ status: "succeeded", replayOf: d.id, messageId: d.messageId });
    expect(await codeOf(() => system.webhooks.retry(ADMIN, { deliveryId: "whd_missing" }))).toBe("delivery_not_found");
  });

  it("a manual retry while a dispatcher holds the lease is refused (delivery_in_flight); after the lease it claims and sends", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let calls = 0;
    let hold = true;
    const transport: WebhookTransport = async () => {
      calls++;
      if (hold) await gate;
      return ok();
    };
    const { system, clock } = makeSystem({ store: fixture.make(), webhooks: { transport, autoDispatch: false } });
    const ep = await system.webhooks.createEndpoint(ADMIN, { url: "https://a.example.com/", events: ["payment.succeeded"] });
    await system.payments.create(ADMIN, { amount: usd("1"), paymentMethod: "pm_card_visa" });
    const dispatching = system.webhooks.dispatchDue();
    while (calls === 0) await new Promise((r) => setTimeout(r, 1));
    const [d] = (await system.webhooks.listDeliveries(ADMIN, { endpointId: ep.id })).items;
    expect(d!.status).toBe("sending");
    expect(await codeOf(() => system.webhooks.retry(ADMIN, { deliveryId: d!.id }))).toBe("delivery_in_flight");
    expect(calls).toBe(1);
    // The dispatcher is presumed dead once its lease lapses: a manual retry may then take the delivery.
    clock.advance({ seconds: 61 });
    hold = false;
    const retried = await system.webhooks.retry(ADMIN, { deliveryId: d!.id });
    expect(calls).toBe(2);
    expect(retried).toMatchObject({ status: "succeeded", attemptCount: 1 });
    expect(retried.attempts.map((a) => a.manual)).toEqual([true]);
    release();
    await dispatching;
    // The dispatcher's late answer is not recorded over the retry that took its lease over.
    expect(await system.webhooks.getDelivery(ADMIN, { deliveryId: d!.id })).toMatchObject({ status: "succeeded", attemptCount: 1 });
  });

  it("a dispatcher whose lease lapsed cannot record its late attempt over the one that took the delivery over", async () => {
    const store = fixture.make();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = fakeTransport(() => ({ status: 500, headers: {} }));
    let entered = false;
    const stuck: WebhookTransport = async (req) => {
      entered = true;
      await gate;
      return slow.transport(req);
    };
    const fast = fakeTransport(ok);
    const a = makeSystem({ store, webhooks: { transport: stuck, autoDispatch: false } });
    const b = makeSystem({ store, webhooks: { transport: fast.transport, autoDispatch: false } });
    const ep = await a.system.webhooks.createEndpoint(ADMIN, { url: "https://a.example.com/", events: ["payment.succeeded"] });
    await a.system.payments.create(ADMIN, { amount: usd("1"), paymentMethod: "pm_card_visa" });
    const late = a.system.webhooks.dispatchDue();
    while (!entered) await new Promise((r) => setTimeout(r, 1));
    // A's lease lapses (by B's clock): B takes the delivery over and delivers it.
    b.clock.set(a.clock.now().getTime() + 61_000);
    expect(await b.system.webhooks.dispatchDue()).toBe(1);
    const [won] = (await b.system.webhooks.listDeliveries(ADMIN, { endpointId: ep.id })).items;
    expect(won).toMatchObject({ status: "succeeded", attemptCount: 1 });
    // A's request finally answers 500: its record is refused, B's success and log stand.
    release();
    await late;
    const d = await b.system.webhooks.getDelivery(ADMIN, { deliveryId: won!.id });
    expect(d).toMatchObject({ status: "succeeded", attemptCount: 1 });
    expect(d.attempts.map((x) => x.status)).toEqual([200]);
    expect(slow.requests).toHaveLength(1);
  });

  it("deliveries are stored with their event, so they survive a restart of the process", async () => {
    const store = fixture.make();
    const down = fakeTransport(() => new Error("ECONNREFUSED"));
    const first = makeSystem({ store, webhooks: { transport: down.transport, autoDispatch: false } });
    await first.system.webhooks.createEndpoint(ADMIN, { url: "https://a.example.com/", events: ["payment.*"] });
    await first.system.payments.create(ADMIN, { amount: usd("3"), paymentMethod: "pm_card_visa" });
    await first.system.webhooks.dispatchDue();
    expect(down.requests).toHaveLength(2);
    // "Restart": a new system on the same store, with a working transport.
    const upT = fakeTransport(ok);
    const second = makeSystem({ store, webhooks: { transport: upT.transport, autoDispatch: false } });
    second.clock.set(first.clock.now().getTime() + 10_000);
    expect(await second.system.webhooks.dispatchDue()).toBe(2);
    expect(upT.requests.map((r) => (JSON.parse(r.body) as { type: string }).type).sort()).toEqual(["payment.created", "payment.succeeded"]);
  });

  it("a rolled-back operation queues no delivery", async () => {
    const { requests, transport } = fakeTransport(ok);
    const { system } = makeSystem({ store: fixture.make(), webhooks: { transport, autoDispatch: false } });
    await system.webhooks.createEndpoint(ADMIN, { url: "https://a.example.com/" });
    const p = await system.payments.create(ADMIN, { amount: usd("3"), paymentMethod: "pm_card_visa" });
    await system.webhooks.dispatchDue();
    const before = requests.length;
    await codeOf(() => system.refunds.create(ADMIN, { paymentId: p.id, amount: usd("4") }));
    expect(await system.webhooks.dispatchDue()).toBe(0);
    expect(requests.length).toBe(before);
  });

  it("auto-dispatch sends right after commit", async () => {
    const { requests, transport } = fakeTransport(ok);
    const { system } = makeSystem({ store: fixture.make(), webhooks: { transport, autoDispatch: true } });
    await system.webhooks.createEndpoint(ADMIN, { url: "https://a.example.com/", events: ["payment.succeeded"] });
    await system.payments.create(ADMIN, { amount: usd("3"), paymentMethod: "pm_card_visa" });
    await system.webhooks.dispatchDue(); // waits for the run the commit started
    expect(requests).toHaveLength(1);
  });

  it("two dispatchers on one store send each delivery once", async () => {
    const store = fixture.make();
    const { requests, transport } = fakeTransport(ok);
    const one = makeSystem({ store, webhooks: { transport, autoDispatch: false } });
    const two = makeSystem({ store, webhooks: { transport, autoDispatch: false } });
    await one.system.webhooks.createEndpoint(ADMIN, { url: "https://a.example.com/", events: ["payment.succeeded"] });
    await Promise.all(
      Array.from({ length: 20 }, () => one.system.payments.create(ADMIN, { amount: usd("1"), paymentMethod: "pm_card_visa" })),
    );
    const [a, b] = await Promise.all([one.system.webhooks.dispatchDue({ limit: 3 }), two.system.webhooks.dispatchDue({ limit: 3 })]);
    expect(a + b).toBe(20);
    expect(requests).toHaveLength(20);
    expect(new Set(requests.map((r) => r.headers["webhook-id"])).size).toBe(20);
  });
});
