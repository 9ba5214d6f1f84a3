import type { ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { coreMigrations, migrate } from "@platform/core/postgres";
import {
  createIsolatedDatabase,
  spawnWorkers,
  startDurablePostgresServer,
  type DurablePostgresServer,
  type WorkerResult,
  waitUntil,
} from "@platform/core/testing";
import { paymentsMigrations } from "@platform/payments/postgres";
import { TestPaymentPort } from "../src/index.js";
import { commerceMigrations, createPostgresCommerceStore } from "../src/adapters/postgres/index.js";
import { startCountingGateway } from "../../payments/test/fixtures/gateway-server.js";
import { makePlatform, product, signUp, ANONYMOUS_ACTOR } from "./helpers.js";

// PostgreSQL is stopped with an immediate shutdown while a checkout is charging; the server keeps
// synchronous_commit=on, so what it acknowledged before the crash is there after the restart.
let server: DurablePostgresServer;
let url: string;
beforeAll(async () => {
  server = await startDurablePostgresServer();
  const db = await createIsolatedDatabase(server.url, { prefix: "commerce_crash", max: 2 });
  await migrate(db.pool, [coreMigrations, await commerceMigrations(), await paymentsMigrations()]);
  await db.pool.end?.();
  url = db.url;
}, 120_000);
afterAll(() => server?.stop());

const WORKER = fileURLToPath(new URL("./fixtures/crash-checkout-worker.ts", import.meta.url));
const LEASE_MS = 1_000;

const last = (r: WorkerResult) =>
  JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}") as { order?: string; status?: string; error?: string; retryable?: boolean };

describe("checkout across a PostgreSQL crash", () => {
  it("a checkout charging when the server stops is retried with its key from another process within 5 s: the same order paid, one charge", async () => {
    const gateway = await startCountingGateway({ hold: ["authorize"] });
    try {
      const setup = await createPostgresCommerceStore({ connectionString: url, max: 2 });
      const { platform } = makePlatform({ store: setup, payments: new TestPaymentPort() });
      const p = await product(platform, "CRASH-1", "40.00", 5);
      const { actor } = await signUp(platform);
      await platform.carts.addItem(actor, { productId: p.id, quantity: 2 });
      await setup.pool.end?.();
      const args = () => [url, gateway.url, actor.id!, "crash-checkout-key", String(LEASE_MS)];

      // Process A checks out; its charge reaches the provider, which holds it.
      let owner: ChildProcess | undefined;
      const first = spawnWorkers(WORKER, 1, { args, onSpawn: (_, c) => (owner = c), timeoutMs: 90_000 });
      await waitUntil(() => gateway.received.authorize >= 1, "the charge to reach the provider");
      await server.crash();
      // The app server dies with the database; the provider still carries out the charge it received.
      owner!.kill("SIGKILL");
      await first;
      gateway.release();
      await server.restart();

      // The customer retries with the same key from another process, right after the restart.
      const retriedAt = Date.now();
      const [retry] = await spawnWorkers(WORKER, 1, { args, timeoutMs: 90_000 });
      expect(retry!.code, retry!.stderr).toBe(0);
      let out = last(retry!);
      // A retryable answer is allowed once, if it is followed by the outcome.
      if (out.error) {
        expect(out.retryable).toBe(true);
        const [again] = await spawnWorkers(WORKER, 1, { args, timeoutMs: 90_000 });
        out = last(again!);
      }
      expect(out.status).toBe("paid");
      expect(Date.now() - retriedAt).toBeLessThan(20_000);

      expect(gateway.charges.size).toBe(1);
      const check = await createPostgresCommerceStore({ connectionString: url, max: 2 });
      const q = async <T>(text: string, values: unknown[] = []) => (await check.pool.query(text, values)).rows as T[];
      expect(await q("SELECT id, status, payment_status FROM orders WHERE user_id = $1", [actor.id])).toEqual([
        { id: out.order, status: "paid", payment_status: "succeeded" },
      ]);
      expect(await q("SELECT status, amount::text AS amount FROM payments WHERE order_id = $1", [out.order])).toEqual([
        { status: "succeeded", amount: "80.00" },
      ]);
      const after = makePlatform({ store: check, payments: new TestPaymentPort() }).platform;
      expect(await after.inventory.getStock(ANONYMOUS_ACTOR, { productId: p.id })).toMatchObject({ onHand: 3, reserved: 0, sold: 2 });
      expect(await q("SELECT count(*)::int AS n FROM orders WHERE status = 'canceled'")).toEqual([{ n: 0 }]);
      await check.pool.end?.();
    } finally {
      gateway.release();
      await gateway.close();
    }
  }, 180_000);
});
