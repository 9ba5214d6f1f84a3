import { PlatformError } from "@platform/core";
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { verifyStripeWebhook } from "../src/adapters/stripe/index.js";

const secret = "whsec_test_endpoint_secret_0001";
const now = new Date("2026-03-01T12:00:00.000Z");
const t = Math.floor(now.getTime() / 1000);
const payload = JSON.stringify({
  id: "evt_1",
  object: "event",
  type: "payment_intent.succeeded",
  created: t,
  livemode: false,
  data: { object: { id: "pi_1", object: "payment_intent", metadata: { platform_payment_id: "pay_1" } } },
});
// Signed with the stripe SDK's own test-header helper, as Stripe signs deliveries.
const sign = (body: string, at = t, key = secret) =>
  Stripe.webhooks.generateTestHeaderString({ payload: body, secret: key, timestamp: at });
const codeOf = async (p: Promise<unknown>) =>
  p.then(
    () => "none",
    (e: unknown) => (PlatformError.is(e) ? `${e.kind}:${e.code}` : String(e)),
  );

describe("verifyStripeWebhook", () => {
  it("accepts a delivery signed with the endpoint secret and tells whether payments follow its type", async () => {
    const { event, relevant } = await verifyStripeWebhook(payload, sign(payload), { secret, now });
    expect(event).toMatchObject({ id: "evt_1", type: "payment_intent.succeeded" });
    expect(relevant).toBe(true);
    const other = payload.replace("payment_intent.succeeded", "customer.created");
    expect((await verifyStripeWebhook(Buffer.from(other), sign(other), { secret, now })).relevant).toBe(false);
  });

  it("refuses a forged, re-serialised, stale or future-dated signature, each with its code", async () => {
    expect(await codeOf(verifyStripeWebhook(payload, sign(payload, t, "whsec_someone_else_0001"), { secret, now }))).toBe(
      "unauthenticated:stripe_signature_invalid",
    );
    const reserialised = JSON.stringify(JSON.parse(payload), null, 2);
    expect(await codeOf(verifyStripeWebhook(reserialised, sign(payload), { secret, now }))).toBe(
      "unauthenticated:stripe_signature_invalid",
    );
    expect(await codeOf(verifyStripeWebhook(payload, "t=1,v1=deadbeef", { secret, now }))).toBe("unauthenticated:stripe_signature_invalid");
    expect(await codeOf(verifyStripeWebhook(payload, sign(payload, t - 301), { secret, now }))).toBe(
      "unauthenticated:stripe_signature_stale",
    );
    expect(await codeOf(verifyStripeWebhook(payload, sign(payload, t + 301), { secret, now }))).toBe(
      "unauthenticated:stripe_signature_stale",
    );
    expect(await codeOf(verifyStripeWebhook(payload, sign(payload, t - 299), { secret, now }))).toBe("none");
    expect(await codeOf(verifyStripeWebhook(payload, undefined, { secret, now }))).toBe("unauthenticated:stripe_signature_missing");
  });

  it("refuses a missing or malformed endpoint secret as a configuration error", async () => {
    expect(await codeOf(verifyStripeWebhook(payload, sign(payload), { secret: undefined, now }))).toBe(
      "configuration:stripe_webhook_secret_missing",
    );
    expect(await codeOf(verifyStripeWebhook(payload, sign(payload), { secret: "sk_test_notawebhooksecret", now }))).toBe(
      "configuration:stripe_webhook_secret_malformed",
    );
  });
});
