import { describe, expect, it } from "vitest";
import { ManualClock } from "@platform/core";
import { drainPurge } from "@platform/core/testing";
import { DEFAULT_LOGIN_THROTTLE, MemoryCommerceStore } from "../src/index.js";
import { codeOf, makePlatform, ANONYMOUS_ACTOR } from "./helpers.js";

async function liveCounters(store: MemoryCommerceStore, keys: readonly string[]): Promise<number> {
  return store.transaction(async (tx) => {
    let n = 0;
    for (const k of keys) if (await tx.loginThrottles.get(k)) n++;
    return n;
  });
}

describe("bounded state: the memory login throttle", () => {
  it("caps itself under 20,000 distinct unknown e-mails without any purge, and a purge empties it", async () => {
    const store = new MemoryCommerceStore({ maxThrottleRows: 2_000 });
    const clock = new ManualClock("2026-03-01T00:00:00Z");
    const emails = Array.from({ length: 20_000 }, (_, i) => `nobody${i}@example.com`);
    for (const email of emails) {
      await store.transaction((tx) => tx.loginThrottles.claimAttempt(email, clock.now(), DEFAULT_LOGIN_THROTTLE.email));
      clock.advance({ ms: 10 });
    }
    expect(await liveCounters(store, emails)).toBeLessThanOrEqual(2_000);
    // The newest counters are the ones kept: a flood evicts the oldest.
    expect(await store.transaction((tx) => tx.loginThrottles.get(emails.at(-1)!))).not.toBeNull();

    clock.advance({ hours: 24 });
    const removed = await drainPurge(() =>
      store.transaction((tx) => tx.loginThrottles.purgeStale(clock.now(), DEFAULT_LOGIN_THROTTLE.email.windowMs, 500)),
    );
    expect(await liveCounters(store, emails)).toBe(0);
    expect(removed).toBeGreaterThan(0);
    expect(removed).toBeLessThanOrEqual(2_000);
  });

  it("evicts stale counters before live ones", async () => {
    const store = new MemoryCommerceStore({ maxThrottleRows: 10 });
    const policy = { freeAttempts: 2, baseDelayMs: 60_000, maxDelayMs: 60_000, windowMs: 60_000 };
    const t0 = new Date("2026-03-01T00:00:00Z");
    // The first key is locked for a minute; nine more fill the table, and go stale after a minute.
    for (let i = 0; i < 2; i++) await store.transaction((tx) => tx.loginThrottles.claimAttempt("victim@example.com", t0, policy));
    for (let i = 0; i < 9; i++)
      await store.transaction((tx) => tx.loginThrottles.claimAttempt(`old${i}@example.com`, new Date(t0.getTime() - 120_000), policy));
    await store.transaction((tx) => tx.loginThrottles.claimAttempt("new@example.com", new Date(t0.getTime() + 1_000), policy));
    expect((await store.transaction((tx) => tx.loginThrottles.get("victim@example.com")))?.lockedUntil?.getTime()).toBe(
      t0.getTime() + 60_000,
    );
  });

  it("through the platform: a stream of logins for unknown e-mails keeps the table under the cap", async () => {
    const store = new MemoryCommerceStore({ maxThrottleRows: 100 });
    const { platform, clock } = makePlatform({ store });
    const emails = Array.from({ length: 400 }, (_, i) => `stranger${i}@example.com`);
    for (const email of emails) {
      expect(await codeOf(() => platform.users.login(ANONYMOUS_ACTOR, { email, password: "wrong-passw0rd" }))).toBe("invalid_credentials");
      clock.advance({ seconds: 1 });
    }
    expect(await liveCounters(store, emails)).toBeLessThanOrEqual(100);
    clock.advance({ hours: 24 });
    expect(await platform.users.purgeLoginThrottles({ limit: 10_000 })).toBeLessThanOrEqual(100);
    expect(await liveCounters(store, emails)).toBe(0);
  });
});
