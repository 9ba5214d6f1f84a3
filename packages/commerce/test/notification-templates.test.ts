import { describe, expect, it } from "vitest";
import { PlatformError } from "@platform/core";
import { ADMIN_ACTOR, MemoryNotificationOutbox, checkNotificationTemplates, escapeHtml, type NotificationTemplates } from "../src/index.js";
import { makePlatform, product, ANONYMOUS_ACTOR } from "./helpers.js";

// Overrides per message type and locale: German for "de", Swiss German for "de-CH", a house
// style ("*") for every other locale of the shipping notice.
const templates: NotificationTemplates = {
  order_confirmation: {
    de: ({ customerName, order }) => ({
      subject: `Bestellung ${order.id} bestätigt`,
      text: `Hallo ${customerName}`,
      html: `<p>Hallo ${escapeHtml(customerName)}</p>`,
      sms: `Bestellung ${order.id} bestätigt`,
    }),
    "de-ch": ({ customerName, order }) => ({
      subject: `Bestellung ${order.id} bestätigt (CH)`,
      text: `Grüezi ${customerName}`,
      html: `<p>Grüezi ${escapeHtml(customerName)}</p>`,
      sms: "CH",
    }),
  },
  order_shipped: {
    "*": ({ order, locale }) => ({
      subject: `Shipped: ${order.id} [${locale ?? "none"}]`,
      text: "On its way",
      html: "<p>On its way</p>",
      sms: "On its way",
    }),
  },
};

async function buyAndShip(platform: ReturnType<typeof makePlatform>["platform"], email: string, key: string) {
  await platform.users.register(ANONYMOUS_ACTOR, { email, password: "s3cure-passw0rd", name: "Lena <b>" });
  const actor = await platform.users.authenticate(ANONYMOUS_ACTOR, {
    token: (await platform.users.login(ANONYMOUS_ACTOR, { email, password: "s3cure-passw0rd" })).token,
  });
  const p = await product(platform, `TPL-${key}`, "8.00", 5);
  await platform.carts.addItem(actor, { productId: p.id, quantity: 1 });
  const order = await platform.orders.checkout(actor, { idempotencyKey: `template-order-${key}` });
  await platform.orders.fulfill(ADMIN_ACTOR, { orderId: order.id });
  await platform.orders.ship(ADMIN_ACTOR, { orderId: order.id });
  return order;
}

describe("notification templates per message type and locale", () => {
  it("picks the most specific locale override, then '*', then the built-in template", async () => {
    const outbox = new MemoryNotificationOutbox();
    const locales: Record<string, string | null> = {
      "de@example.com": "de-AT",
      "ch@example.com": "DE-ch",
      "en@example.com": null,
      "bad@example.com": "not a locale!",
    };
    const seen: string[] = [];
    const { platform } = makePlatform({
      notifications: { email: outbox, sms: null, templates, locale: (c) => (seen.push(c.email), locales[c.email] ?? null) },
    });
    const de = await buyAndShip(platform, "de@example.com", "de");
    const ch = await buyAndShip(platform, "ch@example.com", "ch");
    const en = await buyAndShip(platform, "en@example.com", "en");
    const bad = await buyAndShip(platform, "bad@example.com", "bad");
    await platform.notifications.flush();
    const subjects = (to: string) => outbox.emails.filter((m) => m.to === to).map((m) => m.subject);
    expect(subjects("de@example.com")).toEqual([`Bestellung ${de.id} bestätigt`, `Shipped: ${de.id} [de-AT]`]);
    expect(subjects("ch@example.com")).toEqual([`Bestellung ${ch.id} bestätigt (CH)`, `Shipped: ${ch.id} [de-CH]`]);
    expect(subjects("en@example.com")).toEqual([`Your order ${en.id} is confirmed`, `Shipped: ${en.id} [none]`]);
    expect(subjects("bad@example.com")).toEqual([`Your order ${bad.id} is confirmed`, `Shipped: ${bad.id} [none]`]);
    expect(outbox.emails.find((m) => m.to === "de@example.com")!.html).toContain("Lena &lt;b&gt;");
    expect(outbox.emails.every((m) => ["order_confirmation", "order_shipped"].includes(m.template))).toBe(true);
    expect(seen).toContain("ch@example.com");
  });

  it("a template that throws or returns a malformed message sends nothing and reports template_failed", async () => {
    const outbox = new MemoryNotificationOutbox();
    const { platform } = makePlatform({
      notifications: {
        email: outbox,
        sms: null,
        templates: {
          order_confirmation: {
            "*": () => {
              throw new Error("template bug");
            },
          },
          order_shipped: { "*": () => ({ subject: "", text: "x", html: "x", sms: "x" }) },
        },
      },
    });
    const failed: { template: string; code: string }[] = [];
    platform.events.on("notification.failed", (e) => failed.push({ template: e.data.template, code: e.data.code }));
    const order = await buyAndShip(platform, "broken@example.com", "broken");
    await platform.notifications.flush();
    expect(order.status).toBe("paid");
    expect(outbox.emails).toEqual([]);
    expect(failed).toEqual([
      { template: "order_confirmation", code: "template_failed" },
      { template: "order_shipped", code: "template_failed" },
    ]);
  });

  it("refuses unknown message types, malformed locale tags, duplicate locales and non-functions at wiring time", () => {
    const bad: unknown[] = [
      { order_confirmed: { "*": () => null } },
      { order_shipped: { "en_US!": () => null } },
      { order_shipped: { "de-CH": () => null, "de-ch": () => null } },
      { order_shipped: { de: "Hallo" } },
      { order_shipped: [] },
      "templates",
    ];
    for (const templates of bad) {
      expect(() => checkNotificationTemplates(templates), JSON.stringify(templates)).toThrow(
        expect.objectContaining({ code: "invalid_notification_templates" }),
      );
    }
    let caught: unknown;
    try {
      makePlatform({ notifications: { templates: { order_confirmed: {} } as never } });
    } catch (e) {
      caught = e;
    }
    expect(PlatformError.is(caught, "invalid_notification_templates")).toBe(true);
  });
});
