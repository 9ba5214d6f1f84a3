import type { TestCard } from "./stripe-wire.js";

/** A JSON object of Stripe's wire format. */
export type Json = Record<string, unknown>;

/** A PaymentIntent as the local server keeps it. */
export interface Intent {
  id: string;
  amount: number;
  currency: string;
  status: string;
  captureMethod: string;
  paymentMethod: string | null;
  allowRedirects: string;
  metadata: Record<string, string>;
  amountCapturable: number;
  amountReceived: number;
  amountRefunded: number;
  chargeId: string | null;
  lastPaymentError: Json | null;
  nextAction: Json | null;
  cancellationReason: string | null;
  clientSecret: string;
  created: number;
}

/** A charge (one attempt on a card). */
export interface Charge {
  id: string;
  intent: string;
  amount: number;
  currency: string;
  status: "succeeded" | "failed";
  card: TestCard;
  paymentMethod: string;
  created: number;
}

/** A refund. */
export interface Refund {
  id: string;
  intent: string;
  charge: string;
  amount: number;
  currency: string;
  status: string;
  failureReason: string | null;
  metadata: Record<string, string>;
  created: number;
}

const now = () => Math.floor(Date.now() / 1000);

/** A PaymentIntent in Stripe's wire format (`latest_charge` expanded when given). */
export function intentJson(pi: Intent, expandedCharge?: Json): Json {
  return {
    id: pi.id,
    object: "payment_intent",
    amount: pi.amount,
    amount_capturable: pi.amountCapturable,
    amount_received: pi.amountReceived,
    automatic_payment_methods: { enabled: true, allow_redirects: pi.allowRedirects },
    canceled_at: pi.status === "canceled" ? now() : null,
    cancellation_reason: pi.cancellationReason,
    capture_method: pi.captureMethod,
    client_secret: pi.clientSecret,
    confirmation_method: "automatic",
    created: pi.created,
    currency: pi.currency,
    last_payment_error: pi.lastPaymentError,
    latest_charge: expandedCharge ?? pi.chargeId ?? null,
    livemode: false,
    metadata: pi.metadata,
    next_action: pi.nextAction,
    payment_method: pi.paymentMethod,
    payment_method_types: ["card"],
    status: pi.status,
  };
}

/** A charge in Stripe's wire format, with the card's details. */
export function chargeJson(c: Charge, pi: Intent): Json {
  const captured = c.status === "succeeded" && pi.amountReceived > 0;
  return {
    id: c.id,
    object: "charge",
    amount: c.amount,
    amount_captured: captured ? pi.amountReceived : 0,
    amount_refunded: pi.amountRefunded,
    captured,
    currency: c.currency,
    paid: c.status === "succeeded",
    refunded: captured && pi.amountRefunded === pi.amountReceived,
    status: c.status,
    payment_intent: c.intent,
    payment_method: c.paymentMethod,
    payment_method_details: {
      type: "card",
      card: {
        brand: c.card.brand,
        last4: c.card.last4,
        country: c.card.country,
        exp_month: 12,
        exp_year: 2034,
        funding: "credit",
        fingerprint: `fp${c.card.last4}${c.card.brand}`,
      },
    },
    created: c.created,
    livemode: false,
  };
}

/** A refund in Stripe's wire format. */
export function refundJson(r: Refund): Json {
  return {
    id: r.id,
    object: "refund",
    amount: r.amount,
    currency: r.currency,
    status: r.status,
    payment_intent: r.intent,
    charge: r.charge,
    failure_reason: r.failureReason,
    metadata: r.metadata,
    created: r.created,
  };
}
