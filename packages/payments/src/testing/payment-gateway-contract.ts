import { createId, Money, PlatformError } from "@platform/core";
import { describe, expect, it } from "vitest";
import type { PaymentGateway } from "../ports/payment-gateway.js";

/** What the gateway contract suite needs to know about the gateway under test. */
export interface PaymentGatewayContractOptions {
  /** A payment method token the gateway approves (default `pm_card_visa`). */
  approvedMethod?: string;
  /** A token declined as `card_declined` / `generic_decline` (default `pm_card_chargeDeclined`). */
  declinedMethod?: string;
  /** A token declined as `card_declined` / `insufficient_funds` (default `pm_card_chargeDeclinedInsufficientFunds`). */
  insufficientFundsMethod?: string;
  /** A token the gateway does not know (default `pm_unknown_contract`). */
  unknownMethod?: string;
  /**
   * A token for which the gateway asks the customer to act (3-D Secure), and how the test plays the
   * customer. When given, the suite proves the `requires_action` path: the answer carries the step,
   * nothing is charged, `retrieve` tells the wait and then the outcome, and `void` cancels a waiting charge.
   */
  customerAction?: {
    method: string;
    complete: (ids: { paymentId: string; reference: string }, outcome: "succeed" | "fail") => void | Promise<void>;
  };
  /**
   * How many times money was authorised at the provider for one of our payment ids. When given, the
   * suite proves that re-sending with the same idempotency key never charges twice.
   */
  chargeCount?: (paymentId: string) => number | Promise<number>;
}

/** The code of the PlatformError `fn` throws, and the error itself (fails when nothing is thrown). */
async function failureOf(fn: () => Promise<unknown>): Promise<PlatformError> {
  try {
    await fn();
  } catch (e) {
    if (PlatformError.is(e)) return e;
    throw e;
  }
  throw new Error("expected the gateway to throw a PlatformError");
}

/**
 * The semantics every {@link PaymentGateway} must keep, as a vitest suite: authorise with automatic
 * and manual capture, full and partial capture, void, full and partial refunds, `retrieve` by
 * reference and by our payment id (reconciliation), idempotent re-sends with the same key, declines
 * with their decline code, and amounts returned exactly (two-, zero- and three-decimal currencies).
 *
 * `makeGateway` is called once per test; a shared provider behind it is fine, since every test uses
 * fresh payment ids and keys.
 * @example
 * ```ts
 * import { describePaymentGatewayContract } from "@platform/payments/testing";
 * describePaymentGatewayContract("my-psp", () => new MyPspGateway(testConfig), { chargeCount: (id) => sandbox.charges(id) });
 * ```
 */
