import { codeOf } from "@platform/core/testing";
import { describe, expect, it } from "vitest";
import { createId, Money } from "@platform/core";
import type { Order } from "../domain/order.js";
import type { Product } from "../domain/product.js";
import type { Customer } from "../domain/customer.js";
import type { CommerceStore, CommerceTx } from "../ports/commerce-store.js";
import { describeCredentialStoreContract } from "./credential-store-contract.js";
import { notificationQueueContract } from "./notification-queue-contract.js";

const T0 = new Date("2026-01-01T00:00:00Z");

function productRow(sku: string, extra: Partial<Product> = {}): Product {
  return {
    id: createId("prod"),
    sku,
    name: `Thing ${sku}`,
    description: "A sturdy thing",
    price: Money.of("10.00", "USD"),
    categoryId: null,
    status: "active",
    images: [],
    attributes: { colour: "Blue" },
    variants: [],
    createdAt: T0,
    updatedAt: T0,
    version: 1,
    ...extra,
  };
}

function customerRow(email: string): Customer {
  return {
    id: createId("cus"),
    email,
    name: "C",
    phone: null,
    roles: ["customer"],
    passwordHash: { algorithm: "scrypt", salt: "s", hash: "h", N: 1024, r: 8, p: 1, keyLength: 64 },
    createdAt: T0,
    updatedAt: T0,
    version: 1,
  };
}

