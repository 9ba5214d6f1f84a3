// Migrates a PostgreSQL database and runs a paid checkout on it, with the installed tarballs.
import assert from "node:assert/strict";
import { ANONYMOUS_ACTOR } from "@platform/core";
import { ADMIN_ACTOR, createECommercePlatform } from "@platform/commerce";
import { paymentPortFor } from "@platform/commerce/payments";
import { createPostgresCommerceStore, migrateCommerce } from "@platform/commerce/postgres";
import { startPostgresServer } from "@platform/core/testing";
import { createPaymentSystem, TestGateway } from "@platform/payments";
import { createPostgresPaymentStore } from "@platform/payments/postgres";

const server = process.env.DATABASE_URL ? null : await startPostgresServer();
const url = process.env.DATABASE_URL ?? server.url;
try {
  const store = await createPostgresCommerceStore({ connectionString: url });
  await migrateCommerce(store.pool);
  const paymentStore = await createPostgresPaymentStore({ connectionString: url, migrate: true });
  try {
    const system = createPaymentSystem({ store: paymentStore, gateways: { test: new TestGateway() } });
    const shop = createECommercePlatform({ store, payments: paymentPortFor(system) });
    const sku = `CONSUMER-${Date.now()}`;
    const item = await shop.products.create(ADMIN_ACTOR, {
      sku,
      name: "Consumer check",
      price: { amount: "19.90", currency: "EUR" },
      initialStock: 3,
    });
    const email = `${sku.toLowerCase()}@example.com`;
    await shop.users.register(ANONYMOUS_ACTOR, { email, password: "correct-horse-42", name: "Consumer" });
    const { token } = await shop.users.login(ANONYMOUS_ACTOR, { email, password: "correct-horse-42" });
    const actor = await shop.users.authenticate(ANONYMOUS_ACTOR, { token });
    await shop.carts.addItem(actor, { productId: item.id, quantity: 2 });
    const order = await shop.orders.checkout(actor, { idempotencyKey: sku, paymentToken: "pm_card_visa" });
    assert.equal(order.status, "paid");
    assert.equal(order.total.toFixed(), "39.80");
    const again = await shop.orders.checkout(actor, { idempotencyKey: sku, paymentToken: "pm_card_visa" });
    assert.equal(again.id, order.id);
    const stock = await shop.inventory.getStock(ANONYMOUS_ACTOR, { productId: item.id });
    assert.equal(stock.available, 1);
    console.log("consumer: PostgreSQL program (migrate + checkout) passed");
  } finally {
    await store.pool.end();
    await paymentStore.pool.end();
  }
} finally {
  await server?.stop();
}
