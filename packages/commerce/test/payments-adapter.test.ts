import { describe, expect, it } from "vitest";
import { createPaymentSystem } from "@platform/payments";
import { paymentPortFor } from "../src/adapters/payments/index.js";
import { codeOf, makePlatform, product, signUp } from "./helpers.js";

describe("@platform/payments adapter", () => {
  async function wired() {
    const system = createPaymentSystem();
    const ctx = makePlatform({ payments: paymentPortFor(system) });
    const p = await product(ctx.platform, "PAY-1", "40.00", 5);
    const buyer = await signUp(ctx.platform);
    await ctx.platform.carts.addItem(buyer.actor, { productId: p.id, quantity: 2 });
    return { ...ctx, system, p, buyer };
  }

  it("checks out through the payment system, once per idempotency key, and refunds on cancel", async () => {
    const { platform, system, buyer } = await wired();
    const [a, b] = await Promise.all([
      platform.orders.checkout(buyer.actor, { idempotencyKey: "pay-adapter-1", paymentToken: "pm_card_visa" }),
      platform.orders.checkout(buyer.actor, { idempotencyKey: "pay-adapter-1", paymentToken: "pm_card_visa" }),
    ]);
    expect(a.id).toBe(b.id);
    const payment = await system.payments.get(a.payment.reference!);
    expect(payment).toMatchObject({ status: "succeeded", orderId: a.id });
    expect(payment.amountCaptured.toFixed()).toBe("80.00");
    const canceled = await platform.orders.cancel(buyer.actor, { orderId: a.id });
    expect(canceled.payment.status).toBe("refunded");
    expect((await system.payments.get(a.payment.reference!)).amountRefunded.toFixed()).toBe("80.00");
  });

  it("a decline from the payment system releases the stock with the decline code", async () => {
    const { platform, p, buyer } = await wired();
    expect(await codeOf(() => platform.orders.checkout(buyer.actor, { idempotencyKey: "pay-adapter-2", paymentToken: "pm_card_chargeDeclined" }))).toBe("card_declined");
    expect(await platform.inventory.getStock(p.id)).toMatchObject({ onHand: 5, reserved: 0 });
    expect(await codeOf(() => platform.orders.checkout(buyer.actor, { idempotencyKey: "pay-adapter-3" }))).toBe("payment_method_required");
    expect(await platform.inventory.getStock(p.id)).toMatchObject({ onHand: 5, reserved: 0 });
  });
});
