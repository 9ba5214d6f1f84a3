/**
 * The specification's "Payment System Demo", on the real flow: the StripeGateway registered as "stripe"
 * (against the local Stripe-compatible server unless told otherwise), a $99.99 card payment, the fraud
 * verdict, then a rule that blocks a large payment and a refund.
 * With DATABASE_URL set it runs on PostgreSQL (migrating first) instead of the in-memory store.
 * With `--stripe` (or PAYMENTS_DEMO_STRIPE=1) and a test key in STRIPE_SECRET_KEY it runs against
 * Stripe's test mode instead.
 *
 * Run: node node_modules/tsx/dist/cli.mjs --conditions=@platform/source examples/payments-demo.ts
 *      DATABASE_URL=postgres://... node node_modules/tsx/dist/cli.mjs --conditions=@platform/source examples/payments-demo.ts
 *      node node_modules/tsx/dist/cli.mjs --conditions=@platform/source examples/payments-demo.ts --stripe
 */
import { randomBytes } from "node:crypto";
import type { Actor } from "@platform/core";
import { createPaymentSystem, MemoryPaymentStore, type PaymentGateway, type PaymentsRole } from "@platform/payments";
import { createPostgresPaymentStore } from "@platform/payments/postgres";
import { StripeGateway } from "@platform/payments/stripe";
import { startStripeMockServer } from "@platform/payments/stripe-mock";

// On PostgreSQL the demo may run again on the same database: its idempotency key is per run, since
// the local Stripe server's charges live in this process only.
const databaseUrl = process.env.DATABASE_URL;
const store = databaseUrl ? await createPostgresPaymentStore({ connectionString: databaseUrl, migrate: true }) : new MemoryPaymentStore();
const runKey = databaseUrl ? `-${randomBytes(4).toString("hex")}` : "";
// Always the real StripeGateway: against Stripe's test mode with --stripe and a test STRIPE_SECRET_KEY,
// else against the local Stripe-compatible server (no network, no account).
const useStripe = process.argv.includes("--stripe") || process.env.PAYMENTS_DEMO_STRIPE === "1";
const realKey = useStripe ? process.env.STRIPE_SECRET_KEY : undefined;
if (realKey && new StripeGateway(realKey).mode === "live") throw new Error("the demo takes test keys only (sk_test_...)");
const localStripe = realKey ? undefined : await startStripeMockServer();
const gateway: PaymentGateway = localStripe
  ? new StripeGateway({ secretKey: "sk_test_localdemo0000", host: localStripe.host, port: localStripe.port, protocol: "http" })
  : new StripeGateway(realKey);
const system = createPaymentSystem({ store, gateways: { stripe: gateway } });
// Every call names who makes it. A host builds the actor from its own authentication (an API key's
// roles); this back-office demo holds `admin`, which implies `payments:read` and `payments:write`.
const actor: Actor<PaymentsRole> = { id: "demo-operator", roles: ["admin"] };

// Process payment (the specification: order_123, 99.99, USD, card, stripe)
const payment = await system.payments.create(actor, {
  orderId: "order_123",
  amount: { amount: "99.99", currency: "USD" },
  paymentMethod: "pm_card_visa",
  gateway: "stripe",
  idempotencyKey: `order_123-payment${runKey}`,
  customer: { id: "cus_john", email: "john@example.com", country: "US" },
});
if (payment.status === "failed") {
  console.log(`Payment failed: ${payment.failure?.code}`);
  if ("close" in store) await store.close();
  await localStripe?.close();
  process.exit(1);
}

const verdict = (p: typeof payment) => (p.fraud.outcome === "allow" ? "✅ Payment approved" : "⚠️  Fraud detected!");

console.log("Payment System Demo:");
console.log("===================");
console.log(`Payment ID: ${payment.id}`);
console.log(`Amount: ${payment.amount.format("en-US")} ${payment.amount.currency}`);
console.log(`Status: ${payment.status}`);
console.log(`Gateway: ${payment.gateway}`);
console.log(`Transaction ID: ${payment.gatewayTransactionId}`);
console.log(verdict(payment));

// A fraud rule that really reads its condition (the specification's rules ignored theirs).
const rule = await system.fraud.addRule(actor, { rule: "block if amount > 10000 USD", name: "High amount" });
const big = await system.payments.create(actor, {
  orderId: "order_124",
  amount: { amount: "12500.00", currency: "USD" },
  paymentMethod: "pm_card_visa",
  customer: { id: "cus_john" },
});
console.log("");
console.log(`Rule: ${rule.source}`);
console.log(`Payment ID: ${big.id}`);
console.log(`Amount: ${big.amount.format("en-US")} ${big.amount.currency}`);
console.log(`Status: ${big.status} (${big.failure?.code}, risk score ${big.fraud.score})`);
console.log(verdict(big));

// A partial refund through the gateway that captured the payment.
const refund = await system.refunds.create(actor, {
  paymentId: payment.id,
  amount: { amount: "20.00", currency: "USD" },
  reason: "requested_by_customer",
});
const after = await system.payments.get(actor, { paymentId: payment.id });
console.log("");
console.log(`Refund ID: ${refund.id}`);
console.log(`Refund: ${refund.amount.format("en-US")} ${refund.amount.currency} ${refund.status} via ${refund.gateway}`);
console.log(
  `Refunded: ${after.amountRefunded.format("en-US")} of ${after.amountCaptured.format("en-US")} (${after.amountCaptured.subtract(after.amountRefunded).format("en-US")} kept)`,
);

const ledger = await system.transactions.listByPayment(actor, { paymentId: payment.id });
console.log(`Ledger: ${ledger.items.map((t) => `${t.type} ${t.amount.toFixed()}`).join(", ")}`);

if ("close" in store) await store.close();
await localStripe?.close();
