import { describe, expect, it, beforeAll, afterAll } from "vitest";
import { ADMIN_ACTOR, FlatRateShippingCalculator, PercentageTaxCalculator, TIMEOUT_AFTER_CHARGE_TOKEN } from "../src/index.js";
import { codeOf, commerceStores, makeOn, product, signUp, ANONYMOUS_ACTOR } from "./helpers.js";

describe.each(commerceStores())("orders on $name", (store) => {
  beforeAll(() => store.setup());
  afterAll(() => store.teardown());

  async function paidOrder(key = "order-key-0001") {
    const ctx = makeOn(store);
    const p = await product(ctx.platform, "ORD-1", "10.00", 10);
    const q = await product(ctx.platform, "ORD-2", "5.00", 10);
    const buyer = await signUp(ctx.platform);
    await ctx.platform.users.addAddress(buyer.actor, {
      name: "Jane",
      line1: "1 Main",
      city: "NYC",
      region: "NY",
      postalCode: "10001",
      country: "US",
    });
    await ctx.platform.carts.addItem(buyer.actor, { productId: p.id, quantity: 2 });
    await ctx.platform.carts.addItem(buyer.actor, { productId: q.id, quantity: 1 });
    const order = await ctx.platform.orders.checkout(buyer.actor, { idempotencyKey: key });
    return { ...ctx, p, q, buyer, order };
  }

  describe("orders", () => {
    it("payment tokens named like Object.prototype members are ordinary tokens: charged once, never a function as decline code", async () => {
      const { platform, payments } = makeOn(store);
      const p = await product(platform, "TOK-1", "3.00", 10);
      const { actor } = await signUp(platform);
      for (const [i, paymentToken] of ["constructor", "__proto__", "toString", "hasOwnProperty"].entries()) {
        await platform.carts.addItem(actor, { productId: p.id, quantity: 1 });
        const order = await platform.orders.checkout(actor, { idempotencyKey: `proto-token-${i}`, paymentToken });
        expect(order.status).toBe("paid");
      }
      expect(payments.charges).toHaveLength(4);
      await platform.carts.addItem(actor, { productId: p.id, quantity: 1 });
      expect(
        await codeOf(() => platform.orders.checkout(actor, { idempotencyKey: "proto-token-declined", paymentToken: "tok_declined" })),
      ).toBe("card_declined");
    });

    it("snapshots prices and addresses and clears the cart", async () => {
      const { platform, p, buyer, order } = await paidOrder();
      expect(order).toMatchObject({
        status: "paid",
        payment: { status: "succeeded" },
        shippingAddress: { city: "NYC", country: "US" },
        billingAddress: { city: "NYC" },
      });
      expect(order.total.toFixed()).toBe("25.00");
      await platform.products.update(ADMIN_ACTOR, { productId: p.id, expectedVersion: 1, price: { amount: "99.00", currency: "USD" } });
      expect((await platform.orders.get(buyer.actor, { orderId: order.id })).lines[0]!.unitPrice.toFixed()).toBe("10.00");
      expect((await platform.carts.get(buyer.actor)).lines).toEqual([]);
    });

    it("only the owner or an admin reads an order", async () => {
      const { platform, buyer, order } = await paidOrder();
      const other = await signUp(platform);
      expect(await codeOf(() => platform.orders.get(other.actor, { orderId: order.id }))).toBe("order_not_found");
      expect(await codeOf(() => platform.orders.cancel(other.actor, { orderId: order.id }))).toBe("order_not_found");
      expect(await codeOf(() => platform.orders.list(other.actor, { customerId: buyer.actor.id! }))).toBe("forbidden");
      expect((await platform.orders.get(ADMIN_ACTOR, { orderId: order.id })).id).toBe(order.id);
      expect((await platform.orders.list(ADMIN_ACTOR, { customerId: buyer.actor.id! })).items).toHaveLength(1);
    });

    it("cancel before shipping puts stock back and refunds", async () => {
      const { platform, payments, p, buyer, order } = await paidOrder();
      expect(await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: p.id })).toMatchObject({ onHand: 8, sold: 2 });
      const canceled: string[] = [];
      platform.events.on("order.canceled", (e) => canceled.push(e.data.orderId));
      const c = await platform.orders.cancel(buyer.actor, { orderId: order.id, reason: "changed my mind" });
      expect(c).toMatchObject({ status: "canceled", cancelReason: "changed my mind", payment: { status: "refunded" } });
      expect(canceled).toEqual([order.id]);
      expect(await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: p.id })).toMatchObject({ onHand: 10, sold: 0, reserved: 0 });
      expect(payments.charges[0]!.refunded?.toFixed()).toBe("25.00");
      expect(await codeOf(() => platform.orders.cancel(buyer.actor, { orderId: order.id }))).toBe("invalid_transition");
    });

    it("walks the state machine: partial fulfilment, fulfilled, shipped, delivered, refunded", async () => {
      const { platform, buyer, order } = await paidOrder();
      expect(await codeOf(() => platform.orders.fulfill(buyer.actor, { orderId: order.id }))).toBe("role_required");
      expect(await codeOf(() => platform.orders.ship(ADMIN_ACTOR, { orderId: order.id }))).toBe("invalid_transition");
      const part = await platform.orders.fulfill(ADMIN_ACTOR, { orderId: order.id, lines: [{ lineId: "line_1", quantity: 1 }] });
      expect(part.status).toBe("partially_fulfilled");
      expect(
        await codeOf(() => platform.orders.fulfill(ADMIN_ACTOR, { orderId: order.id, lines: [{ lineId: "line_1", quantity: 5 }] })),
      ).toBe("over_fulfilment");
      expect((await platform.orders.fulfill(ADMIN_ACTOR, { orderId: order.id })).status).toBe("fulfilled");
      const shipped = await platform.orders.ship(ADMIN_ACTOR, { orderId: order.id, trackingNumber: "1Z999" });
      expect(shipped).toMatchObject({ status: "shipped", trackingNumber: "1Z999" });
      expect(await codeOf(() => platform.orders.cancel(buyer.actor, { orderId: order.id }))).toBe("invalid_transition");
      expect((await platform.orders.markDelivered(ADMIN_ACTOR, { orderId: order.id })).status).toBe("delivered");
      const refunded = await platform.orders.refund(ADMIN_ACTOR, { orderId: order.id, reason: "damaged" });
      expect(refunded).toMatchObject({ status: "refunded", payment: { status: "refunded" } });
    });

    it("order history is per customer, newest first, paginated", async () => {
      const { platform, clock } = makeOn(store);
      const p = await product(platform, "HIST-1", "1.00", 100);
      const a = await signUp(platform);
      const b = await signUp(platform);
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) {
        await platform.carts.addItem(a.actor, { productId: p.id, quantity: 1 });
        ids.push((await platform.orders.checkout(a.actor, { idempotencyKey: `history-key-${i}` })).id);
        clock.advance({ seconds: 1 });
      }
      await platform.carts.addItem(b.actor, { productId: p.id, quantity: 1 });
      await platform.orders.checkout(b.actor, { idempotencyKey: "history-b-1" });
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof platform.orders.list>> = await platform.orders.list(a.actor, { limit: 3, cursor });
        seen.push(...page.items.map((o) => o.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual([...ids].reverse());
    });

    it("a failing refund leaves the order canceled with the refund pending; cancel again retries it", async () => {
      let failRefund = true;
      const charges: string[] = [];
      const { platform } = makeOn(store, {
        payments: {
          charge: async (r) => (charges.push(r.idempotencyKey), { reference: `pay_${charges.length}` }),
          refund: async () => {
            if (failRefund) throw new Error("gateway down");
            return { reference: "re_1" };
          },
          retrieve: async (l) => ({ status: "succeeded" as const, reference: `pay_${charges.indexOf(l.idempotencyKey) + 1}` }),
        },
      });
      const p = await product(platform, "RF-1", "10.00", 10);
      const { actor } = await signUp(platform);
      await platform.carts.addItem(actor, { productId: p.id, quantity: 1 });
      const order = await platform.orders.checkout(actor, { idempotencyKey: "refund-retry-1" });
      await expect(platform.orders.cancel(actor, { orderId: order.id })).rejects.toThrow("gateway down");
      expect((await platform.orders.get(actor, { orderId: order.id })).payment.status).toBe("refund_pending");
      expect(await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: p.id })).toMatchObject({ onHand: 10, sold: 0 });
      failRefund = false;
      expect((await platform.orders.cancel(actor, { orderId: order.id })).payment.status).toBe("refunded");
    });

    it("computes shipping and tax for the checkout address (inline or saved) and snapshots it", async () => {
      const { platform } = makeOn(store, {
        shipping: new FlatRateShippingCalculator({ amount: "4.99" }),
        tax: new PercentageTaxCalculator({ rates: { "US-NY": "8.875", DE: "19" } }),
      });
      const p = await product(platform, "TAX-1", "100.00", 10);
      const { actor } = await signUp(platform);
      await platform.carts.addItem(actor, { productId: p.id, quantity: 1 });
      const berlin = { name: "Jane", line1: "Unter den Linden 1", city: "Berlin", postalCode: "10117", country: "de" };
      const de = await platform.orders.checkout(actor, { idempotencyKey: "tax-inline-1", shippingAddress: berlin });
      expect([de.subtotal.toFixed(), de.shipping.toFixed(), de.tax.toFixed(), de.total.toFixed()]).toEqual([
        "100.00",
        "4.99",
        "19.00",
        "123.99",
      ]);
      expect(de.shippingAddress).toMatchObject({ city: "Berlin", country: "DE" });
      const ny = await platform.users.addAddress(actor, {
        name: "Jane",
        line1: "1 Main",
        city: "NYC",
        region: "NY",
        postalCode: "10001",
        country: "US",
      });
      await platform.carts.addItem(actor, { productId: p.id, quantity: 1 });
      const us = await platform.orders.checkout(actor, { idempotencyKey: "tax-saved-1", shippingAddressId: ny.id });
      expect(us.tax.toFixed()).toBe("8.88");
      await platform.users.removeAddress(actor, { addressId: ny.id });
      expect((await platform.orders.get(actor, { orderId: us.id })).shippingAddress).toMatchObject({ city: "NYC", region: "NY" });
      await platform.carts.addItem(actor, { productId: p.id, quantity: 1 });
      const other = await signUp(platform);
      const theirs = await platform.users.addAddress(other.actor, {
        name: "O",
        line1: "2 Side",
        city: "LA",
        postalCode: "90001",
        country: "US",
      });
      expect(await codeOf(() => platform.orders.checkout(actor, { idempotencyKey: "tax-foreign-1", shippingAddressId: theirs.id }))).toBe(
        "address_not_found",
      );
      expect(await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: p.id })).toMatchObject({ reserved: 0, sold: 2 });
    });

    describe("a charge whose answer timed out (outcome unknown)", () => {
      async function timedOut() {
        const ctx = makeOn(store);
        const p = await product(ctx.platform, "TMO-1", "40.00", 5);
        const buyer = await signUp(ctx.platform);
        await ctx.platform.carts.addItem(buyer.actor, { productId: p.id, quantity: 2 });
        const input = { idempotencyKey: "timeout-key-0001", paymentToken: TIMEOUT_AFTER_CHARGE_TOKEN };
        expect(await codeOf(() => ctx.platform.orders.checkout(buyer.actor, input))).toBe("gateway_timeout");
        const [order] = (await ctx.platform.orders.list(buyer.actor)).items;
        expect(order).toMatchObject({ status: "pending", payment: { status: "pending" } });
        expect(ctx.payments.charges).toHaveLength(1);
        return { ...ctx, p, buyer, input, order: order! };
      }

      it("is paid when its reservation expires (the stock was still held), and a retry with the key returns it without charging", async () => {
        const { platform, clock, payments, p, buyer, input, order } = await timedOut();
        clock.advance(16 * 60_000);
        expect(await platform.inventory.releaseExpired()).toBe(1);
        expect(await platform.orders.get(buyer.actor, { orderId: order.id })).toMatchObject({
          status: "paid",
          payment: { status: "succeeded", reference: payments.charges[0]!.reference },
        });
        expect(payments.charges[0]!.refunded).toBeNull();
        expect(await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: p.id })).toMatchObject({ onHand: 3, reserved: 0, sold: 2 });
        expect(await platform.orders.checkout(buyer.actor, input)).toMatchObject({ id: order.id, status: "paid" });
        expect(payments.charges).toHaveLength(1);
      });

      it("is refunded when the customer cancels the pending order", async () => {
        const { platform, payments, buyer, order } = await timedOut();
        const canceled = await platform.orders.cancel(buyer.actor, { orderId: order.id });
        expect(canceled).toMatchObject({ status: "canceled", payment: { status: "refunded", reference: payments.charges[0]!.reference } });
        expect(payments.charges[0]!.refunded?.toFixed()).toBe("80.00");
      });

      it("a cancel that resolves and refunds a charge still in flight: refunded once, and the checkout answers order_canceled", async () => {
        const { platform, payments } = makeOn(store);
        const p = await product(platform, "FLY-1", "40.00", 5);
        const buyer = await signUp(platform);
        await platform.carts.addItem(buyer.actor, { productId: p.id, quantity: 1 });
        const charge = payments.charge.bind(payments);
        let release!: () => void;
        const gate = new Promise<void>((r) => (release = r));
        let started!: () => void;
        const inFlight = new Promise<void>((r) => (started = r));
        payments.charge = async (r) => {
          const result = charge(r);
          started();
          await gate;
          return result;
        };
        const checkout = codeOf(() => platform.orders.checkout(buyer.actor, { idempotencyKey: "in-flight-0001" }));
        await inFlight;
        const [order] = (await platform.orders.list(buyer.actor)).items;
        // The cancel resolves the charge through the port (the gateway knows it) and refunds it
        // before the checkout hears back.
        expect(await platform.orders.cancel(buyer.actor, { orderId: order!.id })).toMatchObject({
          status: "canceled",
          payment: { status: "refunded" },
        });
        release();
        expect(await checkout).toBe("order_canceled");
        expect((await platform.orders.get(buyer.actor, { orderId: order!.id })).payment.status).toBe("refunded");
        expect(payments.charges).toHaveLength(1);
        expect(payments.charges[0]!.refunded?.toFixed()).toBe("40.00");
      });

      it("a cancel while the port cannot tell changes nothing and answers payment_pending; once it can, the order is paid, then canceled and refunded", async () => {
        const { platform, payments, p, buyer, input, order } = await timedOut();
        const retrieve = payments.retrieve.bind(payments);
        payments.retrieve = async () => ({ status: "pending", reference: null });
        expect(await codeOf(() => platform.orders.cancel(buyer.actor, { orderId: order.id }))).toBe("payment_pending");
        expect(await platform.orders.get(buyer.actor, { orderId: order.id })).toMatchObject({
          status: "pending",
          payment: { status: "pending" },
        });
        expect(await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: p.id })).toMatchObject({ reserved: 2 });
        // Once the port can tell (charged), the cancel pays the order and cancels it like a paid one.
        payments.retrieve = retrieve;
        expect(await platform.orders.cancel(buyer.actor, { orderId: order.id })).toMatchObject({
          status: "canceled",
          payment: { status: "refunded", reference: payments.charges[0]!.reference },
        });
        expect(payments.charges).toHaveLength(1);
        expect(payments.charges[0]!.refunded?.toFixed()).toBe("80.00");
        expect(await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: p.id })).toMatchObject({ onHand: 5, reserved: 0, sold: 0 });
        // A retry with the key returns the canceled order and charges nothing.
        expect(await platform.orders.checkout(buyer.actor, input)).toMatchObject({ id: order.id, status: "canceled" });
        expect(payments.charges).toHaveLength(1);
      });
    });
  });
});
