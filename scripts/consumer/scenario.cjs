// One scenario, run with the packages loaded as ESM (memory.mjs) and as CommonJS (memory.cjs).
const assert = require("node:assert/strict");

module.exports = async function scenario({ core, commerce, commercePayments, payments, social }, label) {
  const { Money, PlatformError } = core;
  // Class names survive the build (keepNames): users see them in err.name and toJSON().
  assert.equal(Money.name, "Money");
  try {
    Money.of("1.001", "USD");
    assert.fail("Money.of accepted 1.001 USD");
  } catch (e) {
    assert.ok(PlatformError.is(e, "amount_precision"));
    assert.equal(e.name, "ValidationError");
    assert.equal(e.toJSON().code, "amount_precision");
  }
  assert.deepEqual(
    Money.of("100", "USD")
      .allocate([1, 1, 1])
      .map((m) => m.toFixed()),
    ["33.34", "33.33", "33.33"],
  );

  const system = payments.createPaymentSystem({ gateways: { test: new payments.TestGateway() } });
  const shop = commerce.createECommercePlatform({ payments: commercePayments.paymentPortFor(system) });
  const laptop = await shop.products.create(commerce.ADMIN_ACTOR, {
    sku: "LAPTOP001",
    name: "Laptop",
    price: { amount: "999.99", currency: "USD" },
    initialStock: 10,
  });
  await shop.users.register(core.ANONYMOUS_ACTOR, { email: "john@example.com", password: "correct-horse-42", name: "John Doe" });
  const { token } = await shop.users.login(core.ANONYMOUS_ACTOR, { email: "john@example.com", password: "correct-horse-42" });
  const john = await shop.users.authenticate(core.ANONYMOUS_ACTOR, { token });
  await shop.carts.addItem(john, { productId: laptop.id, quantity: 2 });
  const order = await shop.orders.checkout(john, { idempotencyKey: "consumer-1", paymentToken: "pm_card_visa" });
  assert.equal(order.status, "paid");
  assert.equal(order.total.toFixed(), "1999.98");

  const net = social.createSocialMediaPlatform();
  const a = await net.users.create(core.ANONYMOUS_ACTOR, { username: "john_doe", email: "john@example.com", name: "John Doe" });
  const b = await net.users.create(core.ANONYMOUS_ACTOR, { username: "jane_smith", email: "jane@example.com", name: "Jane Smith" });
  await net.follows.follow({ id: b.id, roles: [] }, { userId: a.id });
  await net.posts.create({ id: a.id, roles: [] }, { content: "Hello #world" });
  const page = await net.feeds.home({ id: b.id, roles: [] }, { limit: 20 });
  assert.equal(page.items.length, 1);
  console.log(`consumer: ${label} program on the memory store passed`);
};