function orderRow(customerId: string, key: string, at: Date): Order {
  const zero = Money.zero("USD");
  return {
    id: createId("ord"),
    customerId,
    status: "pending",
    currency: "USD",
    lines: [],
    subtotal: zero,
    shipping: zero,
    tax: zero,
    total: zero,
    shippingAddress: null,
    billingAddress: null,
    reservationId: null,
    idempotencyKey: key,
    requestFingerprint: "f",
    payment: { reference: null, status: "pending", failureCode: null, refundAttempts: 0 },
    trackingNumber: null,
    cancelReason: null,
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
}

/**
 * The contract every commerce store adapter must pass: atomic stock operations,
 * uniqueness rules, version guards, rollback, keyset pages, search and notification queues.
 * @example
 * ```ts
 * import { describeCommerceStoreContract } from "@platform/commerce/testing";
 * describeCommerceStoreContract("memory", () => new MemoryCommerceStore());
 * ```
 */
export function describeCommerceStoreContract(name: string, makeStore: () => CommerceStore | Promise<CommerceStore>): void {
  describeCredentialStoreContract(name, makeStore);
  describe(`commerce store contract: ${name}`, () => {
    const run = async <T>(store: CommerceStore, work: (tx: CommerceTx) => Promise<T>) => store.transaction(work);
    notificationQueueContract(makeStore);

    it("keeps SKUs unique case-insensitively and guards updates by version", async () => {
      const store = await makeStore();
      const p = productRow("Abc-1");
      await run(store, (tx) => tx.products.insert(p));
      expect((await run(store, (tx) => tx.products.getBySku("abc-1")))?.id).toBe(p.id);
      expect(await codeOf(() => run(store, (tx) => tx.products.insert(productRow("ABC-1"))))).toBe("sku_taken");
      expect(await codeOf(() => run(store, (tx) => tx.products.update({ ...p, name: "x", version: 3 }, 2)))).toBe("version_conflict");
      await run(store, (tx) => tx.products.update({ ...p, sku: "ABC-2", version: 2 }, 1));
      expect(await run(store, (tx) => tx.products.getBySku("abc-1"))).toBeNull();
      await run(store, (tx) => tx.products.insert(productRow("abc-1"))); // the old SKU is free again
    });

    it("rolls back every write of a failed transaction, search index included", async () => {
      const store = await makeStore();
      const p = productRow("RB-1", { name: "Unique Zebra Lamp" });
      await expect(
        run(store, async (tx) => {
          await tx.products.insert(p);
          throw new Error("rolled back on purpose");
        }),
      ).rejects.toThrow("rolled back on purpose");
      expect(await run(store, (tx) => tx.products.get(p.id))).toBeNull();
      const page = await run(store, (tx) =>
        tx.products.search({
          text: "zebra",
          categoryIds: null,
          minPrice: null,
          maxPrice: null,
          attributes: {},
          inStockOnly: false,
          sort: "relevance",
          limit: 10,
          cursor: null,
        }),
      );
      expect(page.items).toHaveLength(0);
      await run(store, (tx) => tx.products.insert(p));
      const found = await run(store, (tx) =>
        tx.products.search({
          text: "ZÉBRA",
          categoryIds: null,
          minPrice: null,
          maxPrice: null,
          attributes: { colour: "blue" },
          inStockOnly: false,
          sort: "relevance",
          limit: 10,
          cursor: null,
        }),
      );
      expect(found.items.map((h) => h.product.id)).toEqual([p.id]);
    });

    it("reserves all lines or none, commits, releases, and refuses over-release", async () => {
      const store = await makeStore();
      await run(store, async (tx) => {
        for (const key of ["k1", "k2"]) {
          await tx.inventory.ensure({ key, productId: key, variantId: null, lowStockThreshold: 0 }, T0);
          await tx.inventory.adjust({ id: createId("adj"), key, delta: 5, reason: "received", note: null, at: T0 });
        }
      });
      const reservation = (lines: { key: string; quantity: number }[]) => ({
        id: createId("res"),
        orderId: null,
        lines,
        status: "active" as const,
        expiresAt: new Date(T0.getTime() + 60_000),
        createdAt: T0,
      });
      expect(
        await codeOf(() =>
          run(store, (tx) =>
            tx.inventory.reserve(
              reservation([
                { key: "k1", quantity: 2 },
                { key: "k2", quantity: 6 },
              ]),
            ),
          ),
        ),
      ).toBe("insufficient_stock");
      expect((await run(store, (tx) => tx.inventory.get("k1")))?.reserved).toBe(0);
      const r = reservation([
        { key: "k1", quantity: 2 },
        { key: "k2", quantity: 5 },
      ]);
      // The levels as the reservation left them, in key order: checkout reads low stock from them.
      expect((await run(store, (tx) => tx.inventory.reserve(r))).map((l) => [l.key, l.onHand, l.reserved])).toEqual([
        ["k1", 5, 2],
        ["k2", 5, 5],
      ]);
      expect(await codeOf(() => run(store, (tx) => tx.inventory.reserve(reservation([{ key: "k2", quantity: 1 }]))))).toBe(
        "insufficient_stock",
      );
      expect(
        await codeOf(() =>
          run(store, (tx) => tx.inventory.adjust({ id: createId("adj"), key: "k2", delta: -1, reason: "lost", note: null, at: T0 })),
        ),
      ).toBe("negative_stock");
      await run(store, (tx) => tx.inventory.commit(r.id, T0));
      expect(await run(store, (tx) => tx.inventory.get("k1"))).toMatchObject({ onHand: 3, reserved: 0, sold: 2, received: 5 });
      expect(await codeOf(() => run(store, (tx) => tx.inventory.release(r.id, "released", T0)))).toBe("reservation_not_active");
      const r2 = reservation([{ key: "k1", quantity: 3 }]);
      await run(store, (tx) => tx.inventory.reserve(r2));
      expect((await run(store, (tx) => tx.inventory.expiredReservations(new Date(T0.getTime() + 59_000), 10))).map((x) => x.id)).toEqual(
        [],
      );
      expect((await run(store, (tx) => tx.inventory.expiredReservations(new Date(T0.getTime() + 60_000), 10))).map((x) => x.id)).toEqual([
        r2.id,
      ]);
      await run(store, (tx) => tx.inventory.release(r2.id, "expired", T0));
      expect(await run(store, (tx) => tx.inventory.get("k1"))).toMatchObject({ onHand: 3, reserved: 0 });
      await run(store, (tx) => tx.inventory.restock([{ key: "k1", quantity: 2 }], T0));
      expect(await run(store, (tx) => tx.inventory.get("k1"))).toMatchObject({ onHand: 5, sold: 0 });
      expect(await codeOf(() => run(store, (tx) => tx.inventory.restock([{ key: "k1", quantity: 1 }], T0)))).toBe("over_release");
    });

    it("never oversells under concurrent reservations", async () => {
      const store = await makeStore();
      await run(store, async (tx) => {
        await tx.inventory.ensure({ key: "hot", productId: "hot", variantId: null, lowStockThreshold: 0 }, T0);
        await tx.inventory.adjust({ id: createId("adj"), key: "hot", delta: 7, reason: "received", note: null, at: T0 });
      });
      const results = await Promise.allSettled(
        Array.from({ length: 30 }, () =>
          run(store, (tx) =>
            tx.inventory.reserve({
              id: createId("res"),
              orderId: null,
              lines: [{ key: "hot", quantity: 1 }],
              status: "active",
              expiresAt: T0,
              createdAt: T0,
            }),
          ),
        ),
      );
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(7);
      expect(await run(store, (tx) => tx.inventory.get("hot"))).toMatchObject({ onHand: 7, reserved: 7 });
    });

    it("enforces unique emails, one cart per customer and one order per idempotency key", async () => {
      const store = await makeStore();
      const c = customerRow("u@example.com");
      await run(store, (tx) => tx.customers.insert(c));
      expect(await codeOf(() => run(store, (tx) => tx.customers.insert(customerRow("u@example.com"))))).toBe("email_taken");
      const cart = { id: createId("cart"), customerId: c.id, lines: [], createdAt: T0, updatedAt: T0, version: 1 };
      await run(store, (tx) => tx.carts.insert(cart));
      expect(await codeOf(() => run(store, (tx) => tx.carts.insert({ ...cart, id: createId("cart") })))).toBe("cart_exists");
      await run(store, (tx) => tx.orders.insert(orderRow(c.id, "key-1", T0)));
      expect(await codeOf(() => run(store, (tx) => tx.orders.insert(orderRow(c.id, "key-1", T0))))).toBe("idempotency_key_taken");
      await run(store, (tx) => tx.orders.insert(orderRow(createId("cus"), "key-1", T0))); // keys are per customer
    });

    it("keeps a cart's checkout claim, and leases orders of unknown payment outcome to one sweeper at a time", async () => {
      const store = await makeStore();
      const c = customerRow("claim@example.com");
      await run(store, (tx) => tx.customers.insert(c));
      const cart = { id: createId("cart"), customerId: c.id, lines: [], createdAt: T0, updatedAt: T0, version: 1 };
      await run(store, (tx) => tx.carts.insert(cart));
      await run(store, (tx) => tx.carts.update({ ...cart, checkoutOrderId: "ord_claimer", version: 2 }, 1));
      expect((await run(store, (tx) => tx.carts.getByCustomer(c.id)))?.checkoutOrderId).toBe("ord_claimer");
      await run(store, (tx) => tx.carts.update({ ...cart, checkoutOrderId: null, version: 3 }, 2));
      expect((await run(store, (tx) => tx.carts.get(cart.id)))?.checkoutOrderId ?? null).toBeNull();

      const old = orderRow(c.id, "sweep-old", T0);
      const young = orderRow(c.id, "sweep-young", new Date(T0.getTime() + 60_000));
      const paid = {
        ...orderRow(c.id, "sweep-paid", T0),
        status: "paid" as const,
        payment: { reference: "pay_1", status: "succeeded" as const, failureCode: null, refundAttempts: 0 },
      };
      for (const o of [old, young, paid]) await run(store, (tx) => tx.orders.insert(o));
      const at = (ms: number) => new Date(T0.getTime() + ms);
      const query = { changedBefore: at(30_000), now: at(30_000), leaseUntil: at(90_000), limit: 10 };
      const claims = await Promise.all([0, 1, 2].map(() => run(store, (tx) => tx.orders.claimPaymentPending(query))));
      // Only the old pending order qualifies, and exactly one sweeper gets it.
      expect(claims.flat().map((o) => o.id)).toEqual([old.id]);
      expect(await run(store, (tx) => tx.orders.claimPaymentPending({ ...query, now: at(60_000) }))).toEqual([]);
      // Once the lease lapsed, another sweeper may take it.
      expect(
        (await run(store, (tx) => tx.orders.claimPaymentPending({ ...query, now: at(90_000), leaseUntil: at(200_000) }))).map((o) => o.id),
      ).toEqual([old.id]);
      // A release under a lease that is no longer the holder's changes nothing; the holder's own frees it at once.
      expect(await run(store, (tx) => tx.orders.releasePaymentClaims([old.id], at(90_000)))).toBe(0);
      expect(await run(store, (tx) => tx.orders.claimPaymentPending({ ...query, now: at(100_000), leaseUntil: at(300_000) }))).toEqual([]);
      expect(await run(store, (tx) => tx.orders.releasePaymentClaims([old.id, young.id], at(200_000)))).toBe(1);
      expect(
        (await run(store, (tx) => tx.orders.claimPaymentPending({ ...query, now: at(100_000), leaseUntil: at(300_000) }))).map((o) => o.id),
      ).toEqual([old.id]);
    });

    it("pages a customer's orders newest first with stable cursors", async () => {
      const store = await makeStore();
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const o = orderRow("cus_fixed", `k-${i}`, new Date(T0.getTime() + i * 1000));
        ids.push(o.id);
        await run(store, (tx) => tx.orders.insert(o));
      }
      const first = await run(store, (tx) => tx.orders.listByCustomer("cus_fixed", { limit: 2, cursor: null }));
      await run(store, (tx) => tx.orders.insert(orderRow("cus_fixed", "k-new", new Date(T0.getTime() + 99_000))));
      const second = await run(store, (tx) => tx.orders.listByCustomer("cus_fixed", { limit: 10, cursor: first.nextCursor }));
      expect([...first.items, ...second.items].map((o) => o.id)).toEqual([...ids].reverse());
    });

    it("revokes sessions", async () => {
      const store = await makeStore();
      const later = new Date(T0.getTime() + 3_600_000);
      await run(store, async (tx) => {
        await tx.sessions.insert({ tokenHash: "h1", customerId: "cus_a", createdAt: T0, expiresAt: later, revokedAt: null });
        await tx.sessions.insert({ tokenHash: "h2", customerId: "cus_a", createdAt: T0, expiresAt: later, revokedAt: null });
      });
      expect(await run(store, (tx) => tx.sessions.revokeAllForCustomer("cus_a", T0, "h1"))).toBe(1);
      expect((await run(store, (tx) => tx.sessions.get("h1")))?.revokedAt).toBeNull();
    });

    it("lists category descendants by ancestor path", async () => {
      const store = await makeStore();
      const root = { id: createId("cat"), name: "Root", slug: "root", parentId: null, path: [], createdAt: T0, version: 1 };
      const child = { ...root, id: createId("cat"), name: "Child", slug: "child", parentId: root.id, path: [root.id] };
      const leaf = { ...root, id: createId("cat"), name: "Leaf", slug: "leaf", parentId: child.id, path: [root.id, child.id] };
      await run(store, async (tx) => {
        for (const c of [root, child, leaf]) await tx.categories.insert(c);
      });
      expect((await run(store, (tx) => tx.categories.descendants(root.id))).map((c) => c.id).sort()).toEqual([child.id, leaf.id].sort());
      expect(await codeOf(() => run(store, (tx) => tx.categories.insert({ ...leaf, id: createId("cat") })))).toBe("slug_taken");
    });
  });
}
