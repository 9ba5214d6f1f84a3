import { Money } from "@platform/core";
import { expect, it } from "vitest";
import type { PaymentStore } from "../ports/payment-store.js";
import { T0 } from "./contract-clock.js";
import { samplePayment } from "./sample-payment.js";

/** The refund and fraud-rule part of the PaymentStore contract (run by `describePaymentStoreContract`). */
export function refundStoreContract(makeStore: () => PaymentStore | Promise<PaymentStore>): void {
  it("stores refunds, fraud rules in position order and case-insensitive list members", async () => {
    const store = await makeStore();
    await store.transaction(async (tx) => {
      await tx.payments.insert(samplePayment({ id: "pay_1" }));
      await tx.refunds.insert({
        id: "re_1",
        paymentId: "pay_1",
        amount: Money.of("1", "USD"),
        reason: "other",
        status: "pending",
        gateway: "test",
        metadata: {},
        createdAt: T0,
        updatedAt: T0,
      });
      await tx.fraudRules.insert({ id: "frr_b", name: "b", action: "block", conditions: [], enabled: true, position: 2, createdAt: T0 });
      await tx.fraudRules.insert({ id: "frr_a", name: "a", action: "review", conditions: [], enabled: true, position: 1, createdAt: T0 });
      await tx.fraudLists.add("block", "email:Bad@Example.com", T0);
    });
    expect((await store.transaction((tx) => tx.refunds.listByStatus("pending", 10))).map((r) => r.id)).toEqual(["re_1"]);
    expect((await store.transaction((tx) => tx.refunds.listByPayment("pay_1", { limit: 10 }))).items.map((r) => r.id)).toEqual(["re_1"]);
    expect((await store.transaction((tx) => tx.fraudRules.list())).map((r) => r.id)).toEqual(["frr_a", "frr_b"]);
    expect(await store.transaction((tx) => tx.fraudRules.nextPosition())).toBe(3);
    expect(await store.transaction((tx) => tx.fraudLists.findMembers("block", ["email:bad@example.com", "ip:1.2.3.4"]))).toEqual([
      "email:bad@example.com",
    ]);
  });

  it("finds a payment by its gateway's reference and a refund by the gateway's refund id (the import of provider-made refunds)", async () => {
    const store = await makeStore();
    const refund = (id: string, gatewayRefundId?: string) => ({
      id,
      paymentId: "pay_ref1",
      amount: Money.of("1", "USD"),
      reason: "other" as const,
      status: "succeeded" as const,
      gateway: "stripe",
      ...(gatewayRefundId ? { gatewayRefundId } : {}),
      metadata: {},
      createdAt: T0,
      updatedAt: T0,
    });
    await store.transaction(async (tx) => {
      await tx.payments.insert(samplePayment({ id: "pay_ref1", gateway: "stripe", gatewayTransactionId: "pi_ref1" }));
      await tx.payments.insert(samplePayment({ id: "pay_ref2", gateway: "test", gatewayTransactionId: "pi_ref2" }));
      await tx.refunds.insert(refund("re_ref1", "re_stripe1"));
      await tx.refunds.insert(refund("re_ref2"));
    });
    await store.transaction(async (tx) => {
      expect((await tx.payments.findByGatewayReferenceForUpdate("stripe", "pi_ref1"))?.id).toBe("pay_ref1");
      expect(await tx.payments.findByGatewayReferenceForUpdate("stripe", "pi_ref2")).toBeNull();
      expect(await tx.payments.findByGatewayReferenceForUpdate("test", "pi_ref1")).toBeNull();
      expect((await tx.refunds.getByGatewayRefundId("stripe", "re_stripe1"))?.id).toBe("re_ref1");
      expect(await tx.refunds.getByGatewayRefundId("test", "re_stripe1")).toBeNull();
      expect(await tx.refunds.getByGatewayRefundId("stripe", "re_nothing")).toBeNull();
    });
  });

  it("pages refunds of a payment in insertion order and fraud rules by position", async () => {
    const store = await makeStore();
    await store.transaction(async (tx) => {
      await tx.payments.insert(samplePayment({ id: "pay_1" }));
      await tx.payments.insert(samplePayment({ id: "pay_2" }));
      for (const id of ["re_c", "re_a", "re_b"])
        await tx.refunds.insert({
          id,
          paymentId: "pay_1",
          amount: Money.of("1", "USD"),
          reason: "other",
          status: "pending",
          gateway: "test",
          metadata: {},
          createdAt: T0,
          updatedAt: T0,
        });
      await tx.refunds.insert({
        id: "re_other",
        paymentId: "pay_2",
        amount: Money.of("1", "USD"),
        reason: "other",
        status: "pending",
        gateway: "test",
        metadata: {},
        createdAt: T0,
        updatedAt: T0,
      });
      for (const [id, position] of [
        ["frr_3", 3],
        ["frr_1", 1],
        ["frr_2", 2],
      ] as const)
        await tx.fraudRules.insert({ id, name: id, action: "review", conditions: [], enabled: true, position, createdAt: T0 });
    });
    const first = await store.transaction((tx) => tx.refunds.listByPayment("pay_1", { limit: 2 }));
    expect(first.items.map((r) => r.id)).toEqual(["re_c", "re_a"]);
    const second = await store.transaction((tx) => tx.refunds.listByPayment("pay_1", { limit: 2, cursor: first.nextCursor }));
    expect(second).toEqual({ items: [expect.objectContaining({ id: "re_b" })], nextCursor: null });
    const rules = await store.transaction((tx) => tx.fraudRules.page({ limit: 2 }));
    expect(rules.items.map((r) => r.id)).toEqual(["frr_1", "frr_2"]);
    const rest = await store.transaction((tx) => tx.fraudRules.page({ limit: 2, cursor: rules.nextCursor }));
    expect(rest.items.map((r) => r.id)).toEqual(["frr_3"]);
    expect(rest.nextCursor).toBeNull();
  });
}
