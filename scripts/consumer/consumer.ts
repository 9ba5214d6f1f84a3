// Type-checked with strict under moduleResolution node16 (ESM) and bundler; never run.
import { ANONYMOUS_ACTOR, Money, PlatformError, type Actor, type Clock } from "@platform/core";
import { createPool, migrate } from "@platform/core/postgres";
import { ADMIN_ACTOR, createECommercePlatform, type ECommercePlatform, type Order } from "@platform/commerce";
import { createPostgresCommerceStore, migrateCommerce } from "@platform/commerce/postgres";
import { paymentPortFor } from "@platform/commerce/payments";
import { createPaymentSystem, TestGateway, type Payment, type PaymentSystem } from "@platform/payments";
import { createPostgresPaymentStore } from "@platform/payments/postgres";
import { createSocialMediaPlatform, type SocialMediaPlatform } from "@platform/social";

export async function shop(clock: Clock): Promise<Order> {
  const system: PaymentSystem = createPaymentSystem({ clock, gateways: { test: new TestGateway() } });
  const platform: ECommercePlatform = createECommercePlatform({ clock, payments: paymentPortFor(system) });
  const product = await platform.products.create(ADMIN_ACTOR, {
    sku: "SKU1",
    name: "Thing",
    price: { amount: "1.00", currency: "USD" },
    initialStock: 1,
  });
  const actor = await platform.users.authenticate(ANONYMOUS_ACTOR, { token: "token" });
  await platform.carts.addItem(actor, { productId: product.id, quantity: 1 });
  const order = await platform.orders.checkout(actor, { idempotencyKey: "k", paymentToken: "pm_card_visa" });
  const total: Money = order.total;
  total.add(Money.of("1", "USD"));
  return order;
}

export async function pay(system: PaymentSystem): Promise<Payment> {
  const client: Actor = { id: "billing", roles: ["payments:write"] };
  try {
    return await system.payments.create(client, { amount: { amount: "9.99", currency: "USD" }, paymentMethod: "pm_card_visa" });
  } catch (e) {
    if (PlatformError.is(e, "card_declined")) throw new Error(e.code);
    throw e;
  }
}

export async function onPostgres(url: string): Promise<void> {
  const store = await createPostgresCommerceStore({ connectionString: url });
  await migrateCommerce(store.pool);
  const payments = await createPostgresPaymentStore({ connectionString: url, migrate: true });
  void payments;
  void createPool;
  void migrate;
}

export function social(): SocialMediaPlatform {
  return createSocialMediaPlatform();
}
