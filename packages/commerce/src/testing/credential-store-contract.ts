import { describe, expect, it } from "vitest";
import type { AttemptPolicy } from "../domain/login-throttle.js";
import type { CommerceStore, CommerceTx } from "../ports/commerce-store.js";

const T0 = new Date("2026-01-01T00:00:00Z");
const at = (ms: number) => new Date(T0.getTime() + ms);

function run<T>(store: CommerceStore, work: (tx: CommerceTx) => Promise<T>): Promise<T> {
  return store.transaction(work);
}

/**
 * The part of the commerce store contract about credentials and their bounded state: login
 * throttle counters (atomic claims, refunds, purges) and the purge of ended sessions.
 */
export function describeCredentialStoreContract(name: string, makeStore: () => CommerceStore | Promise<CommerceStore>): void {
  describe(`credential store contract: ${name}`, () => {
    const hardLock: AttemptPolicy = { freeAttempts: 3, baseDelayMs: 60_000, maxDelayMs: 60_000, windowMs: 60_000 };

    it("claims attempts atomically: of parallel claims only the free ones pass, on both counters", async () => {
      const store = await makeStore();
      for (const repo of ["loginThrottles", "clientThrottles"] as const) {
        const claims = await Promise.all(
          Array.from({ length: 10 }, () => run(store, (tx) => tx[repo].claimAttempt("y@example.com", T0, hardLock))),
        );
        expect(claims.filter((c) => c.allowed)).toHaveLength(3);
        expect(claims.filter((c) => !c.allowed).every((c) => c.throttle.lockedUntil?.getTime() === T0.getTime() + 60_000)).toBe(true);
        expect((await run(store, (tx) => tx[repo].claimAttempt("y@example.com", at(60_000), hardLock))).allowed).toBe(true);
        await run(store, (tx) => tx[repo].clear("y@example.com"));
        expect(await run(store, (tx) => tx[repo].get("y@example.com"))).toBeNull();
      }
    });

    it("delays progressively and refunds attempts", async () => {
      const store = await makeStore();
      const policy: AttemptPolicy = { freeAttempts: 2, baseDelayMs: 1_000, maxDelayMs: 4_000, windowMs: 3_600_000 };
      const claim = (now: Date) => run(store, (tx) => tx.loginThrottles.claimAttempt("p@example.com", now, policy));
      expect((await claim(T0)).throttle.lockedUntil).toBeNull();
      expect((await claim(T0)).throttle.lockedUntil?.getTime()).toBe(T0.getTime() + 1_000);
      expect((await claim(at(999))).allowed).toBe(false);
      expect((await claim(at(1_000))).throttle.lockedUntil?.getTime()).toBe(T0.getTime() + 3_000);
      expect((await claim(at(3_000))).throttle.lockedUntil?.getTime()).toBe(T0.getTime() + 7_000);
      expect((await claim(at(7_000))).throttle.lockedUntil?.getTime()).toBe(T0.getTime() + 11_000); // capped at 4 s
      await run(store, (tx) => tx.clientThrottles.claimAttempt("10.0.0.1", T0, hardLock));
      await run(store, (tx) => tx.clientThrottles.claimAttempt("10.0.0.1", T0, hardLock));
      await run(store, (tx) => tx.clientThrottles.refund("10.0.0.1"));
      expect((await run(store, (tx) => tx.clientThrottles.get("10.0.0.1")))?.failures).toBe(1);
    });

    it("purges only stale throttle counters, in bounded batches", async () => {
      const store = await makeStore();
      await run(store, async (tx) => {
        for (let i = 0; i < 5; i++) await tx.loginThrottles.claimAttempt(`old${i}@example.com`, T0, hardLock);
        for (let i = 0; i < 3; i++) await tx.loginThrottles.claimAttempt("locked@example.com", T0, hardLock);
        await tx.loginThrottles.claimAttempt("recent@example.com", at(30_000), hardLock);
        await tx.clientThrottles.claimAttempt("10.0.0.2", T0, hardLock);
      });
      // At T0 + 60 s: the five old windows are over; "locked" is still locked (until T0 + 60 s, so no
      // longer), "recent" is inside its window.
      const now = at(59_999);
      expect(await run(store, (tx) => tx.loginThrottles.purgeStale(now, 60_000, 100))).toBe(0);
      expect(await run(store, (tx) => tx.loginThrottles.purgeStale(at(60_000), 60_000, 4))).toBe(4);
      expect(await run(store, (tx) => tx.loginThrottles.purgeStale(at(60_000), 60_000, 100))).toBe(2);
      expect(await run(store, (tx) => tx.loginThrottles.get("recent@example.com"))).not.toBeNull();
      expect(await run(store, (tx) => tx.clientThrottles.purgeStale(at(60_000), 60_000, 100))).toBe(1);
    });

    it("purges ended sessions only, in bounded batches", async () => {
      const store = await makeStore();
      await run(store, async (tx) => {
        for (let i = 0; i < 5; i++)
          await tx.sessions.insert({ tokenHash: `exp${i}`, customerId: "cus_a", createdAt: T0, expiresAt: at(1_000), revokedAt: null });
        await tx.sessions.insert({
          tokenHash: "revoked",
          customerId: "cus_a",
          createdAt: T0,
          expiresAt: at(3_600_000),
          revokedAt: at(500),
        });
        await tx.sessions.insert({ tokenHash: "live", customerId: "cus_a", createdAt: T0, expiresAt: at(3_600_000), revokedAt: null });
      });
      expect(await run(store, (tx) => tx.sessions.purgeEnded(at(499), 100))).toBe(0);
      expect(await run(store, (tx) => tx.sessions.purgeEnded(at(1_000), 4))).toBe(4);
      expect(await run(store, (tx) => tx.sessions.purgeEnded(at(1_000), 100))).toBe(2);
      expect(await run(store, (tx) => tx.sessions.get("revoked"))).toBeNull();
      expect(await run(store, (tx) => tx.sessions.get("live"))).not.toBeNull();
    });
  });
}
