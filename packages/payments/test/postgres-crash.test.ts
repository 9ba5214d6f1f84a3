import type { ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createIsolatedDatabase,
  spawnWorkers,
  startDurablePostgresServer,
  type DurablePostgresServer,
  type WorkerResult,
  waitUntil,
} from "@platform/core/testing";
import { createPaymentSystem } from "../src/index.js";
import { createPostgresPaymentStore, migratePayments } from "../src/adapters/postgres/index.js";
import { startCountingGateway } from "./fixtures/gateway-server.js";
import { HttpGateway } from "./fixtures/http-gateway.js";
import { ADMIN } from "./helpers.js";

// PostgreSQL is stopped with an immediate shutdown while a capture is at the gateway; a server with
// synchronous_commit=on keeps what it acknowledged, so recovery is tested for the right reason.
let server: DurablePostgresServer;
let url: string;
beforeAll(async () => {
  server = await startDurablePostgresServer();
  const db = await createIsolatedDatabase(server.url, { prefix: "pay_crash", max: 2 });
  await migratePayments(db.pool);
  await db.pool.end?.();
  url = db.url;
}, 120_000);
afterAll(() => server?.stop());

const WORKER = fileURLToPath(new URL("./fixtures/crash-capture-worker.ts", import.meta.url));
const LEASE_MS = 1_000;

const last = (r: WorkerResult) =>
  JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}") as { status?: string; captured?: string; error?: string; retryable?: boolean };

describe("payments.capture across a PostgreSQL crash", () => {
  it("a capture in flight when the server stops is retried with its key from another process within 5 s: captured once", async () => {
    const gateway = await startCountingGateway({ hold: ["capture"] });
    try {
      const setup = await createPostgresPaymentStore({ connectionString: url, max: 2 });
      const system = createPaymentSystem({
        store: setup,
        gateways: { remote: new HttpGateway(gateway.url) },
        webhooks: { autoDispatch: false },
      });
      const payment = await system.payments.create(ADMIN, {
        amount: { amount: "80.00", currency: "USD" },
        paymentMethod: "pm_card_visa",
        captureMethod: "manual",
      });
      expect(payment.status).toBe("requires_capture");
      await setup.close();

      // Process A captures; its request reaches the provider, which holds it.
      let owner: ChildProcess | undefined;
      const first = spawnWorkers(WORKER, 1, {
        args: () => [url, gateway.url, payment.id, "capture-crash-key", String(LEASE_MS)],
        onSpawn: (_, c) => (owner = c),
        timeoutMs: 90_000,
      });
      await waitUntil(() => gateway.received.capture >= 1, "the capture to reach the provider");
      await server.crash();
      // The app server dies with the database (one host); the provider still carries out what it received.
      owner!.kill("SIGKILL");
      await first;
      gateway.release();
      await server.restart();

      // The client retries with its key from another process, right after the restart.
      const retriedAt = Date.now();
      const [retry] = await spawnWorkers(WORKER, 1, {
        args: () => [url, gateway.url, payment.id, "capture-crash-key", String(LEASE_MS)],
        timeoutMs: 90_000,
      });
      expect(retry!.code, retry!.stderr).toBe(0);
      const out = last(retry!);
      expect(out, "a retryable error is not expected here: the lease lapsed and the retry took over").toEqual({
        status: "succeeded",
        captured: "80.00",
      });
      // Resumed within seconds (the old code waited 30 s and answered idempotency_key_in_use).
      expect(Date.now() - retriedAt).toBeLessThan(20_000);

      expect(gateway.captures.size).toBe(1);
      expect(gateway.received.capture).toBe(2);
      const check = await createPostgresPaymentStore({ connectionString: url, max: 2 });
      const after = await createPaymentSystem({
        store: check,
        gateways: { remote: new HttpGateway(gateway.url) },
        webhooks: { autoDispatch: false },
      }).payments.get(ADMIN, { paymentId: payment.id });
      expect(after).toMatchObject({ status: "succeeded" });
      expect(after.amountCaptured.toFixed()).toBe("80.00");
      const ledger = await check.pool.query<{ kind: string; n: number }>(
        "SELECT type AS kind, count(*)::int AS n FROM payment_transactions WHERE payment_id = $1 GROUP BY type ORDER BY type",
        [payment.id],
      );
      expect(ledger.rows.find((r) => r.kind === "capture")?.n).toBe(1);
      await check.close();
    } finally {
      gateway.release();
      await gateway.close();
    }
  }, 180_000);
});
