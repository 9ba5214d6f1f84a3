import { describe, expect, it } from "vitest";
import { toCartJSON, toCustomerJSON, toOrderJSON } from "../src/index.js";
import { makePlatform, product, signUp } from "./helpers.js";

const keys = (o: object) => Object.keys(o).sort();

describe("wire DTOs of commerce entities", () => {
  it("an order answers exactly its public fields: no fingerprint, idempotency key, reservation, payment reference, refund attempts or version", async () => {
    const { platform } = makePlatform();
    const p = await product(platform, "WIRE-1", "12.50", 5);
    const { actor } = await signUp(platform);
    await platform.users.addAddress(actor, {
      name: "Jane",
      line1: "1 Main St",
      city: "Boston",
      region: "MA",
      postalCode: "02110",
      country: "US",
    });
    await platform.carts.addItem(actor, { productId: p.id, quantity: 2 });
    const order = await platform.orders.checkout(actor, { idempotencyKey: "wire-json-1", paymentToken: "pm_card_visa" });
    // The entity carries the internals the wire view must drop.
    expect(order.requestFingerprint).toBeTruthy();
    expect(order.reservationId).toBeTruthy();
    expect(order.payment.reference).toBeTruthy();
    const json = toOrderJSON(await platform.orders.cancel(actor, { orderId: order.id }));
    expect(keys(json)).toEqual(
      [
        "billingAddress",
        "cancelReason",
        "createdAt",
        "currency",
        "customerId",
        "id",
        "lines",
        "payment",
        "shipping",
        "shippingAddress",
        "status",
        "subtotal",
        "tax",
        "total",
        "trackingNumber",
        "updatedAt",
      ].sort(),
    );
    expect(keys(json.payment)).toEqual(["failureCode", "status"]);
    expect(keys(json.lines[0]!)).toEqual([
      "fulfilledQuantity",
      "lineId",
      "lineTotal",
      "name",
      "productId",
      "quantity",
      "sku",
      "unitPrice",
      "variantId",
    ]);
    expect(keys(json.shippingAddress!)).toEqual(["city", "country", "line1", "line2", "name", "phone", "postalCode", "region"]);
    expect(json).toMatchObject({ status: "canceled", total: { amount: "25.00", currency: "USD" }, payment: { status: "refunded" } });
    expect(typeof json.createdAt).toBe("string");
    // A round trip through JSON is the identity: nothing left for JSON.stringify to expand.
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  it("a customer answers without password material, also when handed the stored entity", async () => {
    const { platform } = makePlatform();
    const { actor, email } = await signUp(platform);
    const profile = await platform.users.getProfile(actor);
    const stored = await platform.store.transaction((tx) => tx.customers.get(actor.id!));
    expect(stored?.passwordHash).toBeTruthy();
    for (const json of [toCustomerJSON(profile), toCustomerJSON(stored!)]) {
      expect(keys(json)).toEqual(["createdAt", "email", "id", "name", "phone", "roles", "updatedAt"]);
      expect(json.email).toBe(email);
      expect(JSON.stringify(json)).not.toMatch(/scrypt|salt|hash/i);
    }
  });

  it("a cart answers its priced lines and totals, not its checkout claim or version", async () => {
    const { platform } = makePlatform();
    const p = await product(platform, "WIRE-2", "3.10", 5);
    const { actor } = await signUp(platform);
    const json = toCartJSON(await platform.carts.addItem(actor, { productId: p.id, quantity: 3 }));
    expect(keys(json)).toEqual([
      "currency",
      "customerId",
      "id",
      "issues",
      "itemCount",
      "lines",
      "shipping",
      "subtotal",
      "tax",
      "total",
      "updatedAt",
    ]);
    expect(keys(json.lines[0]!)).toEqual(["available", "lineTotal", "name", "productId", "quantity", "sku", "unitPrice", "variantId"]);
    expect(json.total).toEqual({ amount: "9.30", currency: "USD" });
  });
});
