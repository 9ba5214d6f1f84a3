import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createIsolatedDatabase, spawnWorkers, type IsolatedDatabase } from "@platform/core/testing";
import { createPaymentSystem, TestGateway, verifyWebhook } from "../src/index.js";
import { migratePayments, PostgresPaymentStore } from "../src/adapters/postgres/index.js";
import { startCountingGateway } from "./fixtures/gateway-server.js";
import { ADMIN } from "./helpers.js";

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const PROCESSES = 4;

let db: IsolatedDatabase;
beforeAll(async () => {
  db = await createIsolatedDatabase(inject("databaseUrl"), { prefix: "pay_multi", max: 4 });
  await migratePayments(db.pool);
});
afterAll(async () => {
  await db?.drop();
});

describe("several Node processes on one PostgreSQL database", () => {
  it("a retry storm with one idempotency key from 4 processes makes exactly one gateway charge", { timeout: 60_000 }, async () => {
    const gateway = await startCountingGateway({ latencyMs: 300, barrier: PROCESSES });
    try {
      const results = await spawnWorkers(fixture("retry-storm-worker.ts"), PROCESSES, {
        args: () => [db.url, gateway.url, "storm-key-1", "6"],
        timeoutMs: 45_000,
      });
      for (const r of results) expect(r.code, r.stderr).toBe(0);
      const outputs = results.map((r) => JSON.parse(r.stdout.trim().split("\n").pop()!) as { ids: string[]; statuses: string[] });
      const ids = new Set(outputs.flatMap((o) => o.ids));
      expect(ids.size).toBe(1);
      expect(new Set(outputs.flatMap((o) => o.statuses))).toEqual(new Set(["succeeded"]));
      // One request reached the provider, for one charge.
      expect(gateway.authorizations).toHaveLength(1);
      expect(gateway.charges.size).toBe(1);
      const { rows } = await db.pool.query<{ payments: number; keys: number; completed: number; ledger: number }>(
        `SELECT (SELECT count(*)::int FROM payments) AS payments,
                (SELECT count(*)::int FROM payment_idempotency_keys) AS keys,
                (SELECT count(*)::int FROM payment_idempotency_keys WHERE status = 'completed') AS completed,
                (SELECT count(*)::int FROM payment_transactions) AS ledger`,
      );
      expect(rows[0]).toEqual({ payments: 1, keys: 1, completed: 1, ledger: 2 });
    } finally {
      await gateway.close();
    }
  });

  it(
    "a webhook dispatcher killed with SIGKILL mid-dispatch: after a restart every delivery arrives, each with its one webhook-id",
    { timeout: 120_000 },
    async () => {
      const DELIVERIES = 12;
      // The receiver de-duplicates by webhook-id. While `hold` is set it reads each request and never answers.
      const requests: { id: string; body: string; headers: IncomingHttpHeaders; answered: boolean }[] = [];
      const held: ServerResponse[] = [];
      const pids = new Set<number>();
      let hold = true;
      const server: Server = createServer((req, res) => {
        let body = "";
        req.on("data", (c: Buffer) => (body += c.toString("utf8")));
        req.on("end", () => {
          if (req.url === "/register") {
            pids.add(Number(body));
            res.end("ok");
            return;
          }
          requests.push({ id: String(req.headers["webhook-id"]), body, headers: req.headers, answered: !hold });
          if (hold) held.push(res);
          else res.end("ok");
        });
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      try {
        const store = new PostgresPaymentStore(db.pool);
        const system = createPaymentSystem({
          store,
          gateways: { test: new TestGateway() },
          webhooks: { allowHttp: true, allowPrivateNetworks: true, autoDispatch: false },
        });
        const ep = await system.webhooks.createEndpoint(ADMIN, { url: `${base}/hooks`, events: ["payment.succeeded"] });
        for (let i = 0; i < DELIVERIES; i++)
          await system.payments.create(ADMIN, { amount: { amount: `${i + 1}.00`, currency: "USD" }, paymentMethod: "pm_card_visa" });
        const { rows: queued } = await db.pool.query<{ message_id: string }>(
          "SELECT message_id FROM webhook_deliveries WHERE endpoint_id = $1",
          [ep.id],
        );
        const expected = new Set(queued.map((r) => r.message_id));
        expect(expected.size).toBe(DELIVERIES);

        // Phase 1: four dispatchers claim everything; the receiver holds every request open; kill them all.
        const first = spawnWorkers(fixture("webhook-dispatcher-worker.ts"), PROCESSES, {
          args: () => [db.url, base, "8000"],
          timeoutMs: 45_000,
        });
        const until = Date.now() + 40_000;
        const distinct = () => new Set(requests.map((r) => r.id)).size;
        while ((pids.size < PROCESSES || distinct() < DELIVERIES) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
        expect(distinct()).toBe(DELIVERIES);
        const { rows: midway } = await db.pool.query<{ status: string; n: number }>(
          "SELECT status, count(*)::int AS n FROM webhook_deliveries GROUP BY status",
        );
        // Mid-dispatch: every delivery claimed and sent, none answered, so none recorded as delivered.
        expect(midway).toEqual([{ status: "sending", n: DELIVERIES }]);
        for (const pid of pids) process.kill(pid, "SIGKILL");
        const killed = await first;
        // The worker runs in tsx's child process: tsx reports its SIGKILL as exit code 128 + 9.
        expect(killed.map((r) => (r.signal === "SIGKILL" ? 137 : r.code))).toEqual(Array(PROCESSES).fill(137));
        hold = false;
        for (const res of held) res.destroy();
        pids.clear();

        // Phase 2: restart four dispatchers; leases lapse and every delivery is sent again and answered.
        const second = await spawnWorkers(fixture("webhook-dispatcher-worker.ts"), PROCESSES, {
          args: () => [db.url, base],
          timeoutMs: 45_000,
        });
        for (const r of second) expect(r.code, r.stderr).toBe(0);
        const { rows: after } = await db.pool.query<{ status: string; n: number }>(
          "SELECT status, count(*)::int AS n FROM webhook_deliveries GROUP BY status",
        );
        expect(after).toEqual([{ status: "succeeded", n: DELIVERIES }]);
        const answered = requests.filter((r) => r.answered);
        expect(new Set(answered.map((r) => r.id))).toEqual(expected); // nothing lost
        expect(new Set(requests.map((r) => r.id))).toEqual(expected); // distinct webhook-ids == the events
        const secret = ep.secret;
        for (const r of answered)
          expect(verifyWebhook(r.body, r.headers as Record<string, string>, secret).payload).toMatchObject({
            id: r.id,
            type: "payment.succeeded",
          });
      } finally {
        await new Promise<void>((r) => server.close(() => r()));
        server.closeAllConnections?.();
      }
    },
  );
});
