import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SMTPServer } from "smtp-server";
import type { AddressInfo } from "node:net";
import { SmtpEmailSender, smtpOptionsFromEnv } from "../src/adapters/smtp/index.js";
import { codeOf, makePlatform, product, signUp } from "./helpers.js";

interface Received {
  from: string;
  to: string[];
  raw: string;
  user: string | undefined;
}

describe("SMTP adapter against a real local SMTP server", () => {
  const received: Received[] = [];
  let server: SMTPServer;
  let port = 0;

  beforeAll(async () => {
    server = new SMTPServer({
      secure: false,
      disabledCommands: ["STARTTLS"],
      authOptional: true,
      logger: false,
      onAuth(auth, _session, cb) {
        if (auth.username === "shop" && auth.password === "from-config") cb(null, { user: auth.username });
        else cb(new Error("bad credentials"));
      },
      onData(stream, session, cb) {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString("utf8"),
            user: session.user as string | undefined,
          });
          cb();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    port = (server.server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("delivers a text + HTML message with credentials from configuration", async () => {
    const options = smtpOptionsFromEnv(
      {
        SHOP_SMTP_HOST: "127.0.0.1",
        SHOP_SMTP_PORT: String(port),
        SHOP_SMTP_USER: "shop",
        SHOP_SMTP_PASS: "from-config",
        SHOP_SMTP_FROM: "Shop <noreply@shop.test>",
      },
      "SHOP_",
    );
    const sender = new SmtpEmailSender(options);
    await sender.send({ to: "john@example.com", subject: "Hello", text: "plain body", html: "<p>html body</p>", template: "test" });
    await sender.close();
    const msg = received.at(-1)!;
    expect(msg.to).toEqual(["john@example.com"]);
    expect(msg.from).toBe("noreply@shop.test");
    expect(msg.user).toBe("shop");
    expect(msg.raw).toContain("Subject: Hello");
    expect(msg.raw).toContain("plain body");
    expect(msg.raw).toContain("<p>html body</p>");
    expect(msg.raw).toContain("multipart/alternative");
  });

  it("wrong credentials fail as a retryable gateway error; missing settings are a validation error", async () => {
    const sender = new SmtpEmailSender({ host: "127.0.0.1", port, from: "noreply@shop.test", auth: { user: "shop", pass: "wrong" } });
    expect(await codeOf(() => sender.send({ to: "a@example.com", subject: "x", text: "x", html: "x", template: "t" }))).toBe("smtp_failed");
    await sender.close();
    expect(() => smtpOptionsFromEnv({})).toThrow(expect.objectContaining({ code: "validation_failed" }));
  });

  it("an order confirmation reaches the SMTP server through the platform", async () => {
    const sender = new SmtpEmailSender({ host: "127.0.0.1", port, from: "noreply@shop.test" });
    const { platform } = makePlatform({ notifications: { email: sender, sms: null } });
    const p = await product(platform, "SMTP-1", "12.50", 5);
    const { actor, email } = await signUp(platform, "Zoë <script>");
    await platform.carts.addItem(actor, { productId: p.id, quantity: 2 });
    const order = await platform.orders.checkout(actor, { idempotencyKey: "smtp-order-1" });
    await platform.notifications.flush();
    await sender.close();
    const msg = received.find((m) => m.to.includes(email))!;
    expect(msg).toBeDefined();
    expect(msg.raw).toContain(order.id);
    expect(msg.raw).toContain("&lt;script&gt;"); // the HTML part escapes the name
  });
});
