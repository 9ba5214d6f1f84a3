import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { coreMigrations, migrate } from "@platform/core/postgres";
import { createIsolatedDatabase, type IsolatedDatabase } from "@platform/core/testing";
import { createPaymentSystem, TestGateway } from "@platform/payments";
import { paymentsMigrations, PostgresPaymentStore } from "@platform/payments/postgres";
import { paymentPortFor } from "../src/adapters/payments/index.js";
import { commerceMigrations, PostgresCommerceStore } from "../src/adapters/postgres/index.js";
import { makePlatform, product, signUp, ANONYMOUS_ACTOR } from "./helpers.js";
import { PAYMENTS_ADMIN_ACTOR } from "@platform/payments/testing";

let db: IsolatedDatabase;
beforeAll(async () => {
  db = await createIsolatedDatabase(inject("databaseUrl"), { prefix: "commerce_shared" });
  await migrate(db.pool, [coreMigrations, await commerceMigrations(), await paymentsMigrations()]);
});
afterAll(() => db?.drop());

describe("commerce and payments in one PostgreSQL database", () => {
  it("checks out through @platform/payments on the same database: the seed's payments row points at the order, cancel refunds", async () => {
    const system = createPaymentSystem({ store: new PostgresPaymentStore(db.pool), gateways: { test: new TestGateway() } });
    const { platform } = makePlatform({ store: new PostgresCommerceStore(db.pool), payments: paymentPortFor(system) });
    const p = await product(platform, "SHARED-1", "40.00", 5);
    const { actor } = await signUp(platform);
    await platform.carts.addItem(actor, { productId: p.id, quantity: 2 });
    const order = await platform.orders.checkout(actor, { idempotencyKey: "shared-db-1", paymentToken: "pm_card_visa" });
    expect(order.status).toBe("paid");
    // The seed's join: payments.order_id -> orders.id, through idx_payments_order_id.
    const joined = await db.pool.query<{ status: string; total: string }>(
      "SELECT p.status, o.total::text AS total FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.id = $1",
      [order.id],
    );
    expect(joined.rows).toEqual([{ status: "succeeded", total: "80.00" }]);
    const canceled = await platform.orders.cancel(actor, { orderId: order.id });
    expect(canceled.payment.status).toBe("refunded");
    expect((await system.payments.get(PAYMENTS_ADMIN_ACTOR, { paymentId: order.payment.reference! })).amountRefunded.toFixed()).toBe(
      "80.00",
    );
    expect(await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: p.id })).toMatchObject({ onHand: 5, reserved: 0, sold: 0 });
    // Both packages' events went through the one platform_outbox.
    const types = (await db.pool.query<{ type: string }>("SELECT DISTINCT type FROM platform_outbox")).rows.map((r) => r.type);
    expect(types).toEqual(expect.arrayContaining(["order.paid", "order.canceled"]));
    expect(types.some((t) => t.startsWith("payment."))).toBe(true);
  });
});
