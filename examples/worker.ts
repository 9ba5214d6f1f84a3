/**
 * The worker process of a deployment: every background duty of commerce and payments (webhook
 * dispatch, reconciliations, authorisation expiry, reservation expiry, the payment sweeper,
 * notifications, retention purges) on its own timer, until SIGTERM or SIGINT stops it within
 * its deadline. Run as many copies as you like on one database: they share the work.
 *
 * Without DATABASE_URL it shows why one is needed, on the memory stores: an app server that only
 * records notifications (`sendInProcess: false`) takes an order, and the worker sends the confirmation.
 *
 * Run:  DATABASE_URL=postgres://... node node_modules/tsx/dist/cli.mjs --conditions=@platform/source examples/worker.ts
 *       ... examples/worker.ts --once        (one round of every duty, then exit: cron style, and the demo)
 * Env:  WORKER_STOP_DEADLINE_MS (default 25000), SMTP_HOST and the other SMTP_* (else messages are printed),
 *       STRIPE_SECRET_KEY (else the test gateway: a demo, not a deployment).
 */
import { ANONYMOUS_ACTOR, createWorker, type Logger } from "@platform/core";
import { createPaymentSystem, TestGateway, type PaymentGateway, type PaymentStore } from "@platform/payments";
import { StripeGateway } from "@platform/payments/stripe";
import { createPostgresPaymentStore, migratePayments } from "@platform/payments/postgres";
import { ADMIN_ACTOR, createECommercePlatform, MemoryNotificationOutbox, type CommerceStore, type EmailSender } from "@platform/commerce";
import { paymentPortFor } from "@platform/commerce/payments";
import { createPostgresCommerceStore, migrateCommerce } from "@platform/commerce/postgres";
import { SmtpEmailSender, smtpOptionsFromEnv } from "@platform/commerce/smtp";

const once = process.argv.includes("--once");
const databaseUrl = process.env.DATABASE_URL;

// pino-compatible: pass `pino()` instead. Duty failures arrive as error lines with the duty name and code,
// gateway, webhook and notification failures as the packages' own lines (docs/observability.md).
const line = (level: string) => (obj: Record<string, unknown>, msg: string) =>
  console.log(JSON.stringify({ level, time: new Date().toISOString(), msg, ...obj }));
const logger: Logger = { debug: () => undefined, info: line("info"), warn: line("warn"), error: line("error") };

const pools: { end?: () => Promise<void> }[] = [];
let commerceStore: CommerceStore | undefined;
let paymentStore: PaymentStore | undefined;
if (databaseUrl) {
  const c = await createPostgresCommerceStore({ connectionString: databaseUrl });
  await migrateCommerce(c.pool);
  const p = await createPostgresPaymentStore({ connectionString: databaseUrl });
  await migratePayments(p.pool);
  pools.push(c.pool, p.pool);
  commerceStore = c;
  paymentStore = p;
}

const outbox = new MemoryNotificationOutbox({ preview: true });
const email: EmailSender = process.env.SMTP_HOST ? new SmtpEmailSender(smtpOptionsFromEnv()) : outbox;
// The gateways are the app servers' (reconciliation asks them, under the same names): Stripe when
// STRIPE_SECRET_KEY is set; the test gateway only for the demo.
const gateways: Record<string, PaymentGateway> = process.env.STRIPE_SECRET_KEY
  ? { stripe: new StripeGateway({ secretKey: process.env.STRIPE_SECRET_KEY }) }
  : { test: new TestGateway() };
const payments = createPaymentSystem({ ...(paymentStore ? { store: paymentStore } : {}), gateways, logger });
const commerce = createECommercePlatform({
  ...(commerceStore ? { store: commerceStore } : {}),
  payments: paymentPortFor(payments),
  notifications: { email, sms: null },
  logger,
});
const worker = createWorker({ commerce, payments, logger, closeOnStop: pools });

if (!databaseUrl) {
  // An app server on the same store that records notifications and leaves sending to the worker.
  const app = createECommercePlatform({
    store: commerce.store,
    payments: paymentPortFor(payments),
    notifications: { email, sms: null, sendInProcess: false },
  });
  const mouse = await app.products.create(ADMIN_ACTOR, {
    sku: "MOUSE001",
    name: "Mouse",
    price: { amount: "29.99", currency: "USD" },
    initialStock: 5,
  });
  await app.users.register(ANONYMOUS_ACTOR, { email: "john@example.com", password: "correct-horse-42", name: "John Doe" });
  const john = await app.users.authenticate(ANONYMOUS_ACTOR, {
    token: (await app.users.login(ANONYMOUS_ACTOR, { email: "john@example.com", password: "correct-horse-42" })).token,
  });
  await app.carts.addItem(john, { productId: mouse.id, quantity: 1 });
  await app.orders.checkout(john, { idempotencyKey: "worker-demo-1", paymentToken: "pm_card_visa" });
  console.log(`Before the worker: ${outbox.emails.length} email(s) sent`);
  await worker.runOnce();
  console.log(`After one worker round: ${outbox.emails.length} email(s) sent (${outbox.emails.map((m) => m.template).join(", ")})`);
} else if (once) {
  await worker.runOnce();
  for (const d of worker.health().duties) console.log(`${d.name}: ${d.lastOutcome}, ${d.lastProcessed} handled`);
  await worker.stop();
} else {
  worker.start();
  worker.stopOnSignals({ deadlineMs: Number(process.env.WORKER_STOP_DEADLINE_MS ?? 25_000) });
}
