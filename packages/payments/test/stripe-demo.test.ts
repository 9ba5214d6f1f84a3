import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { expect, it } from "vitest";

const tsx = createRequire(import.meta.url).resolve("tsx/cli");
const root = new URL("../../..", import.meta.url).pathname;
const env = { ...process.env, STRIPE_SECRET_KEY: "", DATABASE_URL: "" };

it("examples/payments-demo.ts --stripe prints the specification's lines with a pi_ provider id from the local Stripe server", () => {
  const out = spawnSync(process.execPath, [tsx, "--conditions=@platform/source", "examples/payments-demo.ts", "--stripe"], {
    encoding: "utf8",
    env,
    cwd: root,
  });
  expect(out.stderr).not.toMatch(/Error/);
  expect(out.status).toBe(0);
  const lines = out.stdout.split("\n");
  expect(lines.slice(0, 2)).toEqual(["Payment System Demo:", "==================="]);
  expect(lines).toContain("Amount: $99.99 USD");
  expect(lines).toContain("Status: succeeded");
  expect(lines).toContain("Gateway: stripe");
  expect(lines.find((l) => l.startsWith("Transaction ID: "))).toMatch(/^Transaction ID: pi_[A-Za-z0-9]+$/);
  expect(lines).toContain("Refund: $20.00 USD succeeded via stripe");
});

it("examples/stripe-checkout.ts pays an order through StripeGateway, survives a decline, refunds a cancellation and pays after 3-D Secure", () => {
  const out = spawnSync(process.execPath, [tsx, "--conditions=@platform/source", "examples/stripe-checkout.ts"], {
    encoding: "utf8",
    env,
    cwd: root,
  });
  expect(out.stderr).not.toMatch(/Error/);
  expect(out.status).toBe(0);
  const lines = out.stdout.split("\n");
  expect(lines[0]).toBe("Stripe Checkout Demo (local Stripe-compatible server):");
  expect(lines.find((l) => l.startsWith("Order ") && l.includes(": paid"))).toMatch(/^Order ord_\S+: paid, total \$99\.80$/);
  expect(lines.find((l) => l.startsWith("Payment "))).toMatch(/^Payment pay_\S+: succeeded via stripe, PaymentIntent pi_[A-Za-z0-9]+$/);
  expect(lines).toContain("Card: visa •••• 4242");
  expect(lines).toContain("Declined: card_declined (insufficient_funds)");
  expect(lines).toContain("Lamps available: 3 of 5");
  expect(lines.find((l) => l.includes("canceled"))).toMatch(/: canceled, payment refunded$/);
  expect(lines).toContain("Refunded: $99.80 of $99.80");
  expect(lines.find((l) => l.includes("payment requires_action"))).toMatch(
    /^Order ord_\S+: pending, payment requires_action, client secret handed to the front end$/,
  );
  expect(lines).toContain("Webhook payment_intent.succeeded: applied");
  expect(lines.find((l) => l.includes("after 3-D Secure"))).toMatch(/after 3-D Secure: paid$/);
});
