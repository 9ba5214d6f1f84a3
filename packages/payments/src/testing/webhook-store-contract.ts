import { createId } from "@platform/core";
import { expect, it } from "vitest";
import type { WebhookDelivery } from "../domain/webhook-delivery.js";
import type { PaymentStore } from "../ports/payment-store.js";
import { at, T0 } from "./contract-clock.js";

function sampleDelivery(over: Partial<WebhookDelivery> = {}): WebhookDelivery {
  return {
    id: createId("whd"),
    endpointId: "we_1",
    messageId: createId("evt"),
    eventType: "payment.succeeded",
    payload: "{}",
    status: "pending",
    attemptCount: 0,
    attempts: [],
    nextAttemptAt: T0,
    createdAt: T0,
    updatedAt: T0,
    ...over,
  };
}

/** The webhook part of the store contract (delivery claims, leases, endpoints), run inside `describePaymentStoreContract`. */
export function webhookStoreContract(makeStore: () => PaymentStore | Promise<PaymentStore>): void {
  it("claims only due deliveries, each once, and re-offers them when the lease lapses", async () => {
    const store = await makeStore();
    const due = sampleDelivery();
    const later = sampleDelivery({ nextAttemptAt: at(60_000) });
    await store.transaction(async (tx) => {
      await tx.webhookDeliveries.insert(due);
      await tx.webhookDeliveries.insert(later);
    });
    const [a, b] = await Promise.all(
      [0, 1].map(() => store.transaction((tx) => tx.webhookDeliveries.claimDue(T0, at(30_000), 10, "wls_t"))),
    );
    expect([...a!, ...b!].map((d) => d.id)).toEqual([due.id]);
    expect(await store.transaction((tx) => tx.webhookDeliveries.claimDue(at(10_000), at(40_000), 10, "wls_t"))).toEqual([]);
    const reclaimed = await store.transaction((tx) => tx.webhookDeliveries.claimDue(at(61_000), at(90_000), 10, "wls_t"));
    expect(reclaimed.map((d) => d.id).sort()).toEqual([due.id, later.id].sort());
    expect(await store.transaction((tx) => tx.webhookDeliveries.nextDueAt())).toEqual(at(90_000));
  });

  it("claims one delivery for a manual retry unless another holder's lease is live", async () => {
    const store = await makeStore();
    const gaveUp = sampleDelivery({ status: "failed", nextAttemptAt: undefined });
    await store.transaction((tx) => tx.webhookDeliveries.insert(gaveUp));
    const first = await store.transaction((tx) => tx.webhookDeliveries.claim(gaveUp.id, T0, at(30_000), "wls_m"));
    expect(first).toMatchObject({ id: gaveUp.id, status: "sending", leaseUntil: at(30_000) });
    const racing = await Promise.all(
      [0, 1].map(() => store.transaction((tx) => tx.webhookDeliveries.claim(gaveUp.id, at(10_000), at(40_000), "wls_m"))),
    );
    expect(racing).toEqual([null, null]);
    expect(await store.transaction((tx) => tx.webhookDeliveries.claimDue(at(10_000), at(40_000), 10, "wls_t"))).toEqual([]);
    const both = await Promise.all(
      [0, 1].map(() => store.transaction((tx) => tx.webhookDeliveries.claim(gaveUp.id, at(30_000), at(60_000), "wls_m"))),
    );
    expect(both.filter((d) => d !== null)).toHaveLength(1);
    expect(await store.transaction((tx) => tx.webhookDeliveries.claim("whd_missing", T0, at(1000), "wls_m"))).toBeNull();
  });

  it("records an attempt only for the claim holding the lease, even after its time lapsed", async () => {
    const store = await makeStore();
    const d = sampleDelivery();
    await store.transaction((tx) => tx.webhookDeliveries.insert(d));
    const [mine] = await store.transaction((tx) => tx.webhookDeliveries.claimDue(T0, at(30_000), 10, "wls_first"));
    expect(mine).toMatchObject({ status: "sending", leaseToken: "wls_first" });
    const done = (status: WebhookDelivery["status"]): WebhookDelivery => ({
      ...mine!,
      status,
      attemptCount: 1,
      attempts: [{ at: T0, status: status === "succeeded" ? 200 : 500, durationMs: 3 }],
      nextAttemptAt: status === "pending" ? at(40_000) : undefined,
      leaseUntil: undefined,
      leaseToken: undefined,
      updatedAt: at(35_000),
    });
    // The lease lapses and a second claim takes the delivery over.
    const [theirs] = await store.transaction((tx) => tx.webhookDeliveries.claimDue(at(31_000), at(60_000), 10, "wls_second"));
    expect(theirs).toMatchObject({ id: d.id, leaseToken: "wls_second" });
    expect(await store.transaction((tx) => tx.webhookDeliveries.recordAttempt(done("pending"), "wls_first"))).toBe(false);
    expect(await store.transaction((tx) => tx.webhookDeliveries.recordAttempt(done("succeeded"), "wls_second"))).toBe(true);
    expect(await store.transaction((tx) => tx.webhookDeliveries.recordAttempt(done("pending"), "wls_second"))).toBe(false);
    const stored = await store.transaction((tx) => tx.webhookDeliveries.get(d.id));
    expect(stored).toMatchObject({ status: "succeeded", attemptCount: 1, attempts: [{ status: 200 }] });
    expect(stored!.leaseToken).toBeUndefined();
    // A claim whose time lapsed but was not taken over still records (nobody else sent it).
    expect(await store.transaction((tx) => tx.webhookDeliveries.claim(d.id, at(70_000), at(80_000), "wls_third"))).toMatchObject({
      leaseToken: "wls_third",
    });
    expect(
      await store.transaction((tx) =>
        tx.webhookDeliveries.recordAttempt(
          { ...stored!, status: "succeeded", attemptCount: 2, leaseToken: undefined, updatedAt: at(90_000) },
          "wls_third",
        ),
      ),
    ).toBe(true);
  });

  it("lists enabled endpoints only", async () => {
    const store = await makeStore();
    const base = { url: "https://a.example.com/", events: ["*"], secrets: [], createdAt: T0, updatedAt: T0 };
    await store.transaction(async (tx) => {
      await tx.webhookEndpoints.insert({ ...base, id: "we_on", enabled: true });
      await tx.webhookEndpoints.insert({ ...base, id: "we_off", enabled: false });
    });
    expect((await store.transaction((tx) => tx.webhookEndpoints.listEnabled())).map((e) => e.id)).toEqual(["we_on"]);
    expect((await store.transaction((tx) => tx.webhookEndpoints.list({ limit: 10 }))).items).toHaveLength(2);
  });

  it("disables an endpoint by flag only, and only while it still has the given url", async () => {
    const store = await makeStore();
    const base = { events: ["*"], secrets: [], enabled: true, createdAt: T0, updatedAt: T0 };
    await store.transaction(async (tx) => {
      await tx.webhookEndpoints.insert({ ...base, id: "we_a", url: "https://a.example.com/", description: "kept" });
      await tx.webhookEndpoints.insert({ ...base, id: "we_b", url: "https://b.example.com/" });
    });
    expect(await store.transaction((tx) => tx.webhookEndpoints.disable("we_a", "https://a.example.com/", "gone", at(1000)))).toBe(true);
    expect(await store.transaction((tx) => tx.webhookEndpoints.disable("we_a", "https://a.example.com/", "gone", at(2000)))).toBe(false);
    expect(await store.transaction((tx) => tx.webhookEndpoints.disable("we_b", "https://old.example.com/", "gone", at(1000)))).toBe(false);
    expect(await store.transaction((tx) => tx.webhookEndpoints.disable("we_missing", "https://a.example.com/", "gone", at(1000)))).toBe(
      false,
    );
    const a = await store.transaction((tx) => tx.webhookEndpoints.get("we_a"));
    expect(a).toMatchObject({
      enabled: false,
      disabledReason: "gone",
      description: "kept",
      url: "https://a.example.com/",
      updatedAt: at(1000),
    });
    expect((await store.transaction((tx) => tx.webhookEndpoints.listEnabled())).map((e) => e.id)).toEqual(["we_b"]);
  });
}
