/**
 * The seed's "Payment System Demo", on the real flow: a mock gateway registered as "stripe",
 * a $99.99 card payment, the fraud verdict, then a rule that blocks a large payment and a refund.
 * With DATABASE_URL set it runs on PostgreSQL (migrating first) instead of the in-memory store.
 * With `--stripe` (or PAYMENTS_DEMO_STRIPE=1) it runs on the real StripeGateway: against Stripe's test
 * mode when STRIPE_SECRET_KEY holds a test key, else against the local Stripe-compatible server.
 *
 * Run: node node_modules/tsx/dist/cli.mjs --conditions=@platform/source examples/payments-demo.ts
 *      DATABASE_URL=postgres://... node node_modules/tsx/dist/cli.mjs --conditions=@platform/source examples/payments-demo.ts
 *      node node_modules/tsx/dist/cli.mjs --conditions=@platform/source examples/payments-demo.ts --stripe
 */
import { randomBytes } from "node:crypto";
import { GatewayError, Money } from "@platform/core";
import {
  createPaymentSystem,
  MemoryPaymentStore,
  type GatewayAuthorization,
  type GatewayAuthorizeRequest,
  type GatewayPaymentState,
  type PaymentGateway,
  type PaymentMethodDetails,
} from "@platform/payments";
import { createPostgresPaymentStore } from "@platform/payments/postgres";
import { StripeGateway } from "@platform/payments/stripe";
import { startStripeMockServer } from "@platform/payments/testing";

/** The seed's mock Stripe gateway, now honouring amounts, captures, refunds and idempotency. */
class MockStripeGateway implements PaymentGateway {
  private readonly charges = new Map<string, { paymentId: string; authorized: Money; captured: Money; refunded: Money; status: "authorized" | "captured" | "voided" }>();
  private readonly byKey = new Map<string, GatewayAuthorization>();

  async describePaymentMethod(pm: string): Promise<PaymentMethodDetails | undefined> {
    return pm.startsWith("pm_card_") ? { type: "card", brand: "visa", last4: "4242", country: "US", fingerprint: "fp_demo_4242" } : undefined;
  }

  async authorize(req: GatewayAuthorizeRequest): Promise<GatewayAuthorization> {
    const known = this.byKey.get(req.idempotencyKey);
    if (known) return known;
    if (req.paymentMethod === "pm_card_chargeDeclined") throw new GatewayError("card_declined", "Your card was declined.", { provider: "stripe", retryable: false, declineCode: "generic_decline" });
    const reference = `stripe_${randomBytes(9).toString("hex")}`;
    const zero = Money.zero(req.amount.currency);
    this.charges.set(reference, { paymentId: req.paymentId, authorized: req.amount, captured: req.capture ? req.amount : zero, refunded: zero, status: req.capture ? "captured" : "authorized" });
    const result: GatewayAuthorization = { reference, status: req.capture ? "captured" : "authorized", amountAuthorized: req.amount, amountCaptured: req.capture ? req.amount : zero };
    this.byKey.set(req.idempotencyKey, result);
    return result;
  }

  async capture(req: { reference: string; amount: Money }) {
    const c = this.charges.get(req.reference)!;
    c.captured = req.amount;
    c.status = "captured";
    return { reference: req.reference, amountCaptured: req.amount };
  }

  async void(req: { reference: string }) {
    this.charges.get(req.reference)!.status = "voided";
  }

  async refund(req: { reference: string; amount: Money }) {
    const c = this.charges.get(req.reference)!;
    c.refunded = c.refunded.add(req.amount);
    return { reference: `re_${randomBytes(9).toString("hex")}`, status: "succeeded" as const };
  }

  async retrieve(req: { reference?: string | undefined; paymentId: string }): Promise<GatewayPaymentState> {
    const c = req.reference ? this.charges.get(req.reference) : undefined;
    return c ? { status: c.status, reference: req.reference, amountAuthorized: c.authorized, amountCaptured: c.captured } : { status: "not_found" };
  }
}

// On PostgreSQL the demo may run again on the same database: its idempotency key is per run, since
// the mock gateway's charges live in this process only.
const databaseUrl = process.env.DATABASE_URL;
const store = databaseUrl ? await createPostgresPaymentStore({ connectionString: databaseUrl, migrate: true }) : new MemoryPaymentStore();
const runKey = databaseUrl ? `-${randomBytes(4).toString("hex")}` : "";
const useStripe = process.argv.includes("--stripe") || process.env.PAYMENTS_DEMO_STRIPE === "1";
const realKey = process.env.STRIPE_SECRET_KEY;
if (useStripe && realKey && new StripeGateway(realKey).mode === "live") throw new Error("the demo takes test keys only (sk_test_...)");
const localStripe = useStripe && !realKey ? await startStripeMockServer() : undefined;
const gateway: PaymentGateway = !useStripe
  ? new MockStripeGateway()
  : localStripe
    ? new StripeGateway({ secretKey: "sk_test_localdemo0000", host: localStripe.host, port: localStripe.port, protocol: "http" })
    : new StripeGateway(realKey);
const system = createPaymentSystem({ store, gateways: { stripe: gateway } });

// Process payment (the seed: order_123, 99.99, USD, card, stripe)
const payment = await system.payments.create({
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

// A fraud rule that really reads its condition (the seed's rules ignored theirs).
const rule = await system.fraud.addRule("block if amount > 10000 USD", { name: "High amount" });
const big = await system.payments.create({ orderId: "order_124", amount: { amount: "12500.00", currency: "USD" }, paymentMethod: "pm_card_visa", customer: { id: "cus_john" } });
console.log("");
console.log(`Rule: ${rule.source}`);
console.log(`Payment ID: ${big.id}`);
console.log(`Amount: ${big.amount.format("en-US")} ${big.amount.currency}`);
console.log(`Status: ${big.status} (${big.failure?.code}, risk score ${big.fraud.score})`);
console.log(verdict(big));

// A partial refund through the gateway that captured the payment.
const refund = await system.refunds.create({ paymentId: payment.id, amount: { amount: "20.00", currency: "USD" }, reason: "requested_by_customer" });
const after = await system.payments.get(payment.id);
console.log("");
console.log(`Refund ID: ${refund.id}`);
console.log(`Refund: ${refund.amount.format("en-US")} ${refund.amount.currency} ${refund.status} via ${refund.gateway}`);
console.log(`Refunded: ${after.amountRefunded.format("en-US")} of ${after.amountCaptured.format("en-US")} (${after.amountCaptured.subtract(after.amountRefunded).format("en-US")} kept)`);

const ledger = await system.transactions.listByPayment(payment.id);
console.log(`Ledger: ${ledger.items.map((t) => `${t.type} ${t.amount.toFixed()}`).join(", ")}`);

if ("close" in store) await store.close();
await localStripe?.close();
