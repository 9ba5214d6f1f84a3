import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryNotificationOutbox, type EmailMessage } from "../src/index.js";
import { ADMIN_ACTOR, codeOf, commerceStores, makePlatform, signUp } from "./helpers.js";

// Dead-lettered notifications stay in the store, and an admin lists them and queues them again, as
// payments' webhook deliveries can be.
describe.each(commerceStores())("dead-lettered notifications on $name", (fixture) => {
  beforeAll(() => fixture.setup());
  afterAll(() => fixture.teardown());

  it("are listed oldest first in pages, survive a new platform on the store, and go out once retried", async () => {
    const store = fixture.make();
    let failing = true;
    const outbox = new MemoryNotificationOutbox();
    const email = {
      send: async (m: EmailMessage) => {
        if (failing) throw Object.assign(new Error("mailbox unavailable"), { code: "smtp_failed" });
        await outbox.send(m);
      },
    };
    const { platform } = makePlatform({ store, notifications: { email, sms: null, retry: { attempts: 1 } } });
    const a = await signUp(platform);
    const b = await signUp(platform);
    for (const who of [a, b])
      await platform.users.changePassword(who.actor, { currentPassword: "s3cure-passw0rd", newPassword: "n3w-passw0rd!" });
    await platform.notifications.flush();
    await platform.notifications.dispatchDue();

    // Another platform (another process) on the same store sees them: they are stored, not kept in memory.
    const other = makePlatform({ store, notifications: { email, sms: null } }).platform;
    const first = await other.notifications.listDeadLetters(ADMIN_ACTOR, { limit: 1 });
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).not.toBeNull();
    const second = await other.notifications.listDeadLetters(ADMIN_ACTOR, { limit: 1, cursor: first.nextCursor });
    const dead = [...first.items, ...second.items];
    expect(dead.map((d) => d.recipient)).toEqual([a.email, b.email]);
    expect(dead[0]).toMatchObject({ channel: "email", lastError: "smtp_failed", attempts: 1 });

    failing = false;
    const retried = await other.notifications.retryDeadLetter(ADMIN_ACTOR, { notificationId: dead[0]!.id });
    expect(retried).toMatchObject({ id: dead[0]!.id, attempts: 0 });
    await other.notifications.flush();
    await other.notifications.dispatchDue();
    expect(outbox.emails.map((m) => m.to)).toEqual([a.email]);
    expect((await other.notifications.listDeadLetters(ADMIN_ACTOR)).items.map((d) => d.id)).toEqual([dead[1]!.id]);
    // Still queued, sent, or unknown: not retryable; customers cannot list or retry.
    const message = { to: a.email, subject: "Hello", text: "Hello", template: "security_notice" };
    const queued = { id: "ntf_queued_1", eventId: "evt_queued_1", channel: "email" as const, recipient: a.email, template: "x", message };
    await store.transaction((tx) => tx.notifications.enqueue([{ ...queued, createdAt: new Date("2026-03-01T10:00:00Z") }]));
    expect(await codeOf(() => other.notifications.retryDeadLetter(ADMIN_ACTOR, { notificationId: "ntf_queued_1" }))).toBe(
      "notification_not_dead_lettered",
    );
    expect(await codeOf(() => other.notifications.retryDeadLetter(ADMIN_ACTOR, { notificationId: dead[0]!.id }))).toBe(
      "notification_not_found",
    );
    expect(await codeOf(() => other.notifications.retryDeadLetter(ADMIN_ACTOR, { notificationId: "ntf_missing" }))).toBe(
      "notification_not_found",
    );
    expect(await codeOf(() => other.notifications.listDeadLetters(a.actor))).toBe("role_required");
    expect(await codeOf(() => other.notifications.retryDeadLetter(a.actor, { notificationId: dead[1]!.id }))).toBe("role_required");
  });
});
