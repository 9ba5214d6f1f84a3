import type { LookupAddress } from "node:dns";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { PlatformError } from "@platform/core";
import {
  createWebhookTransport,
  MemoryPaymentStore,
  type ClosableWebhookTransport,
  type HostResolver,
  type WebhookRequest,
} from "../src/index.js";
import { checkedLookup } from "../src/adapters/http/checked-connector.js";
import { codeOf, makeSystem, usd } from "./helpers.js";
import { ADMIN } from "./helpers.js";

// Only loopback is reachable here, and no name with a dot resolves to it: the tests inject a resolver
// into the transport so a public-looking name answers 127.0.0.1, as an attacker's DNS would.

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

async function listen(handler: (res: ServerResponse) => void): Promise<{ port: number; hits: () => number }> {
  let hits = 0;
  const server: Server = createServer((req, res) => {
    hits++;
    req.resume();
    req.on("end", () => handler(res));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  cleanup.push(() => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))));
  return { port: (server.address() as AddressInfo).port, hits: () => hits };
}

function transport(options: Parameters<typeof createWebhookTransport>[0]): ClosableWebhookTransport {
  const t = createWebhookTransport(options);
  cleanup.push(() => t.close());
  return t;
}

const to = (address: string): LookupAddress => ({ address, family: address.includes(":") ? 6 : 4 });
/** A resolver answering every name with `answers`, counting its calls. */
function resolver(...answers: string[][]): HostResolver & { calls: string[] } {
  const calls: string[] = [];
  const fn = async (host: string) => {
    calls.push(host);
    return (answers[Math.min(calls.length, answers.length) - 1] ?? []).map(to);
  };
  return Object.assign(fn, { calls });
}

const post = (url: string): WebhookRequest => ({ url, headers: { "content-type": "application/json" }, body: "{}", timeoutMs: 10_000 });

async function rejection(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return PlatformError.is(e) ? e.code : String((e as { code?: unknown }).code ?? e);
  }
  return "sent";
}

describe("webhook URLs on memory: every spelling of an inside host is refused", () => {
  const spellings = [
    "localhost.",
    "LOCALHOST",
    "x.localhost.",
    "metadata.google.internal.",
    "printer.local.",
    "intranet.corp",
    "router.home.arpa",
    "ｌｏｃａｌｈｏｓｔ", // full-width, IDNA-mapped to localhost
    "[::127.0.0.1]", // IPv4-compatible
    "[::ffff:0:127.0.0.1]", // IPv4-translated
    "[::ffff:127.0.0.1]", // IPv4-mapped
    "[::ffff:10.0.0.1]",
    "[64:ff9b::169.254.169.254]", // NAT64 of the metadata address
    "0x7f.1", // 127.0.0.1 in hex
    "2130706433", // 127.0.0.1 as an integer
    "0.0.0.0",
    "[::]",
    "100.64.0.1", // CGNAT
    "172.31.255.255",
    "[fd12::1]", // ULA
    "[fe80::1]", // link-local
    "224.0.0.1", // multicast
    "255.255.255.255",
    "198.18.0.1", // benchmarking
  ];

  it("at createEndpoint and updateEndpoint (private_url), changing nothing", async () => {
    const { system } = makeSystem();
    const ep = await system.webhooks.createEndpoint(ADMIN, { url: "https://hooks.example.com/x" });
    for (const host of spellings) {
      expect([host, await codeOf(() => system.webhooks.createEndpoint(ADMIN, { url: `https://${host}/hooks` }))]).toEqual([
        host,
        "private_url",
      ]);
      expect([
        host,
        await codeOf(() => system.webhooks.updateEndpoint(ADMIN, { endpointId: ep.id, url: `https://${host}:8443/` })),
      ]).toEqual([host, "private_url"]);
    }
    expect((await system.webhooks.listEndpoints(ADMIN)).items.map((e) => e.url)).toEqual(["https://hooks.example.com/x"]);
    // Public names and addresses stay accepted, including a trailing dot and upper case.
    for (const url of ["https://HOOKS.Example.com./x", "https://93.184.215.14/x", "https://[2606:4700::1111]/x"])
      await system.webhooks.createEndpoint(ADMIN, { url });
  });

  it("again in the transport, for a URL stored before the check existed, before any connection", async () => {
    const receiver = await listen((res) => res.end("ok"));
    const all = resolver(["127.0.0.1"]);
    const t = transport({ resolve: all });
    for (const host of spellings)
      expect([host, await rejection(t(post(`http://${host}:${receiver.port}/`)))]).toEqual([host, "private_url"]);
    expect(receiver.hits()).toBe(0);
    expect(all.calls).toEqual([]); // refused on the name itself, before resolving
  });
});

