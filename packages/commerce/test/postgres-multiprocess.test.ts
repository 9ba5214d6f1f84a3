import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { spawnWorkers, type IsolatedDatabase } from "@platform/core/testing";
import { makePlatform, product, signUp, ANONYMOUS_ACTOR } from "./helpers.js";
import { migratedDatabase, storeOn } from "./postgres-helpers.js";

let db: IsolatedDatabase;
beforeAll(async () => {
  db = await migratedDatabase(inject("databaseUrl"));
});
afterAll(() => db?.drop());

const WORKERS = 4;
const BUYERS_PER_WORKER = 6;

describe("checkout storm across processes", () => {
  it(`${WORKERS} processes, ${WORKERS * BUYERS_PER_WORKER} buyers, 5 units: never oversold, no reservation left behind, losers get insufficient_stock`, async () => {
    const { platform } = makePlatform({ store: storeOn(db) });
    const scarce = await product(platform, "STORM-SCARCE", "10.00", 5);
    const plenty = await product(platform, "STORM-PLENTY", "2.50", 1000);
    const buyers: string[] = [];
    for (let i = 0; i < WORKERS * BUYERS_PER_WORKER; i++) {
      const { actor } = await signUp(platform, `Storm ${i}`);
      // Half the carts list the lines the other way round: reservations still lock in key order.
      const lines = i % 2 === 0 ? [scarce, plenty] : [plenty, scarce];
      for (const p of lines) await platform.carts.addItem(actor, { productId: p.id, quantity: 1 });
      buyers.push(actor.id!);
    }
    await db.pool.query("CREATE TABLE storm_ready (pid int)");

    const results = await spawnWorkers(fileURLToPath(new URL("./fixtures/checkout-storm-worker.ts", import.meta.url)), WORKERS, {
      args: (i) => [db.url, String(WORKERS), JSON.stringify(buyers.slice(i * BUYERS_PER_WORKER, (i + 1) * BUYERS_PER_WORKER))],
      timeoutMs: 30_000,
    });
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const outs = results.map(
      (r) => JSON.parse(r.stdout.trim().split("\n").pop()!) as { won: { id: string; status: string }[]; lost: string[]; charges: number },
    );
    const won = outs.flatMap((o) => o.won);
    const lost = outs.flatMap((o) => o.lost);
    expect(won).toHaveLength(5);
    expect(won.every((o) => o.status === "paid")).toBe(true);
    expect(lost).toHaveLength(WORKERS * BUYERS_PER_WORKER - 5);
    expect(new Set(lost)).toEqual(new Set(["insufficient_stock"]));
    expect(outs.reduce((n, o) => n + o.charges, 0)).toBe(5);
    // More than one process won (the storm really raced across processes) is likely but not required.

    expect(await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: scarce.id })).toMatchObject({ onHand: 0, reserved: 0, sold: 5 });
    expect(await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: plenty.id })).toMatchObject({
      onHand: 995,
      reserved: 0,
      sold: 5,
    });
    const q = async (text: string) => (await db.pool.query<{ n: number }>(text)).rows[0]!.n;
    expect(await q("SELECT count(*)::int AS n FROM commerce_reservations WHERE status = 'active'")).toBe(0);
    expect(await q("SELECT count(*)::int AS n FROM commerce_reservations WHERE status = 'committed'")).toBe(5);
    expect(await q("SELECT count(*)::int AS n FROM orders")).toBe(5);
    expect(await q("SELECT count(*)::int AS n FROM orders WHERE status = 'paid' AND payment_status = 'succeeded'")).toBe(5);
    expect(await q("SELECT count(*)::int AS n FROM order_items")).toBe(10);
    // Stock rows still balance: on_hand + sold = received + adjusted (also a CHECK).
    expect(
      await q("SELECT count(*)::int AS n FROM commerce_stock_levels WHERE on_hand + sold <> received + adjusted OR reserved <> 0"),
    ).toBe(0);
  });

  it(`${WORKERS} processes retry one checkout with one idempotency key: one order, one gateway key, stock taken once`, async () => {
    const { platform } = makePlatform({ store: storeOn(db) });
    const p = await product(platform, "RETRY-PROC", "7.00", 10);
    const { actor } = await signUp(platform, "Retrier");
    await platform.carts.addItem(actor, { productId: p.id, quantity: 3 });
    await db.pool.query("CREATE TABLE retry_ready (pid int)");
    const results = await spawnWorkers(fileURLToPath(new URL("./fixtures/checkout-retry-worker.ts", import.meta.url)), WORKERS, {
      args: () => [db.url, String(WORKERS), actor.id!, "one-key-for-all-processes"],
      timeoutMs: 30_000,
    });
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const outs = results.map(
      (r) => JSON.parse(r.stdout.trim().split("\n").pop()!) as { orders: string[]; errors: string[]; charges: string[] },
    );
    expect(outs.flatMap((o) => o.errors)).toEqual([]);
    const orders = new Set(outs.flatMap((o) => o.orders));
    expect(orders.size).toBe(1);
    expect([...orders][0]).toMatch(/:paid$/);
    // Processes that found the order still pending resume its payment with the same gateway key.
    expect(new Set(outs.flatMap((o) => o.charges)).size).toBe(1);
    expect(await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: p.id })).toMatchObject({ onHand: 7, reserved: 0, sold: 3 });
    expect((await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM orders WHERE user_id = $1", [actor.id])).rows[0]!.n).toBe(1);
  });

  it(`a double click across ${WORKERS} processes: 8 checkouts of one cart with distinct keys make one order and one charge`, async () => {
    const { platform } = makePlatform({ store: storeOn(db) });
    const p = await product(platform, "CLICK-PROC", "9.00", 20);
    const { actor } = await signUp(platform, "Clicker");
    await platform.carts.addItem(actor, { productId: p.id, quantity: 2 });
    await db.pool.query("CREATE TABLE click_ready (pid int)");
    const results = await spawnWorkers(fileURLToPath(new URL("./fixtures/double-click-worker.ts", import.meta.url)), WORKERS, {
      args: (i) => [db.url, String(WORKERS), actor.id!, String(i * 2), "2"],
      timeoutMs: 30_000,
    });
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const outs = results.map(
      (r) => JSON.parse(r.stdout.trim().split("\n").pop()!) as { orders: string[]; errors: string[]; charges: string[] },
    );
    const orders = outs.flatMap((o) => o.orders);
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatch(/:paid$/);
    expect(outs.flatMap((o) => o.errors).every((c) => c === "checkout_in_progress" || c === "empty_cart")).toBe(true);
    expect(outs.flatMap((o) => o.charges)).toHaveLength(1);
    expect((await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM orders WHERE user_id = $1", [actor.id])).rows[0]!.n).toBe(1);
    expect(await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: p.id })).toMatchObject({ onHand: 18, reserved: 0, sold: 2 });
  });
});
