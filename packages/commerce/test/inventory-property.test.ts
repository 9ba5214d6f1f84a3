import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PlatformError } from "@platform/core";
import { ADMIN_ACTOR } from "../src/index.js";
import { makePlatform, product, signUp, ANONYMOUS_ACTOR } from "./helpers.js";

type Op =
  | { kind: "add"; who: number; item: number; qty: number }
  | { kind: "checkout"; who: number; decline: boolean }
  | { kind: "cancel"; who: number }
  | { kind: "restock"; item: number; qty: number }
  | { kind: "expire" };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("add" as const), who: fc.nat(2), item: fc.nat(2), qty: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant("checkout" as const), who: fc.nat(2), decline: fc.boolean() }),
  fc.record({ kind: fc.constant("cancel" as const), who: fc.nat(2) }),
  fc.record({ kind: fc.constant("restock" as const), item: fc.nat(2), qty: fc.integer({ min: 1, max: 5 }) }),
  fc.constant({ kind: "expire" as const }),
);

describe("inventory invariants (property)", () => {
  it("after random cart, checkout, cancel and restock sequences: on-hand + sold = received, reserved >= 0", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { minLength: 1, maxLength: 25 }),
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 3, maxLength: 3 }),
        async (ops, initial) => {
          const { platform, clock } = makePlatform();
          const items: Awaited<ReturnType<typeof product>>[] = [];
          for (let i = 0; i < 3; i++) items.push(await product(platform, `PROP-${i}`, "3.00", initial[i]!));
          const people = [await signUp(platform), await signUp(platform), await signUp(platform)];
          let key = 0;
          // checkout_in_progress: two checkouts of one cart in the same batch (the cart is bought once).
          const expected = new Set([
            "insufficient_stock",
            "empty_cart",
            "card_declined",
            "invalid_transition",
            "order_not_found",
            "reservation_expired",
            "order_canceled",
            "checkout_in_progress",
          ]);
          // Concurrent batches: pairs of operations run together.
          for (let i = 0; i < ops.length; i += 2) {
            await Promise.all(
              ops.slice(i, i + 2).map(async (o) => {
                try {
                  if (o.kind === "add")
                    await platform.carts.addItem(people[o.who]!.actor, { productId: items[o.item]!.id, quantity: o.qty });
                  else if (o.kind === "checkout")
                    await platform.orders.checkout(people[o.who]!.actor, {
                      idempotencyKey: `prop-key-${key++}`,
                      paymentToken: o.decline ? "tok_declined" : "tok_ok",
                    });
                  else if (o.kind === "cancel") {
                    const [last] = (await platform.orders.list(people[o.who]!.actor, { limit: 1 })).items;
                    if (last) await platform.orders.cancel(o.who === 0 ? ADMIN_ACTOR : people[o.who]!.actor, { orderId: last.id });
                  } else if (o.kind === "restock")
                    await platform.inventory.adjust(ADMIN_ACTOR, { productId: items[o.item]!.id, delta: o.qty, reason: "received" });
                  else {
                    clock.advance({ minutes: 20 });
                    await platform.inventory.releaseExpired();
                  }
                } catch (e) {
                  if (!PlatformError.is(e) || !expected.has(e.code)) throw e;
                }
              }),
            );
          }
          for (const item of items) {
            const s = await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: item.id });
            expect(s.onHand + s.sold).toBe(s.received);
            expect(s.reserved).toBeGreaterThanOrEqual(0);
            expect(s.reserved).toBe(0); // every checkout settled: nothing stays held
            expect(s.onHand).toBeGreaterThanOrEqual(0);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
