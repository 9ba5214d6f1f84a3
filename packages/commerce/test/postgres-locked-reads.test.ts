/**
 * The PostgreSQL cart read locks and reads in one statement (issue 14): a read that waited for the
 * lock must still return the lines the lock holder wrote, not those of its own snapshot.
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import { inject } from "vitest";
import { Money } from "@platform/core";
import { waitForLockWaiter, type IsolatedDatabase } from "@platform/core/testing";
import { ADMIN_ACTOR, createECommercePlatform, testPaymentPort, type Cart } from "../src/index.js";
import { PostgresCommerceStore } from "../src/adapters/postgres/index.js";
import { migratedDatabase } from "./postgres-helpers.js";

let db: IsolatedDatabase;
let store: PostgresCommerceStore;
let productId: string;

// The one service call of this file.
const createProduct = (platform: ReturnType<typeof createECommercePlatform>) =>
  platform.products.create(ADMIN_ACTOR, {
    sku: "LOCKED-READ",
    name: "Locked read",
    price: { amount: "10.00", currency: "USD" },
    initialStock: 10,
  });

beforeAll(async () => {
  db = await migratedDatabase(inject("databaseUrl"));
  store = new PostgresCommerceStore(db.pool);
  productId = (await createProduct(createECommercePlatform({ store, payments: testPaymentPort() }))).id;
});
afterAll(() => db.drop());

const line = (quantity: number) => ({ productId, variantId: null, quantity, addedUnitPrice: Money.of("10.00", "USD") });

test("a cart read that waited for the lock sees the lines its holder committed", async () => {
  const at = new Date("2026-01-01T00:00:00Z");
  const cart: Cart = {
    id: "cart_locked_read",
    customerId: null,
    lines: [line(1)],
    createdAt: at,
    updatedAt: at,
    version: 1,
    checkoutOrderId: null,
  };
  await store.transaction((tx) => tx.carts.insert(cart));

  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let written!: () => void;
  const wrote = new Promise<void>((r) => (written = r));
  const holder = store.transaction(async (tx) => {
    const c = (await tx.carts.get(cart.id))!;
    await tx.carts.update({ ...c, lines: [line(2), line(3)], version: c.version + 1 }, c.version);
    written();
    await gate;
  });
  await wrote;
  const reader = store.transaction((tx) => tx.carts.get(cart.id));
  await waitForLockWaiter(db.pool); // the reader's statement started before the holder committed
  release();
  await holder;
  const seen = (await reader)!;
  expect(seen.version).toBe(2);
  expect(seen.lines.map((l) => l.quantity)).toEqual([2, 3]);
});
