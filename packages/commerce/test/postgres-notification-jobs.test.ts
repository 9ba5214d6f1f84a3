import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { spawnWorkers, type IsolatedDatabase } from "@platform/core/testing";
import { ADMIN_ACTOR } from "../src/index.js";
import { PostgresNotificationJobs, type IdentifiedEmailMessage } from "../src/adapters/postgres/index.js";
import { makePlatform, product, ANONYMOUS_ACTOR } from "./helpers.js";
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
const loader = () => pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm")).href;

/** 12 paid orders (6 buyers with a phone) and 4 shipped: 16 events, 16 emails + 8 SMS. */
async function seed() {
  await truncateCommerce(db);
  // Records only: the dispatcher processes of the tests send.
  const { platform } = makePlatform({ store: storeOn(db), notifications: { sendInProcess: false } });
  const p = await product(platform, "NOTIFY-1", "12.00", 100);
  const orders: string[] = [];
  for (let i = 0; i < 12; i++) {
    const email = `notify${i}@example.com`;
    await platform.users.register(ANONYMOUS_ACTOR, {
      email,
      password: "s3cure-passw0rd",
      name: `Buyer ${i}`,
      ...(i % 2 === 0 ? { phone: `+1555000${String(i).padStart(4, "0")}` } : {}),
    });
    const actor = await platform.users.authenticate(ANONYMOUS_ACTOR, {
      token: (await platform.users.login(ANONYMOUS_ACTOR, { email, password: "s3cure-passw0rd" })).token,
    });
    await platform.carts.addItem(actor, { productId: p.id, quantity: 1 });
    orders.push((await platform.orders.checkout(actor, { idempotencyKey: `notify-order-${i}` })).id);
  }
  for (const id of orders.slice(0, 4)) {
    await platform.orders.fulfill(ADMIN_ACTOR, { orderId: id });
    await platform.orders.ship(ADMIN_ACTOR, { orderId: id, trackingNumber: `TRACK-${id}` });
  }
  return { expected: 16 + 8 };
}

/** 6 customers (3 with a phone), each: order A paid and shipped, order B paid, password changed, order B shipped. */
async function seedOrdered() {
  const { platform } = makePlatform({ store: storeOn(db), notifications: { sendInProcess: false } });
  const p = await product(platform, "ORDERED-1", "5.00", 100);
  const password = "s3cure-passw0rd";
  for (let i = 0; i < 6; i++) {
    const email = `ordered${i}@example.com`;
    await platform.users.register(ANONYMOUS_ACTOR, {
      email,
      password,
      name: `Buyer ${i}`,
      ...(i % 2 === 0 ? { phone: `+1555100${String(i).padStart(4, "0")}` } : {}),
    });
    const actor = await platform.users.authenticate(ANONYMOUS_ACTOR, {
      token: (await platform.users.login(ANONYMOUS_ACTOR, { email, password })).token,
    });
    const buy = async (key: string) => {
      await platform.carts.addItem(actor, { productId: p.id, quantity: 1 });
      return (await platform.orders.checkout(actor, { idempotencyKey: key })).id;
    };
    const ship = async (orderId: string) => {
      await platform.orders.fulfill(ADMIN_ACTOR, { orderId });
      await platform.orders.ship(ADMIN_ACTOR, { orderId, trackingNumber: `T-${orderId}` });
    };
    await ship(await buy(`ordered-a-${i}`));
    const b = await buy(`ordered-b-${i}`);
    await platform.users.changePassword(actor, { currentPassword: password, newPassword: "an0ther-passw0rd" });
    await ship(b);
  }
}

