import { describe, expect, it } from "vitest";
import { toPaymentJSON } from "../src/index.js";
import { makeSystem, usd } from "./helpers.js";
import { ADMIN } from "./helpers.js";

describe("wire DTO of a payment on memory", () => {
  it("answers exactly its public fields: no payment method token, card fingerprint, customer e-mail or IP, pending bookkeeping or version", async () => {
    const { system } = makeSystem();
    const payment = await system.payments.create(ADMIN, {
      amount: usd("20.00"),
      paymentMethod: "pm_card_visa",
      idempotencyKey: "wire-json-payment-1",
      customer: { id: "cus_1", email: "pay@example.com", ip: "203.0.113.9" },
    });
    const json = toPaymentJSON(payment);
    expect(Object.keys(json).sort()).toEqual(
      [
        "amount",
        "amountAuthorized",
        "amountCaptured",
        "amountRefunded",
        "captureMethod",
        "createdAt",
        "customerId",
        "failure",
        "fraud",
        "gateway",
        "gatewayTransactionId",
        "id",
        "metadata",
        "orderId",
        "paymentMethodType",
        "refundStatus",
        "review",
        "status",
        "updatedAt",
      ].sort(),
    );
    const text = JSON.stringify(json);
    for (const secret of ["pm_card_visa", "pay@example.com", "203.0.113.9", payment.paymentMethodDetails.fingerprint ?? "fp"])
      expect(text).not.toContain(secret);
    expect(json).toMatchObject({ customerId: "cus_1", status: "succeeded", amount: usd("20.00") });
  });
});
