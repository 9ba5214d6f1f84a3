import { createId, Money } from "@platform/core";
import type { Payment } from "../domain/payment.js";
import { T0 } from "./contract-clock.js";

/** A minimal valid payment for store tests. */
export function samplePayment(over: Partial<Payment> = {}): Payment {
  const amount = Money.of("10.00", "USD");
  const zero = Money.zero("USD");
  return {
    id: createId("pay"),
    amount,
    amountAuthorized: zero,
    amountCaptured: zero,
    amountRefunded: zero,
    amountRefundPending: zero,
    refundStatus: "none",
    status: "processing",
    captureMethod: "automatic",
    paymentMethod: "pm_card_visa",
    paymentMethodDetails: { type: "card", fingerprint: "fp1" },
    gateway: "test",
    fraud: { outcome: "allow", score: 5, matchedRules: [], reason: "default" },
    customer: { id: "cus_1", email: "a@example.com", ip: "203.0.113.1" },
    metadata: {},
    createdAt: T0,
    updatedAt: T0,
    version: 1,
    ...over,
  };
}
