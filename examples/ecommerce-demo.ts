/**
 * The seed's e-commerce scenario through the real flow: two products, John Doe registers
 * and logs in, puts 1 laptop and 2 mice in his cart, checks out and pays.
 *
 * Shipping and tax are configured to zero here so the total is the seed's $1059.97
 * (999.99 + 2 x 29.99); the defaults are pluggable calculators (flat rate, % by region).
 *
 * Run: node node_modules/tsx/dist/cli.mjs --conditions=@platform/source examples/ecommerce-demo.ts
 */
// A host app writes `from "@platform/commerce"`; the workspace root does not list the
// package as a dependency yet, so the example imports its source entry directly.
import { createECommercePlatform, FlatRateShippingCalculator, PercentageTaxCalculator } from "../packages/commerce/src/index.js";

const platform = createECommercePlatform({
  shipping: new FlatRateShippingCalculator({ amount: "0" }),
  tax: new PercentageTaxCalculator({ defaultRate: "0" }),
});

const electronics = await platform.categories.create({ name: "Electronics" });
const laptop = await platform.products.create({
  sku: "LAPTOP001",
  name: "Laptop",
  description: "High-performance laptop",
  price: { amount: "999.99", currency: "USD" },
  categoryId: electronics.id,
  images: [{ url: "https://cdn.example.com/laptop1.jpg", alt: "Laptop, front" }, { url: "https://cdn.example.com/laptop2.jpg", alt: "Laptop, side" }],
  attributes: { brand: "Dell", model: "XPS 13" },
  initialStock: 10,
});
const mouse = await platform.products.create({
  sku: "MOUSE001",
  name: "Mouse",
  description: "Wireless mouse",
  price: { amount: "29.99", currency: "USD" },
  categoryId: electronics.id,
  images: [{ url: "https://cdn.example.com/mouse1.jpg", alt: "Mouse" }],
  attributes: { brand: "Logitech", model: "MX Master 3" },
  initialStock: 50,
});

await platform.users.register({ email: "test@example.com", password: "correct-horse-42", name: "John Doe", phone: "555-1234" });
const session = await platform.users.login({ email: "test@example.com", password: "correct-horse-42" });
const john = await platform.users.authenticate(session.token);
await platform.users.addAddress(john, { name: "John Doe", line1: "123 Main St", city: "New York", region: "NY", postalCode: "10001", country: "US" });

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