describe("notification jobs on PostgreSQL", () => {
  it("4 dispatcher processes send each recipient's messages once each, in the order of their events, while the events arrive", async () => {
    await truncateCommerce(db);
    const log = join(dir, "ordered.log");
    const workers = spawnWorkers(WORKER, 4, { args: () => [db.url, log, "follow"], timeoutMs: 90_000 });
    try {
      await seedOrdered();
    } finally {
      writeFileSync(`${log}.stop`, ""); // also when seeding failed: never leave the workers running
    }
    for (const r of await workers) expect(r.code, r.stderr).toBe(0);

    const sent = lines(log).map((l) => l.split(" ") as [string, string, string, string]);
    expect(sent).toHaveLength(6 * 5 + 3 * 5);
    expect(new Set(sent.map(([id]) => id)).size).toBe(sent.length); // each once
    const byRecipient = new Map<string, string[]>();
    for (const [, channel, to, template] of sent)
      byRecipient.set(`${channel} ${to}`, [...(byRecipient.get(`${channel} ${to}`) ?? []), template]);
    expect(byRecipient.size).toBe(9);
    for (const [recipient, templates] of byRecipient) {
      expect([recipient, templates]).toEqual([
        recipient,
        ["order_confirmation", "order_shipped", "order_confirmation", "password_changed", "order_shipped"],
      ]);
    }
  });

  it("a dispatcher killed with SIGKILL mid-dispatch: after a restart on 4 processes every notification is delivered, each with its one id", async () => {
    const { expected } = await seed();
    const log = join(dir, "sent.log");
    // tsx's loader in this very process (the tsx CLI would run the script in a child that a
    // SIGKILL of the CLI leaves alive).
    const doomed = spawn(process.execPath, ["--import", loader(), "--conditions=@platform/source", WORKER, db.url, log, "slow", "3000"], {
      stdio: ["ignore", "ignore", "pipe"],
    });
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

    // The killed process's claim lapses after its 3 s lease; then another process sends that message again.
    const results = await spawnWorkers(WORKER, 4, { args: () => [db.url, log, "drain", "3000"], timeoutMs: 30_000 });
    for (const r of results) expect(r.code, r.stderr).toBe(0);

    const rows = (
      await db.pool.query<{ id: string; channel: string; recipient: string; status: string }>(
        "SELECT id, channel, recipient, status FROM commerce_notifications",
      )
    ).rows;
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
    // 12 recipients; 4 of them also wait for a shipping notice behind their confirmation.
    expect(await jobs.runOnce()).toMatchObject({ sent: 0, retried: 12, failed: 0 });
    expect(await jobs.runOnce()).toMatchObject({ sent: 0, retried: 0, failed: 0 }); // not due yet
    clock.advance({ minutes: 1 });
    // The confirmations are dead-lettered; only then do the shipping notices get their first try.
    expect(await jobs.runOnce()).toMatchObject({ failed: 12, retried: 4 });
    clock.advance({ minutes: 1 });
    expect(await jobs.runOnce()).toMatchObject({ failed: 4, retried: 0 });
    expect(new Set(sends).size).toBe(16);
    const failed = await db.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM platform_outbox WHERE type = 'notification.failed' AND data->>'code' = 'smtp_unavailable'",
    );
    expect(failed.rows[0]!.n).toBe(16);
  });

  it("records with the template overrides for the customer's locale on PostgreSQL; a failing template sends nothing and records template_failed", async () => {
    await truncateCommerce(db);
    const { platform } = makePlatform({
      store: storeOn(db),
      notifications: {
        sendInProcess: false, // the jobs below send
        // buyers 0 and 2 (those with a phone) write in German
        locale: (customer) => (Number(/^tpl(\d+)@/.exec(customer.email)![1]) % 2 === 0 ? "de-DE" : "en"),
        templates: {
          order_confirmation: {
            de: ({ order }) => ({
              subject: `Bestellung ${order.id} bestätigt`,
              text: "Danke",
              html: "<p>Danke</p>",
              sms: "Bestellung bestätigt",
            }),
          },
          order_shipped: {
            "*": () => {
              throw new Error("template bug");
            },
          },
        },
      },
    });
    const p = await product(platform, "TPL-PG-1", "12.00", 10);
    for (let i = 0; i < 4; i++) {
      const email = `tpl${i}@example.com`;
      await platform.users.register(ANONYMOUS_ACTOR, {
        email,
        password: "s3cure-passw0rd",
        name: `Buyer ${i}`,
        ...(i % 2 === 0 ? { phone: `+1555200${i}` } : {}),
      });
      const actor = await platform.users.authenticate(ANONYMOUS_ACTOR, {
        token: (await platform.users.login(ANONYMOUS_ACTOR, { email, password: "s3cure-passw0rd" })).token,
      });
      await platform.carts.addItem(actor, { productId: p.id, quantity: 1 });
      const order = await platform.orders.checkout(actor, { idempotencyKey: `template-pg-${i}` });
      await platform.orders.fulfill(ADMIN_ACTOR, { orderId: order.id });
      await platform.orders.ship(ADMIN_ACTOR, { orderId: order.id }); // the failing template: nothing recorded
    }
    const emails: { to: string; subject: string }[] = [];
    const sms: string[] = [];
    const jobs = new PostgresNotificationJobs({
      store: storeOn(db),
      email: { send: async (m) => void emails.push({ to: m.to, subject: m.subject }) },
      sms: { send: async (m) => void sms.push(m.text) },
    });
    expect(await jobs.runOnce()).toMatchObject({ sent: 6, retried: 0, failed: 0 });
    expect(
      emails
        .filter((m) => m.subject.startsWith("Bestellung "))
        .map((m) => m.to)
        .sort(),
    ).toEqual(["tpl0@example.com", "tpl2@example.com"]);
    expect(
      emails
        .filter((m) => m.subject.startsWith("Your order "))
        .map((m) => m.to)
        .sort(),
    ).toEqual(["tpl1@example.com", "tpl3@example.com"]);
    expect(sms).toEqual(["Bestellung bestätigt", "Bestellung bestätigt"]);
    const failed = await db.pool.query<{ template: string }>(
      "SELECT data->>'template' AS template FROM platform_outbox WHERE type = 'notification.failed' AND data->>'code' = 'template_failed'",
    );
    expect(failed.rows.map((r) => r.template)).toEqual(Array(4).fill("order_shipped"));
    expect(await jobs.runOnce()).toMatchObject({ sent: 0 }); // nothing was recorded for the failed renders
  });
});
