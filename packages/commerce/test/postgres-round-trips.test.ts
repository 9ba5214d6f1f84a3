// What a cart fill and a checkout send to PostgreSQL, counted on the pool: the service-level cuts
// (one product read per addItem, stock levels from the reservation, one read of the default
// addresses, no re-read of the reservation or of the paid order) must not come back unnoticed.
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import { ANONYMOUS_ACTOR } from "@platform/core";
import { countingPool, type CountingPool, type IsolatedDatabase } from "@platform/core/testing";
import { ADMIN_ACTOR, createECommercePlatform, MemoryNotificationOutbox, testPaymentPort } from "../src/index.js";
import { PostgresCommerceStore } from "../src/adapters/postgres/index.js";
import { migratedDatabase } from "./postgres-helpers.js";

let db: IsolatedDatabase;
let pool: CountingPool;

beforeAll(async () => {
  db = await migratedDatabase(inject("databaseUrl"));
  pool = countingPool(db.pool);
});
afterAll(() => db.drop());

test("a three-line fill and checkout read each thing once, with the same outcome", async () => {
  const outbox = new MemoryNotificationOutbox();
  const platform = createECommercePlatform({
    store: new PostgresCommerceStore(pool),
    payments: testPaymentPort(),
    passwordHashing: { N: 1024 },
    lowStockThreshold: 3,
    notifications: { email: outbox, sms: null, sleep: async () => {} },
  });
  const items: Awaited<ReturnType<typeof platform.products.create>>[] = [];
  for (const [i, s] of ["A", "B", "C"].entries())
    items.push(
      await platform.products.create(ADMIN_ACTOR, {
        sku: `RT-${s}`,
        name: `Round trip ${s}`,
        price: { amount: `${10 + i}.00`, currency: "USD" },
        initialStock: 4,
      }),
    );
  await platform.users.register(ANONYMOUS_ACTOR, { email: "rt@example.com", password: "s3cure-passw0rd", name: "Rita" });
  const { token } = await platform.users.login(ANONYMOUS_ACTOR, { email: "rt@example.com", password: "s3cure-passw0rd" });
  const actor = await platform.users.authenticate(ANONYMOUS_ACTOR, { token });
  await platform.users.addAddress(actor, { name: "Rita", line1: "1 Main", city: "NYC", region: "NY", postalCode: "10001", country: "US" });
  const low: string[] = [];
  platform.events.on("inventory.low_stock_reached", (e) => low.push(e.data.productId));

  // The whole fill in one call (the cart exists: a customer's first cart costs its creation once).
  await platform.carts.clear(actor, {});
  const fill = await pool.measure(() =>
    platform.carts.addItems(actor, {
      items: [
        { productId: items[0]!.id, quantity: 1 },
        { productId: items[1]!.id, quantity: 2 },
        { productId: items[2]!.id, quantity: 1 },
      ],
    }),
  );
  // One line more on a cart holding others: their products are read in a second round trip.
  await platform.carts.removeItem(actor, { productId: items[2]!.id });
  const third = await pool.measure(() => platform.carts.addItem(actor, { productId: items[2]!.id, quantity: 1 }));
  let order: Awaited<ReturnType<typeof platform.orders.checkout>> | undefined;
  const checkout = await pool.measure(async () => {
    order = await platform.orders.checkout(actor, { idempotencyKey: "round-trips-1" });
  });

  // Before the cuts: 9 statements in 7 round trips for the third line, 27 in 23 for the checkout;
  // then 7 in 5 per line (a fill of 3 lines: 21 in 15), 22 in 17 for the checkout.
  expect(fill).toMatchObject({ statements: 7, roundTrips: 2, transactions: 1 });
  expect(third).toMatchObject({ statements: 8, roundTrips: 3, transactions: 1 });
  // The charge runs between the two transactions, outside both.
  expect(checkout).toMatchObject({ statements: 22, roundTrips: 6, transactions: 2 });

  // The outcome is the one of the reads it replaced: of 4 units each, reserving 1 leaves 3 (not below
  // the threshold of 3) and 2 leaves 2 (below: one event); the default address is used for shipping and
  // billing, the stock committed, the confirmation queued.
  expect(order).toMatchObject({ status: "paid", shippingAddress: { city: "NYC" }, billingAddress: { city: "NYC" } });
  expect(low).toEqual([items[1]!.id]);
  const levels = await platform.inventory.getStock(ADMIN_ACTOR, { productId: items[1]!.id });
  expect(levels).toMatchObject({ onHand: 2, reserved: 0, sold: 2 });
  await platform.notifications.flush();
  expect(outbox.emails.map((m) => [m.template, m.to])).toEqual([["order_confirmation", "rt@example.com"]]);
  expect(outbox.emails[0]!.text).toContain(order!.id);
});
