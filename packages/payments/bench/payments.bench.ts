import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createEvent } from "@platform/core";
import { bench, describe } from "vitest";
import { createPaymentSystem, MemoryPaymentStore, TestGateway, type PaymentSystem } from "../src/index.js";
import { WebhookQueue } from "../src/services/webhook-queue.js";
import { PAYMENTS_ADMIN_ACTOR as ADMIN } from "../src/testing/test-actors.js";

// Payments: one iteration = create a manual-capture payment, then capture it (2 gateway calls,
// 3 store transactions, 2 ledger transactions). Baseline in the same run: an automatic-capture
// payment (one gateway call).
describe("payments on the memory store", () => {
  const system = createPaymentSystem({ store: new MemoryPaymentStore(), gateways: { test: new TestGateway() } });
  let n = 0;
  bench(
    "create (manual) + capture",
    async () => {
      const p = await system.payments.create(ADMIN, {
        amount: { amount: "19.99", currency: "USD" },
        paymentMethod: "pm_card_visa",
        captureMethod: "manual",
        customer: { id: `cus_${n++ % 100}` },
      });
      await system.payments.capture(ADMIN, { paymentId: p.id });
    },
    { time: 1500 },
  );
  bench(
    "create (automatic capture)",
    async () => {
      await system.payments.create(ADMIN, {
        amount: { amount: "19.99", currency: "USD" },
        paymentMethod: "pm_card_visa",
        customer: { id: `cus_${n++ % 100}` },
      });
    },
    { time: 1500 },
  );
});

// Webhooks: one iteration = one signed delivery (stored delivery row, HMAC signature, POST to a
// local receiver, attempt recorded) vs one raw fetch POST of the same body to the same receiver.
// Set up at module level: the receiver and a first delivery exist before any bench runs.
const server: Server = createServer((req, res) => {
  req.resume();
  req.on("end", () => res.end("ok"));
});
await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
server.unref();
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
const hooks: PaymentSystem = createPaymentSystem({
  gateways: { test: new TestGateway() },
  webhooks: { allowHttp: true, allowPrivateNetworks: true, autoDispatch: false },
});
const endpoint = await hooks.webhooks.createEndpoint(ADMIN, { url, events: ["payment.succeeded"] });
await hooks.payments.create(ADMIN, { amount: { amount: "5.00", currency: "USD" }, paymentMethod: "pm_card_visa" });
await hooks.webhooks.dispatchDue();
const first = (await hooks.webhooks.listDeliveries(ADMIN, { endpointId: endpoint.id })).items[0]!;

describe("webhook deliveries to a local HTTP receiver", () => {
  bench(
    "signed webhook delivery (replay: store + sign + POST + record)",
    async () => {
      await hooks.webhooks.replay(ADMIN, { deliveryId: first.id });
    },
    { time: 1500 },
  );
  bench(
    "raw HTTP POST (fetch) baseline",
    async () => {
      const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: first.payload });
      await res.text();
    },
    { time: 1500 },
  );
  // Batches: 50 events queued in one transaction and sent by one dispatchDue() run (deliveries go
  // out concurrently), against 50 concurrent raw POSTs. Deliveries/s = hz x 50.
  bench(
    "50 signed deliveries via dispatchDue() (x50 per iteration)",
    async () => {
      const queue = new WebhookQueue(hooks.clock);
      await hooks.store.transaction(async (tx) => {
        for (let i = 0; i < 50; i++)
          await queue.enqueue(tx, createEvent("payment.succeeded", { payment: JSON.parse(first.payload).data.payment }, hooks.clock));
      });
      await hooks.webhooks.dispatchDue({ limit: 50 });
    },
    { time: 1500 },
  );
  bench(
    "50 concurrent raw HTTP POSTs (x50 per iteration)",
    async () => {
      await Promise.all(
        Array.from({ length: 50 }, async () => {
          const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: first.payload });
          await res.text();
        }),
      );
    },
    { time: 1500 },
  );
});
