import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Money, PlatformError } from "@platform/core";
import { accountBalances, isBalanced, type LedgerTransaction, type Payment, type PaymentSystem } from "../src/index.js";
import { makeSystem } from "./helpers.js";
import { ADMIN } from "./helpers.js";

const METHODS = ["pm_card_visa", "pm_card_visa", "pm_card_chargeDeclined", "pm_card_timeoutAfterCharge", "pm_card_refundFail"] as const;

type Cmd =
  | { t: "create"; method: number; manual: boolean; cents: number }
  | { t: "capture"; p: number; pct: number }
  | { t: "cancel"; p: number }
  | { t: "refund"; p: number; cents: number }
  | { t: "fault"; kind: "unavailable" | "timeout"; op: "authorize" | "capture" | "refund" }
  | { t: "reconcile" }
  | { t: "expire" };

const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant("create" as const),
      method: fc.nat(METHODS.length - 1),
      manual: fc.boolean(),
      cents: fc.integer({ min: 1, max: 50_000 }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ t: fc.constant("capture" as const), p: fc.nat(20), pct: fc.integer({ min: 1, max: 120 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("cancel" as const), p: fc.nat(20) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant("refund" as const), p: fc.nat(20), cents: fc.integer({ min: 1, max: 30_000 }) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant("fault" as const),
      kind: fc.constantFrom("unavailable" as const, "timeout" as const),
      op: fc.constantFrom("authorize" as const, "capture" as const, "refund" as const),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ t: "reconcile" as const }) },
  { weight: 1, arbitrary: fc.constant({ t: "expire" as const }) },
);

async function checkInvariants(system: PaymentSystem, ids: string[]): Promise<void> {
  for (const id of ids) {
    const p: Payment = await system.payments.get(ADMIN, { paymentId: id });
    // refunded <= captured <= authorised (pending refunds count against the capture too)
    expect(p.amountRefunded.add(p.amountRefundPending).lessThanOrEqual(p.amountCaptured)).toBe(true);
    expect(p.amountCaptured.lessThanOrEqual(p.amountAuthorized)).toBe(true);
    expect(p.amountAuthorized.lessThanOrEqual(p.amount)).toBe(true);
    const txns: LedgerTransaction[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof system.transactions.listByPayment>> = await system.transactions.listByPayment(ADMIN, {
        paymentId: id,
        limit: 3,
        cursor,
      });
      txns.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    for (const t of txns) expect(isBalanced(t)).toBe(true);
    // The ledger and the payment tell the same story.
    const sum = (type: string) =>
      Money.sum(
        txns.filter((t) => t.type === type).map((t) => t.amount),
        p.amount.currency,
      );
    expect(sum("authorization").equals(p.amountAuthorized)).toBe(true);
    expect(sum("capture").equals(p.amountCaptured)).toBe(true);
    expect(sum("refund").equals(p.amountRefunded)).toBe(true);
    const bal = accountBalances(txns);
    const held = bal.get(`authorized_funds:${p.amount.currency}`) ?? Money.zero(p.amount.currency);
    const expectedHeld =
      p.status === "requires_capture" || (p.status === "processing" && p.pendingOperation !== "authorize")
        ? p.amountAuthorized
        : Money.zero(p.amount.currency);
    expect(held.equals(expectedHeld)).toBe(true);
    const merchant = bal.get(`merchant_balance:${p.amount.currency}`) ?? Money.zero(p.amount.currency);
    expect(merchant.equals(p.amountCaptured.subtract(p.amountRefunded))).toBe(true);
  }
}

describe("ledger property on memory", () => {
  it("random create/capture/cancel/refund/fail sequences keep refunded <= captured <= authorised and every ledger balanced", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { minLength: 1, maxLength: 25 }), async (cmds) => {
        const { system, gateway, clock } = makeSystem();
        const ids: string[] = [];
        const pick = (i: number) => (ids.length === 0 ? undefined : ids[i % ids.length]);
        for (const c of cmds) {
          try {
            if (c.t === "create") {
              const p = await system.payments.create(ADMIN, {
                amount: Money.fromMinor(c.cents, "USD").toJSON(),
                paymentMethod: METHODS[c.method]!,
                captureMethod: c.manual ? "manual" : "automatic",
              });
              ids.push(p.id);
            } else if (c.t === "capture") {
              const id = pick(c.p);
              if (!id) continue;
              const p = await system.payments.get(ADMIN, { paymentId: id });
              await system.payments.capture(ADMIN, { paymentId: id, amount: p.amount.multiply(c.pct / 100, "up").toJSON() });
            } else if (c.t === "cancel") {
              const id = pick(c.p);
              if (id) await system.payments.cancel(ADMIN, { paymentId: id });
            } else if (c.t === "refund") {
              const id = pick(c.p);
              if (id) await system.refunds.create(ADMIN, { paymentId: id, amount: Money.fromMinor(c.cents, "USD").toJSON() });
            } else if (c.t === "fault") {
              gateway.injectFault({ operation: c.op, kind: c.kind });
            } else if (c.t === "reconcile") {
              clock.advance({ minutes: 1 });
              await system.payments.reconcileDue();
            } else {
              clock.advance({ days: 8 });
              await system.payments.expireAuthorizations();
            }
          } catch (e) {
            // Rejections are fine (and must be PlatformErrors); corrupt state is not.
            if (!PlatformError.is(e)) throw e;
          }
          await checkInvariants(system, ids);
        }
      }),
      { numRuns: 100 },
    );
  });
});
