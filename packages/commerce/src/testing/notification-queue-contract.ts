import { expect, it } from "vitest";
import { createId } from "@platform/core";
import type { NewNotification, NotificationSettlement } from "../domain/notification-job.js";
import type { CommerceStore } from "../ports/commerce-store.js";

const T0 = new Date("2026-01-01T00:00:00Z");
const at = (ms: number) => new Date(T0.getTime() + ms);

function note(eventId: string, recipient: string, template: string): NewNotification {
  return {
    id: createId("ntf"),
    eventId,
    channel: "email",
    recipient,
    template,
    message: { to: recipient, subject: template, text: "t", html: "<p>t</p>", template },
    createdAt: T0,
  };
}

/**
 * The notification queue part of the commerce store contract (call inside a `describe`): per
 * recipient order, leases, claims that only their holder settles, dead letters, rollback.
 */
export function notificationQueueContract(makeStore: () => CommerceStore | Promise<CommerceStore>): void {
  it("claims only the due head of each recipient's queue, under a lease that only its holder settles", async () => {
    const store = await makeStore();
    const claim = async (claimToken: string, now = T0, channels: ("email" | "sms")[] = ["email"]) =>
      store.transaction((tx) => tx.notifications.claimNext({ now, leaseUntil: new Date(now.getTime() + 60_000), claimToken, channels }));
    const settle = (id: string, token: string, s: NotificationSettlement) =>
      store.transaction((tx) => tx.notifications.settle(id, token, s));
    const [a1, b1, a2] = [
      note("evt_a1", "a@example.com", "first"),
      note("evt_b1", "b@example.com", "first"),
      note("evt_a2", "a@example.com", "second"),
    ];
    await store.transaction((tx) => tx.notifications.enqueue([a1, b1]));
    await store.transaction((tx) => tx.notifications.enqueue([a2, { ...a1, id: createId("ntf") }])); // the same event and channel again is ignored
    await expect(
      store.transaction(async (tx) => {
        await tx.notifications.enqueue([note("evt_x", "x@example.com", "rolled back")]);
        throw new Error("rolled back on purpose");
      }),
    ).rejects.toThrow("rolled back on purpose");

    expect(await claim("sms-only", T0, ["sms"])).toBeNull();
    expect(await claim("t1")).toMatchObject({ id: a1.id, attempts: 1, recipient: "a@example.com", message: a1.message });
    expect(await claim("t2")).toMatchObject({ id: b1.id, attempts: 1 });
    expect(await claim("t3")).toBeNull(); // both heads leased, a2 waits behind a1, evt_x never was

    // Both leases lapse: a1 is taken over; the first claim can no longer settle it.
    expect(await claim("t4", at(61_000))).toMatchObject({ id: a1.id, attempts: 2, claimToken: "t4" });
    expect(await settle(a1.id, "t1", { status: "sent", at: at(61_000) })).toBe(false);
    expect(await settle(a1.id, "t4", { status: "retry", nextAttemptAt: at(120_000), error: "smtp_failed" })).toBe(true);
    expect(await claim("t5", at(61_000))).toMatchObject({ id: b1.id, attempts: 2 });
    expect(await settle(b1.id, "t5", { status: "sent", at: at(61_000) })).toBe(true);
    expect(await settle(b1.id, "t5", { status: "sent", at: at(61_000) })).toBe(false); // settled once
    expect(await claim("t6", at(61_000))).toBeNull(); // a1 not due yet, a2 still behind it

    // Dead-lettering the head frees the next message of that recipient.
    expect(await claim("t7", at(120_000))).toMatchObject({ id: a1.id, attempts: 3 });
    expect(await settle(a1.id, "t7", { status: "failed", error: "smtp_failed" })).toBe(true);
    expect(await claim("t8", at(120_000))).toMatchObject({ id: a2.id, attempts: 1, template: "second" });
    expect(await claim("t9", at(120_000))).toBeNull();

    // A settlement rolled back leaves the message at the head of its queue.
    await expect(
      store.transaction(async (tx) => {
        await tx.notifications.settle(a2.id, "t8", { status: "sent", at: at(120_000) });
        throw new Error("rolled back on purpose");
      }),
    ).rejects.toThrow("rolled back on purpose");
    expect(await claim("t10", at(181_000))).toMatchObject({ id: a2.id, attempts: 2 });
  });
}
