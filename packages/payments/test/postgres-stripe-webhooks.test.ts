import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createIsolatedDatabase, spawnWorkers, type IsolatedDatabase } from "@platform/core/testing";
import { createPaymentSystem } from "../src/index.js";
import { migratePayments, PostgresPaymentStore } from "../src/adapters/postgres/index.js";
import { StripeGateway } from "../src/adapters/stripe/index.js";
import { startStripeMockServer, type StripeMockServer } from "../src/testing/index.js";
import { ADMIN } from "./helpers.js";

const KEY = "sk_test_multiprocess0001";
const SECRET = "whsec_multiprocess_endpoint_0001";
const PROCESSES = 2;
let db: IsolatedDatabase;
let server: StripeMockServer;
beforeAll(async () => {
  db = await createIsolatedDatabase(inject("databaseUrl"), { prefix: "pay_stripe_wh", max: 4 });
  await migratePayments(db.pool);
  server = await startStripeMockServer({ secretKey: KEY });
});
afterAll(async () => {
  await server?.close();
  await db?.drop();
});

describe("Stripe webhooks across processes on one PostgreSQL database", () => {
  it("the same event delivered to two processes at once is applied once", { timeout: 90_000 }, async () => {
    const gateway = new StripeGateway({ secretKey: KEY, host: server.host, port: server.port, protocol: "http", maxNetworkRetries: 0 });
    const system = createPaymentSystem({
      store: new PostgresPaymentStore(db.pool),
      gateways: { stripe: gateway },
      webhooks: { autoDispatch: false },
    });
    const p = await system.payments.create(ADMIN, {
      amount: { amount: "64.00", currency: "USD" },
      paymentMethod: "pm_card_threeDSecure2Required",
    });
    expect(p.status).toBe("requires_action");
    server.completeAction(p.gatewayTransactionId!, "succeed");
    const at = Math.floor(Date.now() / 1000);
    const object = server.api.intentJson(server.api.intents.get(p.gatewayTransactionId!)!);
    const payload = JSON.stringify({
      id: "evt_multi_1",
      object: "event",
      api_version: "2026-10-28.endive",
      created: at,
      livemode: false,
      type: "payment_intent.succeeded",
      data: { object },
    });
    const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET, timestamp: at });
    const barrier = mkdtempSync(join(tmpdir(), "stripe-wh-"));
    const go = (async () => {
      const deadline = Date.now() + 60_000;
      while (Array.from({ length: PROCESSES }, (_, i) => existsSync(join(barrier, `ready-${i}`))).includes(false) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 10));
      writeFileSync(join(barrier, "go"), "");
    })();
    const results = await spawnWorkers(fileURLToPath(new URL("./fixtures/stripe-webhook-worker.ts", import.meta.url)), PROCESSES, {
      args: (i) => [db.url, String(server.port), SECRET, payload, header, barrier, String(i)],
      timeoutMs: 75_000,
    });
    await go;
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const outcomes = results.map((r) => (JSON.parse(r.stdout.trim().split("\n").pop()!) as { outcome: string }).outcome).sort();
    expect(outcomes).toEqual(["applied", "duplicate"]);
    const { rows } = await db.pool.query<{ captures: number; events: number; succeeded: number }>(
      `SELECT (SELECT count(*)::int FROM payment_transactions WHERE payment_id = $1 AND type = 'capture') AS captures,
              (SELECT count(*)::int FROM gateway_events WHERE event_id = 'evt_multi_1') AS events,
              (SELECT count(*)::int FROM platform_outbox WHERE type = 'payment.succeeded' AND data::text LIKE '%' || $1 || '%') AS succeeded`,
      [p.id],
    );
    expect(rows[0]).toEqual({ captures: 1, events: 1, succeeded: 1 });
    expect((await system.payments.get(ADMIN, { paymentId: p.id })).status).toBe("succeeded");
  });
});
