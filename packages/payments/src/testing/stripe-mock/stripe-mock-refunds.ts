import type { Charge, Intent, Refund } from "./stripe-mock-objects.js";
import { positiveInt, record } from "./stripe-mock-params.js";
import { checkStep, stripeId, StripeWireError, unixNow, type FormObject } from "./stripe-wire.js";

/**
 * A refund of a succeeded PaymentIntent, with Stripe's rules: up to the amount received less what is
 * refunded or pending, in the currency's steps; the test card decides whether it succeeds, fails or
 * stays pending. Counts it against the intent (a pending refund too, as at Stripe).
 */
export function newRefund(pi: Intent, charges: ReadonlyMap<string, Charge>, form: FormObject): Refund {
  if (pi.status !== "succeeded")
    throw new StripeWireError(400, {
      type: "invalid_request_error",
      code: "charge_not_refundable",
      message: `This PaymentIntent is ${pi.status} and has nothing to refund.`,
    });
  const left = pi.amountReceived - pi.amountRefunded;
  const amount = form.amount === undefined ? left : positiveInt(form.amount, "amount");
  checkStep(pi.currency, amount, "amount");
  if (left === 0)
    throw new StripeWireError(400, {
      type: "invalid_request_error",
      code: "charge_already_refunded",
      message: "This charge has already been refunded.",
    });
  if (amount > left)
    throw new StripeWireError(400, {
      type: "invalid_request_error",
      code: "amount_too_large",
      param: "amount",
      message: `Refund amount (${amount}) is greater than unrefunded amount on charge (${left}).`,
    });
  const card = charges.get(pi.chargeId!)!.card;
  const fails = card.behaviour === "refund_fail";
  const status = fails ? "failed" : card.behaviour === "refund_pending" ? "pending" : "succeeded";
  const r: Refund = {
    id: stripeId("re"),
    intent: pi.id,
    charge: pi.chargeId!,
    amount,
    currency: pi.currency,
    status,
    failureReason: fails ? "expired_or_canceled_card" : null,
    metadata: record(form.metadata),
    created: unixNow(),
  };
  // A pending refund already counts against what is left to refund, as at Stripe.
  if (!fails) pi.amountRefunded += amount;
  return r;
}
