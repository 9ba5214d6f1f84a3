import { ANONYMOUS_ACTOR } from "@platform/core";
import { ADMIN_ACTOR } from "../src/index.js";
import { type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ManualClock } from "@platform/core";
import { coreMigrations, migrate } from "@platform/core/postgres";
import { createIsolatedDatabase, spawnWorkers, waitUntil, type IsolatedDatabase } from "@platform/core/testing";
import { createPaymentSystem, TestGateway } from "@platform/payments";
import { paymentsMigrations, PostgresPaymentStore } from "@platform/payments/postgres";
import { createECommercePlatform, type PaymentPort } from "../src/index.js";
import { commerceMigrations, PostgresCommerceStore } from "../src/adapters/postgres/index.js";
import { PAYMENTS_ADMIN_ACTOR } from "@platform/payments/testing";

const WORKER = fileURLToPath(new URL("./fixtures/platform-worker-process.ts", import.meta.url));
const DAY = 24 * 3_600_000;
const PASSWORDS = ["s3cure-passw0rd", "an0ther-passw0rd", "th1rd-passw0rd!", "f0urth-passw0rd"];

let db: IsolatedDatabase;
let dir: string;
let server: Server;
let receiverUrl: string;
const received: string[] = [];
beforeAll(async () => {
  db = await createIsolatedDatabase(inject("databaseUrl"), { prefix: "worker_done", max: 6 });
  await migrate(db.pool, [coreMigrations, await commerceMigrations(), await paymentsMigrations()]);
  dir = mkdtempSync(join(tmpdir(), "platform-worker-"));
  // The webhook receiver: records each delivery's event id, answers after a short while (so work is in flight).
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      setTimeout(() => {
        received.push((JSON.parse(body) as { id: string }).id);
        res.writeHead(200).end("ok");
      }, 100);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  receiverUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/hooks`;
});
afterAll(async () => {
  await new Promise((r) => server?.close(r));
  rmSync(dir, { recursive: true, force: true });
  await db?.drop();
});

/** A payment port whose charge never reaches anyone: the checkout's outcome is unknown, nothing was charged. */
const unreachable: PaymentPort = {
  charge: async () => Promise.reject(new Error("connection reset before the request was sent")),
  retrieve: async () => Promise.reject(new Error("unreachable")),
  refund: async () => Promise.reject(new Error("unreachable")),
};

/** The single number a `SELECT count(*) ...` answers. */
async function count(sql: string, values: unknown[] = []): Promise<number> {
  const row = (await db.pool.query<Record<string, unknown>>(sql, values)).rows[0]!;
  return Number(Object.values(row)[0]);
}

/** Due work for every duty, made by app servers whose clocks ran 10 (and 40) days ago. */
async function seed() {
  const past = new ManualClock(new Date(Date.now() - 10 * DAY));
  const older = new ManualClock(new Date(Date.now() - 40 * DAY));
  const paymentsThen = (clock: ManualClock, gateway = new TestGateway()) =>
    createPaymentSystem({
      store: new PostgresPaymentStore(db.pool),
      clock,
      gateways: { test: gateway },
      webhooks: { allowPrivateNetworks: true, allowHttp: true, autoDispatch: false },
    });

  // Webhook deliveries 40 days old, delivered then: purgeable.
  const ancient = paymentsThen(older);
  await ancient.webhooks.createEndpoint(PAYMENTS_ADMIN_ACTOR, { url: receiverUrl, events: ["payment.succeeded"] });
  for (let i = 0; i < 4; i++)
    await ancient.payments.create(PAYMENTS_ADMIN_ACTOR, { amount: { amount: "5.00", currency: "USD" }, paymentMethod: "pm_card_visa" });
  expect(await ancient.webhooks.dispatchDue()).toBe(4);

  // 48 payments whose webhooks are due, 4 processing (the gateway timed out after charging: reconcile),
  // 4 manual authorisations past their 7-day hold (expire); their idempotency keys are past retention.
  const system = paymentsThen(past);
  for (let i = 0; i < 48; i++)
    await system.payments.create(PAYMENTS_ADMIN_ACTOR, {
      amount: { amount: `${10 + i}.00`, currency: "USD" },
      paymentMethod: "pm_card_visa",
      idempotencyKey: `pay-${i}`,
    });
  const timingOut = new TestGateway();
  timingOut.injectFault({ operation: "authorize", kind: "timeout", times: 4 });
  const unanswered = paymentsThen(past, timingOut);
  for (let i = 0; i < 4; i++) {
    const outcome = await unanswered.payments.create(PAYMENTS_ADMIN_ACTOR, {
      amount: { amount: "7.00", currency: "USD" },
      paymentMethod: "pm_card_visa",
      idempotencyKey: `slow-${i}`,
    });
    expect(outcome.status).toBe("processing");
  }
  const processing = (await db.pool.query<{ id: string }>("SELECT id FROM payments WHERE status = 'processing'")).rows.map((r) => r.id);
  const authorizations: string[] = [];
  for (let i = 0; i < 4; i++)
    authorizations.push(
      (
        await system.payments.create(PAYMENTS_ADMIN_ACTOR, {
          amount: { amount: "9.00", currency: "USD" },
          paymentMethod: "pm_card_visa",
          captureMethod: "manual",
        })
      ).id,
    );

  // Commerce: 6 customers, each with a checkout whose charge outcome is unknown (its reservation expired
  // long ago), 3 password changes (3 notifications in order), a failed login counter and ended sessions.
  const shop = createECommercePlatform({
    store: new PostgresCommerceStore(db.pool),
    clock: past,
    payments: unreachable,
    passwordHashing: { N: 1024 },
    notifications: { sendInProcess: false, sms: null },
  });
  const product = await shop.products.create(ADMIN_ACTOR, {
    sku: "WORKER-1",
    name: "Worker widget",
    price: { amount: "12.00", currency: "USD" },
    initialStock: 50,
  });
  const orders: string[] = [];
  for (let i = 0; i < 6; i++) {
    const email = `worker${i}@example.com`;
    await shop.users.register(ANONYMOUS_ACTOR, { email, password: PASSWORDS[0]!, name: `Buyer ${i}` });
    const actor = await shop.users.authenticate(ANONYMOUS_ACTOR, {
      token: (await shop.users.login(ANONYMOUS_ACTOR, { email, password: PASSWORDS[0]! })).token,
    });
    await shop.carts.addItem(actor, { productId: product.id, quantity: 2 });
    const failure = await shop.orders
      .checkout(actor, { idempotencyKey: `worker-order-${i}` })
      .catch((e: { code?: string; details?: { orderId?: string } }) => e);
    expect((failure as { code?: string }).code).toBe("payment_pending");
    for (let k = 1; k <= 3; k++) await shop.users.changePassword(actor, { currentPassword: PASSWORDS[k - 1]!, newPassword: PASSWORDS[k]! });
    await shop.users.login(ANONYMOUS_ACTOR, { email: `nobody${i}@example.com`, password: "wrong-passw0rd" }).catch(() => undefined);
  }
  orders.push(...(await db.pool.query<{ id: string }>("SELECT id FROM orders WHERE status = 'pending'")).rows.map((r) => r.id));
  // Outbox rows a durable consumer dispatched 10 days ago: purgeable.
  await db.pool.query("UPDATE platform_outbox SET dispatched_at = now() - interval '10 days' WHERE type = 'product.created'");
  return { processing, authorizations, orders, productId: product.id };
}

describe("the worker: 3 processes on PostgreSQL, one SIGKILLed and one SIGTERMed mid-run", () => {
  it("does every duty's work exactly once, and the SIGTERMed process exits within its deadline", async () => {
    const { processing, authorizations, orders, productId } = await seed();
    expect(processing).toHaveLength(4);
    expect(orders).toHaveLength(6);
    expect(await count("SELECT count(*) FROM commerce_notifications WHERE status = 'pending'")).toBe(18);
    expect(await count("SELECT count(*) FROM commerce_sessions")).toBeGreaterThan(0);
    expect(await count("SELECT count(*) FROM commerce_login_throttles")).toBe(6);
    received.length = 0;
    const log = join(dir, "sent.log");

    const children: ChildProcess[] = [];
    const exits = new Map<number, number>();
    const started = new Set<number>();
    const done = spawnWorkers(WORKER, 3, {
      args: () => [db.url, log],
      timeoutMs: 60_000,
      onSpawn: (i, child) => {
        children[i] = child;
        child.on("exit", () => exits.set(i, Date.now()));
        child.stdout!.on("data", (c: Buffer) => c.toString().includes("started") && started.add(i));
      },
    });
    const deadline = Date.now() + 30_000;
    const waitFor = (what: string, check: () => Promise<boolean> | boolean) =>
      waitUntil(check, what, { timeoutMs: Math.max(0, deadline - Date.now()), intervalMs: 50 });
    let termAt = 0;
    try {
      // Mid-run: every worker running its duties (signal handler installed), some webhooks out, others still due.
      await waitFor("workers started", () => started.size === 3);
      writeFileSync(`${log}.go`, "");
      await waitFor("first deliveries", () => received.length >= 6);
      expect(received.length).toBeLessThan(48 + 4);
      children[0]!.kill("SIGKILL");
      termAt = Date.now();
      children[1]!.kill("SIGTERM");
      await waitFor("webhooks", async () => (await count("SELECT count(*) FROM webhook_deliveries WHERE status <> 'succeeded'")) === 0);
      await waitFor("notifications", async () => (await count("SELECT count(*) FROM commerce_notifications WHERE status <> 'sent'")) === 0);
      await waitFor("orders", async () => (await count("SELECT count(*) FROM orders WHERE status = 'pending'")) === 0);
      await waitFor("reservations", async () => (await count("SELECT count(*) FROM commerce_stock_levels WHERE reserved > 0")) === 0);
      await waitFor(
        "payments",
        async () => (await count("SELECT count(*) FROM payments WHERE status IN ('processing', 'requires_capture')")) === 0,
      );
      await waitFor(
        "purges",
        async () =>
          (await count("SELECT count(*) FROM commerce_sessions")) +
            (await count("SELECT count(*) FROM commerce_login_throttles")) +
            (await count("SELECT count(*) FROM payment_idempotency_keys WHERE created_at < now() - interval '9 days'")) +
            (await count("SELECT count(*) FROM webhook_deliveries WHERE updated_at < now() - interval '30 days'")) +
            (await count("SELECT count(*) FROM platform_outbox WHERE dispatched_at IS NOT NULL")) ===
          0,
      );
    } finally {
      for (const c of children) if (c && c.exitCode === null && c.signalCode === null) c.kill("SIGTERM");
    }
    const results = await done;
    expect(results[0]!.signal).toBe("SIGKILL");
    // The SIGTERMed process finished what it held within its 5 s deadline and exited cleanly.
    expect(results[1]!.code, results[1]!.stderr).toBe(0);
    expect(exits.get(1)! - termAt).toBeLessThan(5_000 + 1_500);
    expect(results[2]!.code, results[2]!.stderr).toBe(0);

    // Webhooks: every delivery recorded succeeded with one successful attempt, each event id received.
    // A receipt beyond the recorded attempts can only be a request an interrupted process had in flight:
    // the SIGKILLed one, or the SIGTERMed one stopping at its deadline with requests out. That is at most
    // once per delivery, and at most 10 at once per endpoint and process (maxConcurrentPerEndpoint); other
    // repeats are recorded attempts (a timeout under load is an unknown outcome, retried with the same id:
    // receivers de-duplicate).
    const deliveries = (
      await db.pool.query<{ message_id: string; attempts: { status?: number }[] }>("SELECT message_id, attempts FROM webhook_deliveries")
    ).rows;
    expect(deliveries).toHaveLength(48 + 4);
    for (const d of deliveries) expect(d.attempts.filter((a) => a.status === 200)).toHaveLength(1);
    expect(new Set(received)).toEqual(new Set(deliveries.map((d) => d.message_id)));
    const receipts = new Map<string, number>();
    for (const id of received) receipts.set(id, (receipts.get(id) ?? 0) + 1);
    let unrecorded = 0;
    for (const d of deliveries) {
      const extra = receipts.get(d.message_id)! - d.attempts.length;
      expect(extra, d.message_id).toBeLessThanOrEqual(1);
      unrecorded += Math.max(0, extra);
    }
    expect(unrecorded).toBeLessThanOrEqual(2 * 10);

    // Reconcile and expiry: each payment settled once (one event each).
    const eventsOf = async (type: string, field: string, id: string) =>
      count(`SELECT count(*) FROM platform_outbox WHERE type = $1 AND data #>> $2 = $3`, [type, field, id]);
    for (const id of processing) expect(await eventsOf("payment.succeeded", "{payment,id}", id)).toBe(1);
    for (const id of authorizations) expect(await eventsOf("payment.canceled", "{payment,id}", id)).toBe(1);

    // Expired reservations of never-charged orders: each order canceled once, its stock back on hand.
    for (const id of orders) expect(await eventsOf("order.canceled", "{orderId}", id)).toBe(1);
    expect(await count("SELECT count(*) FROM orders WHERE status = 'canceled'")).toBe(6);
    expect(
      (await db.pool.query("SELECT on_hand, reserved, sold FROM commerce_stock_levels WHERE product_id = $1", [productId])).rows,
    ).toEqual([{ on_hand: 50, reserved: 0, sold: 0 }]);

    // Notifications: each sent once (a resend only for the one the killed process had in flight), in order per recipient.
    const sent = (existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : []).map((l) => l.split(" ") as [string, string, string]);
    const rows = (await db.pool.query<{ id: string; recipient: string }>("SELECT id, recipient FROM commerce_notifications ORDER BY seq"))
      .rows;
    expect(new Set(sent.map(([id]) => id))).toEqual(new Set(rows.map((r) => r.id)));
    expect(sent.length - rows.length).toBeLessThanOrEqual(1);
    for (const recipient of new Set(rows.map((r) => r.recipient))) {
      const firstSends = [...new Set(sent.filter(([, to]) => to === recipient).map(([id]) => id))];
      expect(firstSends).toEqual(rows.filter((r) => r.recipient === recipient).map((r) => r.id));
    }
  }, 60_000);
});
