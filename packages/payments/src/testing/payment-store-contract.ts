import { Money, PlatformError } from "@platform/core";
import { describe, expect, it } from "vitest";
import type { LedgerTransaction } from "../domain/ledger.js";
import { authorizationTransaction } from "../domain/ledger.js";
import type { Payment } from "../domain/payment.js";
import type { PaymentStore } from "../ports/payment-store.js";
import { at, T0 } from "./contract-clock.js";
import { refundStoreContract } from "./refund-store-contract.js";
import { samplePayment } from "./sample-payment.js";
import { webhookStoreContract } from "./webhook-store-contract.js";

/**
 * The behaviour every {@link PaymentStore} adapter must show (memory today, PostgreSQL later):
 * rollback, optimistic versions, atomic idempotency claims, indexed lookups, keyset pages and
 * delivery claims. Each test gets a fresh store from `makeStore`.
 * @example
 * ```ts
 * describePaymentStoreContract("memory", () => new MemoryPaymentStore());
 * ```
 */
export function describePaymentStoreContract(name: string, makeStore: () => PaymentStore | Promise<PaymentStore>): void {
  describe(`PaymentStore contract: ${name}`, () => {
    it("rolls back every write of a failed transaction", async () => {
      const store = await makeStore();
      const p = samplePayment();
      await expect(
        store.transaction(async (tx) => {
          await tx.payments.insert(p);
          await tx.ledger.append(authorizationTransaction({ paymentId: p.id, gateway: "test", now: T0 }, p.amount));
          throw new Error("boom!");
        }),
      ).rejects.toThrow("boom!");
      expect(await store.transaction((tx) => tx.payments.get(p.id))).toBeNull();
      expect(await store.transaction((tx) => tx.ledger.allForPayment(p.id))).toEqual([]);
    });

    it("updates payments only from the expected version", async () => {
      const store = await makeStore();
      const p = samplePayment();
      await store.transaction((tx) => tx.payments.insert(p));
      await store.transaction((tx) => tx.payments.update({ ...p, status: "succeeded", version: 2 }));
      const stale = await store.transaction((tx) => tx.payments.update({ ...p, status: "failed", version: 2 })).catch((e: unknown) => e);
      expect(PlatformError.is(stale, "version_conflict")).toBe(true);
      const got = await store.transaction((tx) => tx.payments.get(p.id));
      expect(got?.status).toBe("succeeded");
      expect(got?.amount.equals(p.amount)).toBe(true);
    });

    it("a write that fails fails its transaction with its own error, whatever was sent after it, and keeps nothing", async () => {
      const store = await makeStore();
      const p = samplePayment();
      await store.transaction((tx) => tx.payments.insert(p));
      const other = samplePayment();
      const authorization = (q: Payment) => authorizationTransaction({ paymentId: q.id, gateway: "test", now: T0 }, q.amount);
      const duplicate = await store
        .transaction(async (tx) => {
          await tx.payments.insert(other);
          await tx.payments.insert(p);
          await tx.ledger.append(authorization(other));
          return tx.payments.get(other.id); // a read after the failed write
        })
        .catch((e: unknown) => e);
      expect(PlatformError.is(duplicate, "duplicate_id")).toBe(true);
      const stale = await store
        .transaction(async (tx) => {
          await tx.payments.update({ ...p, status: "failed", version: 7 });
          await tx.ledger.append(authorization(p));
        })
        .catch((e: unknown) => e);
      expect(PlatformError.is(stale, "version_conflict")).toBe(true);
      expect(await store.transaction((tx) => tx.payments.get(other.id))).toBeNull();
      expect((await store.transaction((tx) => tx.payments.get(p.id)))?.status).toBe(p.status);
      expect(
        await store.transaction(async (tx) => [...(await tx.ledger.allForPayment(p.id)), ...(await tx.ledger.allForPayment(other.id))]),
      ).toEqual([]);
    });

    it("lists by status with keyset pages and counts velocity since a time", async () => {
      const store = await makeStore();
      const ps = Array.from({ length: 5 }, (_, i) =>
        samplePayment({ createdAt: at(i * 60_000), status: i % 2 ? "succeeded" : "processing" }),
      );
      await store.transaction(async (tx) => {
        for (const p of ps) await tx.payments.insert(p);
      });
      const first = await store.transaction((tx) => tx.payments.listByStatus("processing", { limit: 2 }));
      const second = await store.transaction((tx) => tx.payments.listByStatus("processing", { limit: 2, cursor: first.nextCursor }));
      expect([...first.items, ...second.items].map((p) => p.id)).toEqual([ps[0]!.id, ps[2]!.id, ps[4]!.id]);
      expect(second.nextCursor).toBeNull();
      expect(await store.transaction((tx) => tx.payments.countSince("customer", "CUS_1", at(120_000)))).toBe(3);
      expect(await store.transaction((tx) => tx.payments.countSince("card", "fp1", T0))).toBe(5);
      expect(await store.transaction((tx) => tx.payments.countSince("card", "fp1", at(1)))).toBe(4);
      expect(await store.transaction((tx) => tx.payments.countSince("card", "fp1", at(240_001)))).toBe(0);
      expect(await store.transaction((tx) => tx.payments.countSince("ip", "198.51.100.1", T0))).toBe(0);
      // Across hours and days: one payment per 7 hours over a week.
      await store.transaction(async (tx) => {
        for (let h = 0; h < 24 * 7; h += 7)
          await tx.payments.insert(
            samplePayment({
              customer: { id: "cus_week" },
              paymentMethodDetails: { type: "card" },
              createdAt: at(h * 3_600_000 + 30 * 60_000),
            }),
          );
      });
      expect(await store.transaction((tx) => tx.payments.countSince("customer", "cus_week", T0))).toBe(24);
      expect(await store.transaction((tx) => tx.payments.countSince("customer", "cus_week", at(7 * 3_600_000 + 30 * 60_000)))).toBe(23);
      expect(await store.transaction((tx) => tx.payments.countSince("customer", "cus_week", at(7 * 3_600_000 + 30 * 60_000 + 1)))).toBe(22);
      expect(await store.transaction((tx) => tx.payments.countSince("customer", "cus_week", at(100 * 3_600_000)))).toBe(9);
    });

    it("finds expired authorisations only", async () => {
      const store = await makeStore();
      const old = samplePayment({ status: "requires_capture", authorizationExpiresAt: at(1000) });
      const fresh = samplePayment({ status: "requires_capture", authorizationExpiresAt: at(10_000) });
      await store.transaction(async (tx) => {
        await tx.payments.insert(old);
        await tx.payments.insert(fresh);
      });
      const found = await store.transaction((tx) => tx.payments.listExpiredAuthorizations(at(5000), 10));
      expect(found.map((p) => p.id)).toEqual([old.id]);
    });

    it("finds expired customer actions only, earliest first, and round-trips the action", async () => {
      const store = await makeStore();
      const action = {
        nextAction: { type: "use_stripe_sdk", use_stripe_sdk: { type: "three_d_secure_redirect" } },
        clientSecret: "pi_1_secret_abc",
      };
      const late = samplePayment({
        status: "requires_action",
        gatewayTransactionId: "pi_late",
        customerAction: action,
        actionExpiresAt: at(2000),
      });
      const early = samplePayment({
        status: "requires_action",
        gatewayTransactionId: "pi_early",
        customerAction: action,
        actionExpiresAt: at(1000),
      });
      const open = samplePayment({
        status: "requires_action",
        gatewayTransactionId: "pi_open",
        customerAction: action,
        actionExpiresAt: at(10_000),
      });
      await store.transaction(async (tx) => {
        for (const p of [late, early, open]) await tx.payments.insert(p);
      });
      const found = await store.transaction((tx) => tx.payments.listExpiredActions(at(5000), 10));
      expect(found.map((p) => p.id)).toEqual([early.id, late.id]);
      expect(found[0]!.customerAction).toEqual(action);
      expect(found[0]!.actionExpiresAt?.getTime()).toBe(at(1000).getTime());
      expect((await store.transaction((tx) => tx.payments.listExpiredActions(at(5000), 1))).map((p) => p.id)).toEqual([early.id]);
    });

    it("records a provider event once per (gateway, event id)", async () => {
      const store = await makeStore();
      const event = { gateway: "stripe", eventId: "evt_contract_1", type: "payment_intent.succeeded", receivedAt: at(0) };
      expect(await store.transaction((tx) => tx.gatewayEvents.record(event))).toBe(true);
      expect(await store.transaction((tx) => tx.gatewayEvents.record({ ...event, receivedAt: at(1) }))).toBe(false);
      expect(await store.transaction((tx) => tx.gatewayEvents.record({ ...event, gateway: "stripe_eu" }))).toBe(true);
      // Rolled back with its transaction: a failed application leaves the event to be delivered again.
      await store
        .transaction(async (tx) => {
          await tx.gatewayEvents.record({ ...event, eventId: "evt_contract_2" });
          throw new Error("roll back!");
        })
        .catch(() => undefined);
      expect(await store.transaction((tx) => tx.gatewayEvents.record({ ...event, eventId: "evt_contract_2" }))).toBe(true);
      // Purged by age, at most `limit` at a time; a purged id records again.
      await store.transaction((tx) => tx.gatewayEvents.record({ ...event, eventId: "evt_contract_3", receivedAt: at(10_000) }));
      expect(await store.transaction((tx) => tx.gatewayEvents.purgeBefore(at(5000), 2))).toBe(2);
      expect(await store.transaction((tx) => tx.gatewayEvents.purgeBefore(at(5000), 10))).toBe(1);
      expect(await store.transaction((tx) => tx.gatewayEvents.purgeBefore(at(5000), 10))).toBe(0);
      expect(await store.transaction((tx) => tx.gatewayEvents.record(event))).toBe(true);
      expect(await store.transaction((tx) => tx.gatewayEvents.record({ ...event, eventId: "evt_contract_3" }))).toBe(false);
    });

    it("pages the ledger by payment and by time range", async () => {
      const store = await makeStore();
      const txns: LedgerTransaction[] = Array.from({ length: 6 }, (_, i) =>
        authorizationTransaction(
          { paymentId: i < 4 ? "pay_a" : "pay_b", gateway: "test", now: at(i * 3_600_000 * 10) },
          Money.of(String(i + 1), "EUR"),
        ),
      );
      await store.transaction(async (tx) => {
        for (const id of ["pay_a", "pay_b"]) await tx.payments.insert(samplePayment({ id }));
        for (const t of txns) await tx.ledger.append(t);
      });
      const byPay = await store.transaction((tx) => tx.ledger.listByPayment("pay_a", { limit: 3 }));
      expect(byPay.items.map((t) => t.id)).toEqual(txns.slice(0, 3).map((t) => t.id));
      const rest = await store.transaction((tx) => tx.ledger.listByPayment("pay_a", { limit: 3, cursor: byPay.nextCursor }));
      expect(rest.items.map((t) => t.id)).toEqual([txns[3]!.id]);
      const range = await store.transaction((tx) =>
        tx.ledger.listByTime({ from: at(3_600_000 * 10), to: at(3_600_000 * 40) }, { limit: 10 }),
      );
      expect(range.items.map((t) => t.id)).toEqual([txns[3]!.id, txns[2]!.id, txns[1]!.id]);
      const got = await store.transaction((tx) => tx.ledger.get(txns[0]!.id));
      expect(got?.postings).toHaveLength(2);
      expect(got?.amount.equals(Money.of("1", "EUR"))).toBe(true);
    });

    it("keeps append order for entries of the same instant", async () => {
      const store = await makeStore();
      const txns = Array.from({ length: 10 }, (_, i) =>
        authorizationTransaction({ paymentId: "pay_same", gateway: "test", now: T0 }, Money.of(String(i + 1), "USD")),
      );
      await store.transaction(async (tx) => {
        await tx.payments.insert(samplePayment({ id: "pay_same" }));
        for (const t of txns) await tx.ledger.append(t);
      });
      const all = await store.transaction((tx) => tx.ledger.allForPayment("pay_same"));
      expect(all.map((t) => t.id)).toEqual(txns.map((t) => t.id));
      const page = await store.transaction((tx) => tx.ledger.listByPayment("pay_same", { limit: 10 }));
      expect(page.items.map((t) => t.id)).toEqual(txns.map((t) => t.id));
    });

    it("claims an idempotency key once, even under concurrency, and re-claims it after expiry", async () => {
      const store = await makeStore();
      const rec = { scope: "s", key: "k", fingerprint: "f", status: "in_progress" as const, createdAt: T0, expiresAt: at(1000) };
      const claims = await Promise.all(Array.from({ length: 20 }, () => store.transaction((tx) => tx.idempotency.claim(rec, T0))));
      expect(claims.filter((c) => c.claimed)).toHaveLength(1);
      await store.transaction(async (tx) => {
        await tx.idempotency.attach("s", "k", "pay_1");
        await tx.idempotency.complete("s", "k", { resourceId: "pay_1" });
      });
      const again = await store.transaction((tx) => tx.idempotency.claim(rec, at(500)));
      expect(again.claimed ? undefined : again.existing).toMatchObject({ status: "completed", resourceId: "pay_1" });
      const later = await store.transaction((tx) => tx.idempotency.claim({ ...rec, fingerprint: "g", expiresAt: at(5000) }, at(1000)));
      expect(later.claimed).toBe(true);
      await store.transaction((tx) => tx.idempotency.release("s", "k"));
      expect(await store.transaction((tx) => tx.idempotency.get("s", "k"))).toBeNull();
    });

    it("leases an in-progress key: only its token renews it, and one caller takes it over once it lapsed", async () => {
      const store = await makeStore();
      const rec = {
        scope: "s",
        key: "lease",
        fingerprint: "f",
        status: "in_progress" as const,
        createdAt: T0,
        expiresAt: at(100_000),
        leaseToken: "t0",
        leaseExpiresAt: at(1000),
      };
      await store.transaction(async (tx) => {
        await tx.idempotency.claim(rec, T0);
        await tx.idempotency.attach("s", "lease", "pay_1");
      });
      expect(await store.transaction((tx) => tx.idempotency.renewLease("s", "lease", "other", at(9000)))).toBe(false);
      expect(await store.transaction((tx) => tx.idempotency.renewLease("s", "lease", "t0", at(2000)))).toBe(true);
      // Live lease: nobody takes over.
      expect(await store.transaction((tx) => tx.idempotency.takeOver("s", "lease", at(1500), "t1", at(3000)))).toBeNull();
      const takers = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          store.transaction((tx) => tx.idempotency.takeOver("s", "lease", at(2000), `t${i + 1}`, at(4000))),
        ),
      );
      const won = takers.filter((t) => t !== null);
      expect(won).toHaveLength(1);
      expect(won[0]).toMatchObject({ resourceId: "pay_1", status: "in_progress" });
      expect(won[0]!.leaseExpiresAt!.getTime()).toBe(at(4000).getTime());
      // The old owner's token no longer renews; a completed key is neither renewed nor taken over.
      expect(await store.transaction((tx) => tx.idempotency.renewLease("s", "lease", "t0", at(9000)))).toBe(false);
      await store.transaction((tx) => tx.idempotency.complete("s", "lease", { resourceId: "pay_1" }));
      expect(await store.transaction((tx) => tx.idempotency.renewLease("s", "lease", won[0]!.leaseToken!, at(9000)))).toBe(false);
      expect(await store.transaction((tx) => tx.idempotency.takeOver("s", "lease", at(50_000), "t99", at(60_000)))).toBeNull();
    });

    it("keeps provider data and rule descriptions exactly, prototype-named keys included", async () => {
      const store = await makeStore();
      const gatewayData = JSON.parse('{"charge":"ch_1","nested":{"list":[1,2.5,"x",null,false]},"__proto__":{"a":1},"constructor":"c"}');
      const p = samplePayment({ gatewayData });
      await store.transaction(async (tx) => {
        await tx.payments.insert(p);
        await tx.ledger.append(authorizationTransaction({ paymentId: p.id, gateway: "test", gatewayData, now: T0 }, p.amount));
        await tx.fraudRules.insert({
          id: "frr_d",
          name: "d",
          action: "review",
          conditions: [],
          enabled: true,
          position: 1,
          description: "Why this rule exists",
          createdAt: T0,
        });
      });
      const got = await store.transaction((tx) => tx.payments.get(p.id));
      expect(got?.gatewayData).toEqual(gatewayData);
      expect(Object.prototype.hasOwnProperty.call(got?.gatewayData, "__proto__")).toBe(true);
      expect((await store.transaction((tx) => tx.ledger.allForPayment(p.id)))[0]?.gatewayData).toEqual(gatewayData);
      await store.transaction((tx) => tx.payments.update({ ...p, gatewayData: { charge: "ch_2" }, version: 2 }));
      expect((await store.transaction((tx) => tx.payments.get(p.id)))?.gatewayData).toEqual({ charge: "ch_2" });
      const rule = await store.transaction((tx) => tx.fraudRules.get("frr_d"));
      expect(rule?.description).toBe("Why this rule exists");
      await store.transaction((tx) => tx.fraudRules.update({ ...rule!, description: "Changed" }));
      expect((await store.transaction((tx) => tx.fraudRules.list()))[0]?.description).toBe("Changed");
    });

    refundStoreContract(makeStore);
    webhookStoreContract(makeStore);
  });
}
