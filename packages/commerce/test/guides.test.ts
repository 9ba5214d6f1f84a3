import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, describe, expect, inject, it, vi } from "vitest";
import { createIsolatedDatabase } from "@platform/core/testing";
import { extractBlocks } from "../../../scripts/docs-check/extract.mjs";

// Runs the code of the guides in docs/guides/ as written (each guide's blocks form one program),
// so they stay true: docs:check only type-checks them. What the guides' comments promise is read
// back from what they log and export.
const root = fileURLToPath(new URL("../../../", import.meta.url));
const dir = join(root, ".docs-run");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function runGuide(name: string, exported: string[]): Promise<{ values: Record<string, any>; logged: unknown[][] }> {
  const checked = extractBlocks(readFileSync(join(root, "docs/guides", name), "utf8"), name).filter(
    (b) => b.lang === "ts" && !b.flags.includes("fragment"),
  );
  // The guide's program: its first block and the blocks that continue it (later standalone blocks,
  // such as a worker's wiring, are type-checked only).
  const end = checked.findIndex((b, i) => i > 0 && !b.flags.includes("continued"));
  const blocks = end === -1 ? checked : checked.slice(0, end);
  expect(blocks.length, `${name} has a program`).toBeGreaterThan(0);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}-${process.pid}.ts`);
  writeFileSync(file, `${blocks.map((b) => b.code).join("\n")}\nexport { ${exported.join(", ")} };\n`);
  const logged: unknown[][] = [];
  const log = vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => void logged.push(args));
  try {
    return { values: await import(/* @vite-ignore */ file), logged };
  } finally {
    log.mockRestore();
  }
}

describe("docs/guides", () => {
  it("start-a-shop.md runs as written and prints what its comments say", async () => {
    const { values, logged } = await runGuide("start-a-shop.md", ["shop", "order", "payments", "outbox"]);
    expect(values.order.status).toBe("paid");
    expect(values.payments.charges).toHaveLength(1);
    expect(logged).toContainEqual([["LAPTOP001"]]);
    expect(logged).toContainEqual(["paid", values.order.id]);
    expect(logged).toContainEqual(["paid", true, 1]);
    expect(logged).toContainEqual([["order_confirmation", "order_shipped"]]);
    expect(logged).toContainEqual(["declined:", "card_declined", 402]);
    expect(logged.at(-1)).toEqual([9]);
    expect(values.outbox.emails).toHaveLength(2);
  });

  it("run-on-postgresql.md migrates, checks out and posts on a fresh database", async () => {
    const db = await createIsolatedDatabase(inject("databaseUrl"));
    const saved = process.env.DATABASE_URL;
    process.env.DATABASE_URL = db.url;
    try {
      const { values, logged } = await runGuide("run-on-postgresql.md", ["order", "author"]);
      expect(values.order.status).toBe("paid");
      expect(logged).toContainEqual(["paid", "59.98", 3]);
      const { rows } = await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM orders WHERE id = $1 AND status = 'paid'", [
        values.order.id,
      ]);
      expect(rows[0]!.n).toBe(1);
      expect(values.author.externalId).toBe(values.order.customerId);
    } finally {
      if (saved === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved;
      await db.drop();
    }
  });

  it("take-real-payments.md pays through StripeGateway on the local Stripe server and answers a decline with 402", async () => {
    const saved = process.env.STRIPE_SECRET_KEY;
    delete process.env.STRIPE_SECRET_KEY; // the guide's local branch
    try {
      const { values, logged } = await runGuide("take-real-payments.md", ["order", "payments"]);
      expect(values.order.status).toBe("paid");
      expect(logged).toContainEqual(["paid", true]);
      expect(logged).toContainEqual([402, "card_declined"]);
      expect(
        (await values.payments.payments.get({ id: "test", roles: ["payments:read"] }, { paymentId: values.order.payment.reference }))
          .gateway,
      ).toBe("stripe");
    } finally {
      if (saved !== undefined) process.env.STRIPE_SECRET_KEY = saved;
    }
  });

  it("behind-http.md answers a bad login with 400, its code and the request id", async () => {
    const { logged } = await runGuide("behind-http.md", ["server"]);
    expect(logged).toContainEqual([400, "invalid_email", "req-0001-demo", "req-0001-demo"]);
  });

  it("send-real-email.md sends the German confirmation over SMTP, configured from the environment", async () => {
    const received: string[] = [];
    const server = new SMTPServer({
      secure: false,
      disabledCommands: ["STARTTLS", "AUTH"],
      logger: false,
      onData(stream, _session, cb) {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => {
          received.push(Buffer.concat(chunks).toString("utf8"));
          cb();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    const env = {
      SMTP_HOST: "127.0.0.1",
      SMTP_PORT: String((server.server.address() as AddressInfo).port),
      SMTP_FROM: "Shop <noreply@shop.test>",
    };
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, env);
    try {
      const { values } = await runGuide("send-real-email.md", ["order"]);
      expect(values.order.status).toBe("paid");
      expect(received).toHaveLength(1);
      expect(received[0]).toContain("X-Template: order_confirmation");
      expect(received[0]).toContain("Bestellung");
      expect(received[0]).toContain("49,90");
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