describe("webhook transport on memory: names that resolve inside", () => {
  it("a public name that resolves to loopback never receives a delivery; its answer is not logged", async () => {
    const receiver = await listen((res) => res.end("secret internal answer"));
    const { system } = makeSystem({
      webhooks: { allowHttp: true, autoDispatch: false, transport: transport({ resolve: resolver(["127.0.0.1"]) }) },
    });
    const ep = await system.webhooks.createEndpoint(ADMIN, {
      url: `http://hooks.example.com:${receiver.port}/hooks`,
      events: ["payment.succeeded"],
    });
    await system.payments.create(ADMIN, { amount: usd("5"), paymentMethod: "pm_card_visa" });
    expect(await system.webhooks.dispatchDue()).toBe(1);
    const [d] = (await system.webhooks.listDeliveries(ADMIN, { endpointId: ep.id })).items;
    expect(receiver.hits()).toBe(0);
    expect(d!.status).toBe("pending"); // a failed attempt, retried on schedule
    expect(d!.attempts[0]).toMatchObject({ error: expect.stringContaining("non-public") });
    expect(d!.attempts[0]!.responseBody).toBeUndefined();

    // The same set-up with private networks allowed does reach it: the resolver is what decides.
    const open = makeSystem({
      webhooks: {
        allowHttp: true,
        allowPrivateNetworks: true,
        autoDispatch: false,
        transport: transport({ resolve: resolver(["127.0.0.1"]), allowPrivateNetworks: true }),
      },
    });
    const ep2 = await open.system.webhooks.createEndpoint(ADMIN, {
      url: `http://hooks.example.com:${receiver.port}/hooks`,
      events: ["payment.succeeded"],
    });
    await open.system.payments.create(ADMIN, { amount: usd("5"), paymentMethod: "pm_card_visa" });
    await open.system.webhooks.dispatchDue();
    expect(receiver.hits()).toBe(1);
    expect((await open.system.webhooks.listDeliveries(ADMIN, { endpointId: ep2.id })).items[0]).toMatchObject({ status: "succeeded" });
  });

  it("the default transport of createPaymentSystem refuses an inside URL already stored (before this check, or by a laxer process)", async () => {
    const receiver = await listen((res) => res.end("internal"));
    const store = new MemoryPaymentStore();
    const lax = makeSystem({ store, webhooks: { allowHttp: true, allowPrivateNetworks: true, autoDispatch: false } });
    const ep = await lax.system.webhooks.createEndpoint(ADMIN, {
      url: `http://127.0.0.1:${receiver.port}/hooks`,
      events: ["payment.succeeded"],
    });
    await lax.system.payments.create(ADMIN, { amount: usd("5"), paymentMethod: "pm_card_visa" });
    const strict = makeSystem({ store, webhooks: { allowHttp: true, autoDispatch: false } }); // default transport
    expect(await strict.system.webhooks.dispatchDue()).toBe(1);
    expect(receiver.hits()).toBe(0);
    expect((await strict.system.webhooks.listDeliveries(ADMIN, { endpointId: ep.id })).items[0]!.attempts[0]).toMatchObject({
      error: expect.stringContaining("not a public"),
    });
  });

  it("every address is checked: one inside answer among public ones refuses the name (private_address)", async () => {
    const receiver = await listen((res) => res.end("ok"));
    for (const answer of [
      ["93.184.215.14", "127.0.0.1"],
      ["2606:4700::1111", "::1"],
      ["93.184.215.14", "::ffff:7f00:1"],
      ["0.0.0.0"],
      ["::"],
      ["169.254.169.254"],
      ["fc00::5"],
    ]) {
      const t = transport({ resolve: resolver(answer) });
      expect([answer, await rejection(t(post(`http://hooks.example.com:${receiver.port}/`)))]).toEqual([answer, "private_address"]);
    }
    expect(receiver.hits()).toBe(0);
  });

  it("rebinding: the socket gets exactly the answer that was checked, from one resolution; the next answer is checked anew", async () => {
    // Answers public first, loopback afterwards. A check-then-connect design would pass the first
    // answer and connect with the second.
    const dns = resolver(["93.184.215.14"], ["127.0.0.1"]);
    const lookup = checkedLookup(dns, false);
    const first = await new Promise<unknown>((resolve, reject) =>
      lookup("rebind.example.com", { all: true }, (e, a) => (e ? reject(e) : resolve(a))),
    );
    expect(first).toEqual([{ address: "93.184.215.14", family: 4 }]);
    expect(dns.calls).toHaveLength(1);
    const second = await new Promise<unknown>((resolve) => lookup("rebind.example.com", { all: true }, (e) => resolve(e)));
    expect(PlatformError.is(second) && second.code).toBe("private_address");
    // Single-address form (`all` unset), as sockets without family autoselection ask.
    const single = await new Promise<unknown>((resolve) =>
      checkedLookup(resolver(["93.184.215.14"]), false)("a.example.com", {}, (e, a, f) => resolve([a, f])),
    );
    expect(single).toEqual(["93.184.215.14", 4]);
  });
});

