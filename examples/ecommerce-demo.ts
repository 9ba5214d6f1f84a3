/**
 * The specification's e-commerce scenario through the real flow: two products, John Doe registers
 * and logs in, puts 1 laptop and 2 mice in his cart, checks out and pays.
 *
 * Shipping and tax are configured to zero here so the total is the specification's $1059.97
 * (999.99 + 2 x 29.99); the defaults are pluggable calculators (flat rate, % by region).
 *
 * With DATABASE_URL set it runs on PostgreSQL (migrating first) instead of the in-memory store;
 * SKUs, the email and the category name then carry a per-run suffix so the demo can run again
 * on the same database.
 *
 * Run: node node_modules/tsx/dist/cli.mjs --conditions=@platform/source examples/ecommerce-demo.ts
 *      DATABASE_URL=postgres://... node node_modules/tsx/dist/cli.mjs --conditions=@platform/source examples/ecommerce-demo.ts
 */
import { randomBytes } from "node:crypto";
import { ANONYMOUS_ACTOR } from "@platform/core";
import {
  ADMIN_ACTOR,
  createECommercePlatform,
  FlatRateShippingCalculator,
  PercentageTaxCalculator,
  testPaymentPort,
  type CommerceStore,
} from "@platform/commerce";
import { createPostgresCommerceStore, migrateCommerce, type PostgresCommerceStore } from "@platform/commerce/postgres";

const databaseUrl = process.env.DATABASE_URL;
let postgres: PostgresCommerceStore | undefined;
let store: CommerceStore | undefined;
if (databaseUrl) {
  postgres = await createPostgresCommerceStore({ connectionString: databaseUrl });
  await migrateCommerce(postgres.pool);
  store = postgres;
}
const run = databaseUrl ? randomBytes(3).toString("hex") : "";
const unique = (value: string, sep = "-") => (run ? `${value}${sep}${run}` : value);

const platform = createECommercePlatform({
  ...(store ? { store } : {}),
  payments: testPaymentPort(), // the test port, chosen by name: it moves no real money
  shipping: new FlatRateShippingCalculator({ amount: "0" }),
  tax: new PercentageTaxCalculator({ defaultRate: "0" }),
});

const electronics = await platform.categories.create(ADMIN_ACTOR, { name: unique("Electronics", " ") });
const laptop = await platform.products.create(ADMIN_ACTOR, {
  sku: unique("LAPTOP001"),
  name: "Laptop",
  description: "High-performance laptop",
  price: { amount: "999.99", currency: "USD" },
  categoryId: electronics.id,
  images: [
    { url: "https://cdn.example.com/laptop1.jpg", alt: "Laptop, front" },
    { url: "https://cdn.example.com/laptop2.jpg", alt: "Laptop, side" },
  ],
  attributes: { brand: "Dell", model: "XPS 13" },
  initialStock: 10,
});
const mouse = await platform.products.create(ADMIN_ACTOR, {
  sku: unique("MOUSE001"),
  name: "Mouse",
  description: "Wireless mouse",
  price: { amount: "29.99", currency: "USD" },
  categoryId: electronics.id,
  images: [{ url: "https://cdn.example.com/mouse1.jpg", alt: "Mouse" }],
  attributes: { brand: "Logitech", model: "MX Master 3" },
  initialStock: 50,
});

const email = run ? `test+${run}@example.com` : "test@example.com";
await platform.users.register(ANONYMOUS_ACTOR, { email, password: "correct-horse-42", name: "John Doe", phone: "555-1234" });
const session = await platform.users.login(ANONYMOUS_ACTOR, { email, password: "correct-horse-42" });
const john = await platform.users.authenticate(ANONYMOUS_ACTOR, { token: session.token });
await platform.users.addAddress(john, {
  name: "John Doe",
  line1: "123 Main St",
  city: "New York",
  region: "NY",
  postalCode: "10001",
  country: "US",
});

await platform.carts.addItem(john, { productId: laptop.id, quantity: 1 });
await platform.carts.addItem(john, { productId: mouse.id, quantity: 2 });

const order = await platform.orders.checkout(john, { idempotencyKey: "demo-checkout-0001", paymentToken: "tok_visa" });
await platform.notifications.flush();

const usd = (m: { toFixed(): string }) => `$${m.toFixed()}`;
console.log("E-commerce Platform Demo:");
console.log("========================");
console.log(`Order Created: ${order.id}`);
console.log(`Total: ${usd(order.total)}`);
console.log(`Items: ${order.lines.length}`);
for (const line of order.lines) {
  console.log(`- Product ${line.productId}: ${line.quantity} x ${usd(line.unitPrice)} = ${usd(line.lineTotal)}`);
}
await postgres?.pool.end?.();
