import { Money } from "@platform/core";
import { describe, expect, it, beforeAll, afterAll, vi } from "vitest";
import { ADMIN_ACTOR, MemoryNotificationOutbox, NotificationRecorder, orderConfirmation, type EmailMessage } from "../src/index.js";
import { commerceStores, makeOn, product, signUp, ANONYMOUS_ACTOR } from "./helpers.js";

describe.each(commerceStores())("notifications on $name", (store) => {
  beforeAll(() => store.setup());
  afterAll(() => store.teardown());

  describe("notifications", () => {
    it("sends order confirmation, shipped and password-changed messages by email and SMS", async () => {
      const outbox = new MemoryNotificationOutbox();
      const { platform } = makeOn(store, { notifications: { email: outbox, sms: outbox } });
      const p = await product(platform, "N-1", "8.00", 5);
      await platform.users.register(ANONYMOUS_ACTOR, {
        email: "n@example.com",
        password: "s3cure-passw0rd",
        name: "Nia",
        phone: "+1 555 0100",
      });
      const { token } = await platform.users.login(ANONYMOUS_ACTOR, { email: "n@example.com", password: "s3cure-passw0rd" });
      const actor = await platform.users.authenticate(ANONYMOUS_ACTOR, { token });
      await platform.carts.addItem(actor, { productId: p.id, quantity: 1 });
      const order = await platform.orders.checkout(actor, { idempotencyKey: "notify-order-1" });
      await platform.orders.fulfill(ADMIN_ACTOR, { orderId: order.id });
      await platform.orders.ship(ADMIN_ACTOR, { orderId: order.id, trackingNumber: "TRK-1" });
      await platform.users.changePassword(actor, { currentPassword: "s3cure-passw0rd", newPassword: "an0ther-passw0rd" });
      await platform.notifications.flush();
      expect(outbox.emails.map((m) => m.template)).toEqual(["order_confirmation", "order_shipped", "password_changed"]);
      expect(outbox.sms.map((m) => m.template)).toEqual(["order_confirmation", "order_shipped", "password_changed"]);
      expect(outbox.emails[0]!.text).toContain("Total: $8.00");
      expect(outbox.emails[0]!.html).toContain("<li>");
      expect(outbox.emails[1]!.text).toContain("TRK-1");
      expect(outbox.sms[0]!.to).toBe("+1 555 0100");
    });

    it("sending runs its transactions (claims, settlements) without the recording view: they record no notifying event", async () => {
      const outbox = new MemoryNotificationOutbox();
      const { platform } = makeOn(store, { notifications: { email: outbox, sendInProcess: false } });
      const p = await product(platform, "N-REC", "3.00", 5);
      const { actor } = await signUp(platform, "Rec");
      await platform.carts.addItem(actor, { productId: p.id, quantity: 1 });
      await platform.orders.checkout(actor, { idempotencyKey: "notify-recorder-1" });
      const record = vi.spyOn(NotificationRecorder.prototype, "record");
      try {
        expect((await platform.notifications.dispatchDue()).sent).toBe(1);
        expect(record).not.toHaveBeenCalled();
      } finally {
        record.mockRestore();
      }
      expect(outbox.emails.map((m) => m.template)).toEqual(["order_confirmation"]);
    });

    it("a failing notifier never fails the order; sends are retried, then reported", async () => {
      let calls = 0;
      const flaky = {
        send: async (_m: EmailMessage) =>
          void (
            ++calls <= 2 &&
            (() => {
              throw new Error("smtp down");
            })()
          ),
      };
      const { platform } = makeOn(store, { notifications: { email: flaky, sms: null, retry: { attempts: 3, delaysMs: [0] } } });
      const p = await product(platform, "N-2", "8.00", 5);
      const { actor } = await signUp(platform);
      await platform.carts.addItem(actor, { productId: p.id, quantity: 1 });
      await platform.orders.checkout(actor, { idempotencyKey: "notify-order-2" });
      await platform.notifications.flush();
      expect(calls).toBe(3); // two failures, then delivered

      const dead = {
        send: async () => {
          throw new Error("always down");
        },
      };
      const second = makeOn(store, { notifications: { email: dead, sms: null, retry: { attempts: 2, delaysMs: [0] } } });
      const failed: string[] = [];
      second.platform.events.on("notification.failed", (e) => failed.push(e.data.template));
      const q = await product(second.platform, "N-3", "8.00", 5);
      const buyer = await signUp(second.platform);
      await second.platform.carts.addItem(buyer.actor, { productId: q.id, quantity: 1 });
      const order = await second.platform.orders.checkout(buyer.actor, { idempotencyKey: "notify-order-3" });
      expect(order.status).toBe("paid");
      await second.platform.notifications.flush();
      expect(failed).toEqual(["order_confirmation"]);
    });

    it("a recipient's next message waits until the previous one is sent, even when the previous one needs a retry", async () => {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let busy = true;
      const sent: string[] = [];
      const email = {
        send: async (m: EmailMessage) => {
          if (m.template === "order_confirmation" && busy) {
            busy = false;
            await gate; // the first try of the confirmation hangs, then fails
            throw Object.assign(new Error("smtp busy"), { code: "smtp_failed" });
          }
          sent.push(m.template);
        },
      };
      // A retry waits a real timer turn: a shipping notice sent independently would overtake it.
      const { platform } = makeOn(store, {
        notifications: { email, sms: null, retry: { attempts: 3, delaysMs: [0] }, sleep: () => new Promise((r) => setTimeout(r, 50)) },
      });
      const p = await product(platform, "N-4", "8.00", 5);
      const { actor } = await signUp(platform);
      await platform.carts.addItem(actor, { productId: p.id, quantity: 1 });
      const order = await platform.orders.checkout(actor, { idempotencyKey: "notify-order-4" });
      await platform.orders.fulfill(ADMIN_ACTOR, { orderId: order.id });
      await platform.orders.ship(ADMIN_ACTOR, { orderId: order.id, trackingNumber: "TRK-4" });
      release();
      await platform.notifications.flush();
      expect(sent).toEqual(["order_confirmation", "order_shipped"]);
    });

    it("console preview prints the message", async () => {
      const lines: string[] = [];
      const outbox = new MemoryNotificationOutbox({ preview: true, log: (l) => lines.push(l) });
      await outbox.send({ to: "a@example.com", subject: "Hi", text: "Body", html: "<p>Body</p>", template: "t" });
      expect(lines[0]).toContain("[email to a@example.com] Hi");
    });

    it("templates escape HTML", () => {
      const { platform: _unused } = makeOn(store);
      const msg = orderConfirmation({
        customerName: "<b>Eve</b>",
        order: { id: "ord_x", lines: [], subtotal: zero(), shipping: zero(), tax: zero(), total: zero() } as never,
      });
      expect(msg.html).toContain("&lt;b&gt;Eve&lt;/b&gt;");
      expect(msg.text).toContain("<b>Eve</b>");
    });
  });
});

function zero() {
  return Money.zero("USD");
}