describe("webhook transport on memory: bounded resource use", () => {
  it("a receiver streaming without end: the body is cut at the cap, the connection closed, little is read", async () => {
    let written = 0;
    let closed!: () => void;
    const gone = new Promise<void>((r) => (closed = r));
    const chunk = Buffer.alloc(64 * 1024, "x");
    const receiver = await listen((res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.on("close", closed);
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) written += chunk.length;
        if (!res.destroyed) res.once("drain", () => ((written += chunk.length), pump()));
      };
      pump();
    });
    const t = transport({ resolve: resolver(["127.0.0.1"]), allowPrivateNetworks: true, maxResponseBytes: 16 * 1024 });
    const res = await t({ ...post(`http://hooks.example.com:${receiver.port}/`), timeoutMs: 60_000 });
    expect(res.status).toBe(200);
    expect(res.body).toBe("x".repeat(16 * 1024));
    await gone; // the receiver sees the connection end: the transport stopped reading
    // What the server could push is bounded by the socket buffers, not by the time the request had.
    expect(written).toBeLessThan(32 * 1024 * 1024);

    // Through the system: the delivery succeeds and logs the first 1 KiB.
    const { system } = makeSystem({
      webhooks: { allowHttp: true, allowPrivateNetworks: true, autoDispatch: false, timeoutMs: 60_000, transport: t },
    });
    const ep = await system.webhooks.createEndpoint(ADMIN, {
      url: `http://hooks.example.com:${receiver.port}/`,
      events: ["payment.succeeded"],
    });
    await system.payments.create(ADMIN, { amount: usd("5"), paymentMethod: "pm_card_visa" });
    await system.webhooks.dispatchDue();
    const [d] = (await system.webhooks.listDeliveries(ADMIN, { endpointId: ep.id })).items;
    expect(d).toMatchObject({ status: "succeeded", attempts: [{ status: 200, responseBody: "x".repeat(1024) }] });
  });

  it("response headers over the cap fail the attempt", async () => {
    const receiver = await listen((res) => res.writeHead(200, { "x-padding": "p".repeat(12 * 1024) }).end("ok"));
    const t = transport({ resolve: resolver(["127.0.0.1"]), allowPrivateNetworks: true });
    expect(await rejection(t(post(`http://hooks.example.com:${receiver.port}/`)))).toBe("UND_ERR_HEADERS_OVERFLOW");
    const small = await listen((res) => res.writeHead(200, { "x-padding": "p".repeat(1024) }).end("ok"));
    expect((await t(post(`http://hooks.example.com:${small.port}/`))).status).toBe(200);
  });

  it("refuses malformed options (validation_failed)", async () => {
    expect(await codeOf(async () => createWebhookTransport({ maxResponseBytes: -1 }))).toBe("validation_failed");
    expect(await codeOf(async () => createWebhookTransport({ connectionsPerOrigin: 0 }))).toBe("validation_failed");
  });
});
