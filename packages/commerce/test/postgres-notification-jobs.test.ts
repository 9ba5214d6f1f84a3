import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { spawnWorkers, type IsolatedDatabase } from "@platform/core/testing";
import { ADMIN_ACTOR } from "../src/index.js";
import { PostgresNotificationJobs, type IdentifiedEmailMessage } from "../src/adapters/postgres/index.js";
import { makePlatform, product } from "./helpers.js";
import { migratedDatabase, storeOn, truncateCommerce } from "./postgres-helpers.js";

let db: IsolatedDatabase;
let dir: string;
beforeAll(async () => {
  db = await migratedDatabase(inject("databaseUrl"));
  dir = mkdtempSync(join(tmpdir(), "commerce-notify-"));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await db?.drop();
});

const WORKER = fileURLToPath(new URL("./fixtures/notification-dispatcher-worker.ts", import.meta.url));
const lines = (file: string) => (existsSync(file) ? readFileSync(file, "utf8").trim().split("\n").filter(Boolean) : []);

/** 12 paid orders (6 buyers with a phone) and 4 shipped: 16 events, 16 emails + 8 SMS. */
async function seed() {
  await truncateCommerce(db);
  const { platform } = makePlatform({ store: storeOn(db) });
  const p = await product(platform, "NOTIFY-1", "12.00", 100);
  const orders: string[] = [];
  for (let i = 0; i < 12; i++) {
    const email = `notify${i}@example.com`;
    await platform.users.register({ email, password: "s3cure-passw0rd", name: `Buyer ${i}`, ...(i % 2 === 0 ? { phone: `+1555000${String(i).padStart(4, "0")}` } : {}) });
    const actor = await platform.users.authenticate((await platform.users.login({ email, password: "s3cure-passw0rd" })).token);
    await platform.carts.addItem(actor, { productId: p.id, quantity: 1 });
    orders.push((await platform.orders.checkout(actor, { idempotencyKey: `notify-order-${i}` })).id);
  }
  for (const id of orders.slice(0, 4)) {
    await platform.orders.fulfill(ADMIN_ACTOR, { orderId: id });
    await platform.orders.ship(ADMIN_ACTOR, { orderId: id, trackingNumber: `TRACK-${id}` });
  }
  return { expected: 16 + 8 };
}

describe("notification jobs on PostgreSQL", () => {
  it("a dispatcher killed with SIGKILL mid-dispatch: after a restart on 4 processes every notification is delivered, each with its one id", async () => {
    const { expected } = await seed();
    const log = join(dir, "sent.log");
    // tsx's loader in this very process (the tsx CLI would run the script in a child that a
    // SIGKILL of the CLI leaves alive).
    const loader = pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm")).href;
    const doomed = spawn(process.execPath, ["--import", loader, "--conditions=@platform/source", WORKER, db.url, log, "slow"], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    doomed.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => doomed.on("exit", (_code, signal) => resolve(signal)));
    const deadline = Date.now() + 20_000;
    try {
      while (lines(log).length < 5) {
        if (Date.now() > deadline) throw new Error(`the dispatcher sent nothing: ${stderr}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      doomed.kill("SIGKILL"); // also when waiting failed: never leave it running
    }
    expect(await exited).toBe("SIGKILL");
    const beforeRestart = new Set(lines(log).map((l) => l.split(" ")[0]));
    expect(beforeRestart.size).toBeLessThan(expected); // it really died mid-dispatch

    const results = await spawnWorkers(WORKER, 4, { args: () => [db.url, log, "drain"], timeoutMs: 30_000 });
    for (const r of results) expect(r.code, r.stderr).toBe(0);

    const rows = (await db.pool.query<{ id: string; channel: string; recipient: string; status: string }>("SELECT id, channel, recipient, status FROM commerce_notifications")).rows;
    expect(rows).toHaveLength(expected);
    expect(rows.every((r) => r.status === "sent")).toBe(true);
    const sent = lines(log).map((l) => l.split(" ") as [string, string, string]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    // Every notification arrived; a resend after the kill carries the same id (receivers de-duplicate).
    expect(new Set(sent.map(([id]) => id))).toEqual(new Set(byId.keys()));
    for (const [id, channel, to] of sent) expect(byId.get(id)).toMatchObject({ channel, recipient: to });
    expect(sent.length - expected).toBeLessThanOrEqual(1); // at most the message in flight at the kill
    expect(rows.filter((r) => r.channel === "sms")).toHaveLength(8);
  });

  it("retries a failing sender on its schedule, then marks the notification failed and records notification.failed", async () => {
    await seed();
    const { clock } = makePlatform({ store: storeOn(db) });
    const sends: string[] = [];
    const jobs = new PostgresNotificationJobs({
      store: storeOn(db),
      clock,
      email: {
        send: async (m) => {
          sends.push((m as IdentifiedEmailMessage).id);
          throw Object.assign(new Error("smtp down"), { code: "smtp_unavailable" });
        },
      },
      retry: { attempts: 2, delaysMs: [60_000] },
    });
    const first = await jobs.runOnce();
    expect(first).toMatchObject({ enqueued: 16, sent: 0, retried: 16, failed: 0 });
    expect(await jobs.runOnce()).toMatchObject({ enqueued: 0, retried: 0 }); // not due yet
    clock.advance({ minutes: 1 });
    expect(await jobs.runOnce()).toMatchObject({ failed: 16 });
    expect(new Set(sends).size).toBe(16);
    const failed = await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM platform_outbox WHERE type = 'notification.failed' AND data->>'code' = 'smtp_unavailable'");
    expect(failed.rows[0]!.n).toBe(16);
  });

  it("renders with the template overrides for the customer's locale; a failing template sends nothing and records template_failed", async () => {
    await seed();
    const emails: { to: string; subject: string }[] = [];
    const sms: { to: string; text: string }[] = [];
    const jobs = new PostgresNotificationJobs({
      store: storeOn(db),
      email: { send: async (m) => void emails.push({ to: m.to, subject: m.subject }) },
      sms: { send: async (m) => void sms.push({ to: m.to, text: m.text }) },
      // buyers 0, 2, 4 ... (those with a phone) write in German
      locale: (customer) => (Number(/notify(\d+)@/.exec(customer.email)![1]) % 2 === 0 ? "de-DE" : "en"),
      templates: {
        order_confirmation: { de: ({ order }) => ({ subject: `Bestellung ${order.id} bestätigt`, text: "Danke", html: "<p>Danke</p>", sms: "Bestellung bestätigt" }) },
        order_shipped: { "*": () => { throw new Error("template bug"); } },
      },
    });
    expect(await jobs.runOnce()).toMatchObject({ enqueued: 16, sent: 18, retried: 0, failed: 0 });
    const german = emails.filter((m) => m.subject.startsWith("Bestellung "));
    expect(german.map((m) => m.to).sort()).toEqual(["notify0", "notify10", "notify2", "notify4", "notify6", "notify8"].map((n) => `${n}@example.com`));
    expect(emails.filter((m) => m.subject.startsWith("Your order ")).length).toBe(6);
    expect(sms.map((m) => m.text)).toEqual(Array(6).fill("Bestellung bestätigt"));
    const failed = await db.pool.query<{ template: string }>("SELECT data->>'template' AS template FROM platform_outbox WHERE type = 'notification.failed' AND data->>'code' = 'template_failed'");
    expect(failed.rows.map((r) => r.template)).toEqual(Array(4).fill("order_shipped"));
    expect(await jobs.runOnce()).toMatchObject({ enqueued: 0, sent: 0 }); // the failed renders are not retried
  });
});
