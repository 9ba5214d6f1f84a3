import { describe, expect, it, beforeAll, afterAll } from "vitest";
import { GatewayError } from "@platform/core";
import { TestPaymentPort, type PaymentPort } from "../src/index.js";
import { commerceStores, makeOn, product, signUp, type TestPlatform, ANONYMOUS_ACTOR } from "./helpers.js";

const LOST = "tok_lost_before_charge";
const UNDECIDED = "tok_gateway_undecided";

/**
 * The test port (named explicitly) plus two ways to lose an answer: `tok_lost_before_charge` fails
 * before anything is charged (the gateway then has no record), `tok_gateway_undecided` times out and
 * the gateway cannot tell yet (retrieve answers pending until `decide`).
 */
describe.each(commerceStores())("payment sweeper on $name", (store) => {
  beforeAll(() => store.setup());
  afterAll(() => store.teardown());

  function scriptedPort() {
    const inner = new TestPaymentPort();
    const undecided = new Set<string>();
    const port: PaymentPort = {
      charge: async (r) => {
        if (r.paymentToken === LOST) throw new Error("connection reset before the request was sent");
        if (r.paymentToken === UNDECIDED) {
          undecided.add(r.idempotencyKey);
          throw new GatewayError("gateway_timeout", "no answer", { provider: "test", retryable: true });
        }
        return inner.charge(r);
      },
      retrieve: async (l) => (undecided.has(l.idempotencyKey) ? { status: "pending", reference: null } : inner.retrieve(l)),
      refund: (r) => inner.refund(r),
    };
    return { port, inner, decide: (key: string) => undecided.delete(key) };
  }

  async function pendingCheckout(platform: TestPlatform, sku: string, token: string) {
    const p = await product(platform, sku, "20.00", 5);
    const { actor } = await signUp(platform);
    await platform.carts.addItem(actor, { productId: p.id, quantity: 1 });
    await platform.orders.checkout(actor, { idempotencyKey: `sweep-${sku}`, paymentToken: token }).catch(() => undefined);
    const [order] = (await platform.orders.list(actor)).items;
    expect(order).toMatchObject({ status: "pending", payment: { status: "pending" } });
    return { p, actor, order: order! };
  }

  describe("orders.sweepPendingPayments", () => {
    it("pays charged orders, cancels uncharged ones, leaves undecided ones; only after the grace period", async () => {
      const { port, inner, decide } = scriptedPort();
      const { platform, clock } = makeOn(store, { payments: port });
      const charged = await pendingCheckout(platform, "SWEEP-A", "tok_timeout_after_charge");
      const lost = await pendingCheckout(platform, "SWEEP-B", LOST);
      const open = await pendingCheckout(platform, "SWEEP-C", UNDECIDED);
      // Younger than the grace period: possibly still charging, not touched.
      expect(await platform.orders.sweepPendingPayments()).toMatchObject({ examined: 0 });
      clock.advance(61_000);
      expect(await platform.orders.sweepPendingPayments({ limit: 10 })).toEqual({
        examined: 3,
        paid: 1,
        canceled: 1,
        refunded: 0,
        unknown: 1,
        skipped: 0,
        errors: 0,
        released: 0,
      });
      expect(await platform.orders.get(charged.actor, { orderId: charged.order.id })).toMatchObject({
        status: "paid",
        payment: { status: "succeeded" },
      });
      expect(await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: charged.p.id })).toMatchObject({
        onHand: 4,
        reserved: 0,
        sold: 1,
      });
      expect((await platform.carts.get(charged.actor)).lines).toEqual([]);
      expect(await platform.orders.get(lost.actor, { orderId: lost.order.id })).toMatchObject({
        status: "canceled",
        payment: { status: "failed", failureCode: "payment_not_found" },
      });
      expect(await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: lost.p.id })).toMatchObject({ onHand: 5, reserved: 0 });
      expect(await platform.orders.get(open.actor, { orderId: open.order.id })).toMatchObject({
        status: "pending",
        payment: { status: "pending" },
      });
      expect(await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: open.p.id })).toMatchObject({ reserved: 1 });
      // The undecided order stays claimed for a while; once the gateway decides, a later run settles it.
      expect(await platform.orders.sweepPendingPayments()).toMatchObject({ examined: 0 });
      decide(`order_${open.order.id}`);
      clock.advance(121_000);
      expect(await platform.orders.sweepPendingPayments()).toMatchObject({ examined: 1, canceled: 1 });
      expect(await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: open.p.id })).toMatchObject({ onHand: 5, reserved: 0 });
      expect(inner.charges).toHaveLength(1);
    });

    it("several sweepers at once settle each order once: one charge, no double booking", async () => {
      const { port, inner } = scriptedPort();
      const first = makeOn(store, { payments: port });
      const orders = [];
      for (let i = 0; i < 6; i++) orders.push(await pendingCheckout(first.platform, `SWEEP-M${i}`, "tok_timeout_after_charge"));
      first.clock.advance(61_000);
      const sweepers = [0, 1, 2].map(() => {
        const s = makeOn(store, { payments: port, store: first.platform.store });
        s.clock.set(first.clock.now());
        return s.platform;
      });
      const summaries = await Promise.all(sweepers.map((s) => s.orders.sweepPendingPayments({ limit: 4 })));
      const more = await sweepers[0]!.orders.sweepPendingPayments();
      const all = [...summaries, more];
      expect(all.reduce((n, s) => n + s.examined, 0)).toBe(6);
      expect(all.reduce((n, s) => n + s.paid, 0)).toBe(6);
      expect(inner.charges).toHaveLength(6);
      for (const { actor, order, p } of orders) {
        expect(await first.platform.orders.get(actor, { orderId: order.id })).toMatchObject({ status: "paid" });
        expect(await first.platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: p.id })).toMatchObject({
          onHand: 4,
          reserved: 0,
          sold: 1,
        });
      }
    });

    it("refuses a bad limit", async () => {
      const { platform } = makeOn(store, { payments: new TestPaymentPort() });
      await expect(platform.orders.sweepPendingPayments({ limit: 0 })).rejects.toMatchObject({ code: "validation_failed" });
    });
  });
});
