// The product read of every cart change and checkout is planned once per connection (a generic plan),
// not at every call: with an array parameter the server re-planned it each time (0.5 ms per read).
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import type { IsolatedDatabase } from "@platform/core/testing";
import { ANONYMOUS_ACTOR } from "@platform/core";
import { ADMIN_ACTOR, createECommercePlatform, testPaymentPort } from "../src/index.js";
import { PostgresCommerceStore } from "../src/adapters/postgres/index.js";
import { migratedDatabase } from "./postgres-helpers.js";

let db: IsolatedDatabase;
beforeAll(async () => {
  db = await migratedDatabase(inject("databaseUrl"), 1); // one connection: its prepared statements are the ones used
});
afterAll(() => db.drop());

test("a cart's product read runs on a generic plan after the server's five custom ones", async () => {
  const platform = createECommercePlatform({
    store: new PostgresCommerceStore(db.pool),
    payments: testPaymentPort(),
    passwordHashing: { N: 1024 },
  });
  const a = await platform.products.create(ADMIN_ACTOR, {
    sku: "PC-A",
    name: "A",
    price: { amount: "1.00", currency: "USD" },
    initialStock: 50,
  });
  const b = await platform.products.create(ADMIN_ACTOR, {
    sku: "PC-B",
    name: "B",
    price: { amount: "2.00", currency: "USD" },
    initialStock: 50,
  });
  const c = await platform.users.register(ANONYMOUS_ACTOR, { email: "plan@example.com", password: "s3cure-passw0rd", name: "P" });
  const actor = { id: c.id, roles: ["customer" as const] };
  for (let i = 0; i < 10; i++) {
    await platform.carts.addItems(actor, {
      items: [
        { productId: a.id, quantity: 1 },
        { productId: b.id, quantity: 1 },
      ],
    });
    await platform.carts.clear(actor, {});
  }
  const { rows } = await db.pool.query<{ generic_plans: string; custom_plans: string }>(
    `SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE '%FROM products p WHERE p.id%'
     ORDER BY generic_plans + custom_plans DESC LIMIT 1`,
  );
  // The read of each of the 10 changes (and of each clear's pricing): planned 5 times, then reused.
  expect(rows).toHaveLength(1);
  expect(Number(rows[0]!.custom_plans)).toBeLessThanOrEqual(5);
  expect(Number(rows[0]!.generic_plans)).toBeGreaterThanOrEqual(5);
});