export function describePaymentGatewayContract(
  name: string,
  makeGateway: () => PaymentGateway | Promise<PaymentGateway>,
  options: PaymentGatewayContractOptions = {},
): void {
  const approved = options.approvedMethod ?? "pm_card_visa";
  const declined = options.declinedMethod ?? "pm_card_chargeDeclined";
  const insufficient = options.insufficientFundsMethod ?? "pm_card_chargeDeclinedInsufficientFunds";
  const unknown = options.unknownMethod ?? "pm_unknown_contract";

  const request = (amount: Money, capture: boolean, paymentMethod = approved) => {
    const paymentId = createId("pay");
    return { paymentId, idempotencyKey: `${paymentId}:authorize`, amount, paymentMethod, capture, metadata: { order: "ord_contract" } };
  };
  const same = (a: Money | undefined, b: Money) => {
    expect(a?.currency).toBe(b.currency);
    expect(a?.amount.toString()).toBe(b.amount.toString());
  };

  describe(`payment gateway contract: ${name}`, () => {
    it("describes a known payment method and knows nothing of an unknown one", async () => {
      const g = await makeGateway();
      const details = await g.describePaymentMethod(approved);
      expect(details?.type).toBe("card");
      expect(details?.last4).toMatch(/^\d{4}$/);
      expect(details?.brand).toBeTruthy();
      expect(await g.describePaymentMethod(unknown)).toBeNull();
    });

    it("authorises and captures in one call (automatic capture), exactly, and retrieve agrees by reference and by payment id", async () => {
      const g = await makeGateway();
      const req = request(Money.of("1234.56", "USD"), true);
      const res = await g.authorize(req);
      expect(res.status).toBe("captured");
      expect(res.reference).toBeTruthy();
      same(res.amountAuthorized, req.amount);
      same(res.amountCaptured, req.amount);
      const byRef = await g.retrieve({ reference: res.reference, paymentId: req.paymentId });
      expect(byRef.status).toBe("captured");
      same(byRef.amountCaptured, req.amount);
      const byId = await g.retrieve({ paymentId: req.paymentId });
      expect(byId.status).toBe("captured");
      expect(byId.reference).toBe(res.reference);
    });

    it("authorises without capturing (manual capture), then captures the whole authorisation", async () => {
      const g = await makeGateway();
      const req = request(Money.of("50.00", "EUR"), false);
      const res = await g.authorize(req);
      expect(res.status).toBe("authorized");
      same(res.amountAuthorized, req.amount);
      same(res.amountCaptured, Money.zero("EUR"));
      expect((await g.retrieve({ reference: res.reference, paymentId: req.paymentId })).status).toBe("authorized");
      const cap = await g.capture({ reference: res.reference, amount: req.amount, idempotencyKey: `${req.paymentId}:capture` });
      same(cap.amountCaptured, req.amount);
      const state = await g.retrieve({ reference: res.reference, paymentId: req.paymentId });
      expect(state.status).toBe("captured");
      same(state.amountCaptured, req.amount);
    });

    it("captures part of an authorisation; the state shows what was captured", async () => {
      const g = await makeGateway();
      const req = request(Money.of("100.00", "USD"), false);
      const res = await g.authorize(req);
      const cap = await g.capture({
        reference: res.reference,
        amount: Money.of("60.25", "USD"),
        idempotencyKey: `${req.paymentId}:capture`,
      });
      same(cap.amountCaptured, Money.of("60.25", "USD"));
      const state = await g.retrieve({ reference: res.reference, paymentId: req.paymentId });
      expect(state.status).toBe("captured");
      same(state.amountCaptured, Money.of("60.25", "USD"));
    });

    it("refuses to capture more than was authorised, as a non-retryable gateway error", async () => {
      const g = await makeGateway();
      const req = request(Money.of("10.00", "USD"), false);
      const res = await g.authorize(req);
      const e = await failureOf(() =>
        g.capture({ reference: res.reference, amount: Money.of("10.01", "USD"), idempotencyKey: `${req.paymentId}:capture` }),
      );
      expect(e.kind).toBe("gateway");
      expect(e.details.retryable).toBe(false);
      expect((await g.retrieve({ reference: res.reference, paymentId: req.paymentId })).status).toBe("authorized");
    });

    it("voids an authorisation (a re-sent void is harmless) and refuses to void a captured payment", async () => {
      const g = await makeGateway();
      const req = request(Money.of("20.00", "USD"), false);
      const res = await g.authorize(req);
      await g.void({ reference: res.reference, idempotencyKey: `${req.paymentId}:void` });
      await g.void({ reference: res.reference, idempotencyKey: `${req.paymentId}:void` });
      expect((await g.retrieve({ reference: res.reference, paymentId: req.paymentId })).status).toBe("voided");

      const captured = request(Money.of("20.00", "USD"), true);
      const c = await g.authorize(captured);
      const e = await failureOf(() => g.void({ reference: c.reference, idempotencyKey: `${captured.paymentId}:void` }));
      expect(e.kind).toBe("gateway");
      expect(e.details.retryable).toBe(false);
      expect((await g.retrieve({ reference: c.reference, paymentId: captured.paymentId })).status).toBe("captured");
    });

    it("refunds partially, then the rest; refuses to refund more than was captured", async () => {
      const g = await makeGateway();
      const req = request(Money.of("30.00", "USD"), true);
      const res = await g.authorize(req);
      const first = await g.refund({
        reference: res.reference,
        refundId: createId("re"),
        amount: Money.of("10.50", "USD"),
        idempotencyKey: `${req.paymentId}:r1`,
      });
      expect(first.status).toBe("succeeded");
      expect(first.reference).toBeTruthy();
      const over = await failureOf(() =>
        g.refund({
          reference: res.reference,
          refundId: createId("re"),
          amount: Money.of("19.51", "USD"),
          idempotencyKey: `${req.paymentId}:r2`,
        }),
      );
      expect(over.kind).toBe("gateway");
      expect(over.details.retryable).toBe(false);
      const rest = await g.refund({
        reference: res.reference,
        refundId: createId("re"),
        amount: Money.of("19.50", "USD"),
        idempotencyKey: `${req.paymentId}:r3`,
      });
      expect(rest.status).toBe("succeeded");
      expect(rest.reference).not.toBe(first.reference);
    });

    it("answers a re-sent authorisation, capture and refund with the first result and moves money once", async () => {
      const g = await makeGateway();
      const req = request(Money.of("42.00", "USD"), false);
      const a1 = await g.authorize(req);
      const a2 = await g.authorize(req);
      expect(a2.reference).toBe(a1.reference);
      expect(a2.status).toBe("authorized");
      if (options.chargeCount) expect(await options.chargeCount(req.paymentId)).toBe(1);
      const captureReq = { reference: a1.reference, amount: Money.of("40.00", "USD"), idempotencyKey: `${req.paymentId}:capture` };
      same((await g.capture(captureReq)).amountCaptured, captureReq.amount);
      same((await g.capture(captureReq)).amountCaptured, captureReq.amount);
      const refundReq = {
        reference: a1.reference,
        refundId: createId("re"),
        amount: Money.of("25.00", "USD"),
        idempotencyKey: `${req.paymentId}:refund`,
      };
      const r1 = await g.refund(refundReq);
      const r2 = await g.refund(refundReq);
      expect(r2.reference).toBe(r1.reference);
      // Had the re-sent refund moved money again, only 15.00 - 25.00 < 0 would be left: this one would fail.
      expect(
        (
          await g.refund({
            reference: a1.reference,
            refundId: createId("re"),
            amount: Money.of("15.00", "USD"),
            idempotencyKey: `${req.paymentId}:refund2`,
          })
        ).status,
      ).toBe("succeeded");
    });

    it("declines with card_declined and the decline code, not retryable, and no money moved", async () => {
      const g = await makeGateway();
      for (const [method, declineCode] of [
        [declined, "generic_decline"],
        [insufficient, "insufficient_funds"],
      ] as const) {
        const req = request(Money.of("15.00", "USD"), true, method);
        const e = await failureOf(() => g.authorize(req));
        expect(e.kind).toBe("gateway");
        expect(e.code).toBe("card_declined");
        expect(e.details.declineCode).toBe(declineCode);
        expect(e.details.retryable).toBe(false);
        expect(["failed", "not_found"]).toContain((await g.retrieve({ paymentId: req.paymentId })).status);
        if (options.chargeCount) expect(await options.chargeCount(req.paymentId)).toBe(0);
      }
    });

    it("keeps zero- and three-decimal amounts exact", async () => {
      const g = await makeGateway();
      for (const amount of [Money.of("5000", "JPY"), Money.of("12.340", "KWD")]) {
        const req = request(amount, true);
        const res = await g.authorize(req);
        same(res.amountCaptured, amount);
        same((await g.retrieve({ reference: res.reference, paymentId: req.paymentId })).amountCaptured, amount);
      }
    });

    it("reports not_found for a payment it never received", async () => {
      const g = await makeGateway();
      expect((await g.retrieve({ paymentId: createId("pay") })).status).toBe("not_found");
    });

    const action = options.customerAction;
    it.runIf(action !== undefined)("asks for the customer's action (3-D Secure) without charging, then reports how it ended", async () => {
      const g = await makeGateway();
      const { method, complete } = action!;
      const amount = Money.of("20.00", "USD");
      const waiting = request(amount, true, method);
      const res = await g.authorize(waiting);
      expect(res.status).toBe("requires_action");
      expect(res.action?.nextAction).toEqual(expect.objectContaining({ type: expect.any(String) }));
      expect(typeof res.action?.clientSecret).toBe("string");
      expect(res.amountCaptured.isZero()).toBe(true);
      if (options.chargeCount) expect(await options.chargeCount(waiting.paymentId)).toBe(0);
      expect((await g.retrieve({ reference: res.reference, paymentId: waiting.paymentId })).status).toBe("requires_action");
      await complete({ paymentId: waiting.paymentId, reference: res.reference }, "succeed");
      const done = await g.retrieve({ reference: res.reference, paymentId: waiting.paymentId });
      expect(done.status).toBe("captured");
      same(done.amountCaptured, amount);
      if (options.chargeCount) expect(await options.chargeCount(waiting.paymentId)).toBe(1);

      const failing = request(amount, true, method);
      const failed = await g.authorize(failing);
      await complete({ paymentId: failing.paymentId, reference: failed.reference }, "fail");
      expect((await g.retrieve({ reference: failed.reference, paymentId: failing.paymentId })).status).toBe("failed");

      const abandoned = request(amount, false, method);
      const open = await g.authorize(abandoned);
      await g.void({ reference: open.reference, idempotencyKey: `${abandoned.paymentId}:abandon` });
      expect((await g.retrieve({ reference: open.reference, paymentId: abandoned.paymentId })).status).toBe("voided");
      if (options.chargeCount) expect(await options.chargeCount(abandoned.paymentId)).toBe(0);
    });
  });
}
