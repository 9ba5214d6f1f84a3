/**
 * A shop that takes card payments through Stripe: commerce checkout -> @platform/payments ->
 * StripeGateway (PaymentIntents). A paid order, a declined card (the order is not placed, stock is
 * free again), a customer cancellation refunded through Stripe, and a card that asks for 3-D Secure:
 * the order waits with the client secret for the front end; locally the customer's step is simulated
 * and Stripe's signed webhook pays the order (with a real test key the waiting order is canceled,
 * since only a browser can complete the step).
 *
 * Without STRIPE_SECRET_KEY it runs against the local Stripe-compatible server of
 * `@platform/payments/testing`; with a test key (sk_test_...) against Stripe's test mode. Live keys
 * are refused: this example must never move real money.
 *
 * Run: node node_modules/tsx/dist/cli.mjs --conditions=@platform/source examples/stripe-checkout.ts
 *      STRIPE_SECRET_KEY=sk_test_... node node_modules/tsx/dist/cli.mjs --conditions=@platform/source examples/stripe-checkout.ts
 */
import { randomBytes } from "node:crypto";
import { ANONYMOUS_ACTOR, PlatformError, type Actor } from "@platform/core";
import { ADMIN_ACTOR, createECommercePlatform, FlatRateShippingCalculator, PercentageTaxCalculator } from "@platform/commerce";
import { followPaymentEvents, paymentPortFor } from "@platform/commerce/payments";
import { createPaymentSystem } from "@platform/payments";
import { handleStripeWebhook, StripeGateway } from "@platform/payments/stripe";
import { startStripeMockServer, stripeWebhookDelivery } from "@platform/payments/stripe-mock";

const secretKey = process.env.STRIPE_SECRET_KEY || undefined;
const local = secretKey ? undefined : await startStripeMockServer();
const stripe = local
  ? new StripeGateway({ secretKey: "sk_test_localcheckout", host: local.host, port: local.port, protocol: "http" })
  : new StripeGateway({ secretKey });
if (stripe.mode === "live") throw new Error("this example takes Stripe test keys only (sk_test_...)");

const payments = createPaymentSystem({ gateways: { stripe } });
// The back office's actor for reading payments (commerce's adapter holds its own: payments:read + payments:write).
const actor: Actor = { id: "back-office", roles: ["payments:read"] };
const shop = createECommercePlatform({
  payments: paymentPortFor(payments),
  shipping: new FlatRateShippingCalculator({ amount: "0" }),
  tax: new PercentageTaxCalculator({ defaultRate: "0" }),
});

const run = randomBytes(3).toString("hex");
const lamp = await shop.products.create(ADMIN_ACTOR, {
  sku: `LAMP-${run}`,
  name: "Desk lamp",
  price: { amount: "49.90", currency: "USD" },
  initialStock: 5,
});
await shop.users.register(ANONYMOUS_ACTOR, { email: `ada+${run}@example.com`, password: "correct-horse-42", name: "Ada" });
const ada = await shop.users.authenticate(ANONYMOUS_ACTOR, {
  token: (await shop.users.login(ANONYMOUS_ACTOR, { email: `ada+${run}@example.com`, password: "correct-horse-42" })).token,
});
await shop.users.addAddress(ada, { name: "Ada", line1: "1 Main St", city: "Boston", region: "MA", postalCode: "02110", country: "US" });

console.log(`Stripe Checkout Demo (${local ? "local Stripe-compatible server" : "Stripe test mode"}):`);
console.log("=============================================");

// 1. A card that pays. The checkout's idempotency key makes a retried checkout charge once.
await shop.carts.addItem(ada, { productId: lamp.id, quantity: 2 });
const order = await shop.orders.checkout(ada, { idempotencyKey: `checkout-${run}-1`, paymentToken: "pm_card_visa" });
const payment = await payments.payments.get(actor, { paymentId: order.payment.reference! });
console.log(`Order ${order.id}: ${order.status}, total $${order.total.toFixed()}`);
console.log(`Payment ${payment.id}: ${payment.status} via ${payment.gateway}, PaymentIntent ${payment.gatewayTransactionId}`);
console.log(`Card: ${payment.paymentMethodDetails.brand} •••• ${payment.paymentMethodDetails.last4}`);

// 2. A card that is declined: no order, the stock it held is free again.
await shop.carts.addItem(ada, { productId: lamp.id, quantity: 1 });
try {
  await shop.orders.checkout(ada, { idempotencyKey: `checkout-${run}-2`, paymentToken: "pm_card_chargeDeclinedInsufficientFunds" });
} catch (e) {
  if (!PlatformError.is(e)) throw e;
  console.log(`Declined: ${e.code} (${String(e.details.declineCode)})`);
}
console.log(`Lamps available: ${(await shop.inventory.getStock(ANONYMOUS_ACTOR, { productId: lamp.id })).available} of 5`);

// 3. The customer cancels the paid order: the payment is refunded through Stripe.
const canceled = await shop.orders.cancel(ada, { orderId: order.id, reason: "changed my mind" });
const refunded = await payments.payments.get(actor, { paymentId: payment.id });
console.log(`Order ${canceled.id}: ${canceled.status}, payment ${canceled.payment.status}`);
console.log(`Refunded: $${refunded.amountRefunded.toFixed()} of $${refunded.amountCaptured.toFixed()}`);

// 4. A card that asks for 3-D Secure: the order waits (stock held) with the client secret for the
// front end (Stripe.js handleNextAction). Payment events keep the order in step with its payment.
// The follower's confirmations run in the background; the demo keeps the last one to wait for it.
let following: Promise<unknown> = Promise.resolve();
const stopFollowing = followPaymentEvents(payments, {
  confirmPayment: (actor, input) => (following = shop.orders.confirmPayment(actor, input)),
});
await shop.carts.addItem(ada, { productId: lamp.id, quantity: 1 });
const waiting = await shop.orders.checkout(ada, { idempotencyKey: `checkout-${run}-3`, paymentToken: "pm_card_threeDSecure2Required" });
console.log(
  `Order ${waiting.id}: ${waiting.status}, payment ${waiting.payment.status}, client secret ${waiting.payment.action?.clientSecret ? "handed to the front end" : "missing"}`,
);
if (local) {
  // The shop has taken in the payment's action_required event before the customer acts (otherwise its
  // confirmation may ask Stripe after the customer authenticated, and the webhook finds nothing to do).
  await following;
  // What the customer's browser and Stripe do: authenticate, then deliver a signed webhook.
  const webhookSecret = "whsec_local_checkout_demo";
  const intentId = (await payments.payments.get(actor, { paymentId: waiting.payment.reference! })).gatewayTransactionId!;
  local.completeAction(intentId, "succeed");
  const delivery = await stripeWebhookDelivery({
    type: "payment_intent.succeeded",
    object: local.api.intentJson(local.api.intents.get(intentId)!),
    secret: webhookSecret,
    at: new Date(),
  });
  const result = await handleStripeWebhook(payments, delivery.payload, delivery.header, { secret: webhookSecret });
  console.log(`Webhook payment_intent.succeeded: ${result.outcome}`);
  const paid = await shop.orders.confirmPayment(ADMIN_ACTOR, { orderId: waiting.id });
  console.log(`Order ${paid.id} after 3-D Secure: ${paid.status}`);
} else {
  const given = await shop.orders.cancel(ada, { orderId: waiting.id, reason: "demo: no browser to authenticate" });
  console.log(`Order ${given.id} given up: ${given.status}, payment ${given.payment.status}`);
}
stopFollowing();

await local?.close();
