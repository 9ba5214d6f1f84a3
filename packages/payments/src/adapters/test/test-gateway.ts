import { createHash } from "node:crypto";
import { createId, GatewayError, Money } from "@platform/core";
import type { PaymentMethodDetails } from "../../domain/payment.js";
import type {
  GatewayAuthorization,
  GatewayAuthorizeRequest,
  GatewayPaymentState,
  GatewayRefund,
  PaymentGateway,
} from "../../ports/payment-gateway.js";
import { paymentsCodes } from "../../domain/error-codes.js";

/** How a test payment method behaves. */
type Behaviour =
  "succeed" | "decline" | "insufficient_funds" | "authentication_required" | "three_d_secure" | "timeout_after_charge" | "refund_fail";

const METHODS: Record<string, { brand: string; last4: string; country: string; behaviour: Behaviour }> = {
  pm_card_visa: { brand: "visa", last4: "4242", country: "US", behaviour: "succeed" },
  pm_card_mastercard: { brand: "mastercard", last4: "4444", country: "US", behaviour: "succeed" },
  pm_card_amex: { brand: "amex", last4: "8431", country: "US", behaviour: "succeed" },
  pm_card_visa_de: { brand: "visa", last4: "3184", country: "DE", behaviour: "succeed" },
  pm_card_chargeDeclined: { brand: "visa", last4: "0002", country: "US", behaviour: "decline" },
  pm_card_insufficientFunds: { brand: "visa", last4: "9995", country: "US", behaviour: "insufficient_funds" },
  pm_card_chargeDeclinedInsufficientFunds: { brand: "visa", last4: "9995", country: "US", behaviour: "insufficient_funds" },
  pm_card_authenticationRequired: { brand: "visa", last4: "3155", country: "US", behaviour: "authentication_required" },
  pm_card_threeDSecure2Required: { brand: "visa", last4: "3220", country: "US", behaviour: "three_d_secure" },
  pm_card_timeoutAfterCharge: { brand: "visa", last4: "0077", country: "US", behaviour: "timeout_after_charge" },
  pm_card_refundFail: { brand: "visa", last4: "5556", country: "US", behaviour: "refund_fail" },
};

// The 3-D Secure step in Stripe's shape, so a host's front-end code reads the same fields.
function actionOf(c: Charge) {
  return {
    nextAction: {
      type: "use_stripe_sdk",
      use_stripe_sdk: { type: "three_d_secure_redirect", stripe_js: `https://test.invalid/3ds2?charge=${c.reference}` },
    },
    clientSecret: c.clientSecret,
  };
}

/** The payment method tokens the test gateway knows. */
export const TEST_PAYMENT_METHODS: readonly string[] = Object.keys(METHODS);

/** A fault the next calls of an operation suffer. */
export interface InjectedFault {
  operation: "describe" | "authorize" | "capture" | "void" | "refund" | "retrieve" | "any";
  /** `unavailable`: refused before anything happened (retryable). `timeout`: sent, processed, no answer (ambiguous). */
  kind: "unavailable" | "timeout";
  /** How many calls fail (default 1). */
  times?: number;
}

/** Options of the test gateway. */
export interface TestGatewayOptions {
  /** Name reported in errors (default `test`). */
  name?: string;
  /** Simulated latency per call, in ms (real timers; default 0). */
  latencyMs?: number;
  /** Extra payment method tokens that behave like `pm_card_visa`. */
  extraMethods?: readonly string[];
}

interface Charge {
  reference: string;
  paymentId: string;
  amountAuthorized: Money;
  amountCaptured: Money;
  /** `requires_action`: waiting for the customer's 3-D Secure step; `failed`: the customer failed it. */
  status: "requires_action" | "authorized" | "captured" | "voided" | "failed";
  capture: boolean;
  clientSecret: string;
  refunded: Money;
  refundsFail: boolean;
}

/**
 * A deterministic gateway in Stripe's test style: `pm_card_visa` succeeds, `pm_card_chargeDeclined`
 * declines (`card_declined`), `pm_card_insufficientFunds` (`insufficient_funds`),
 * `pm_card_authenticationRequired` (`authentication_required`), `pm_card_timeoutAfterCharge` charges
 * then times out (ambiguous), `pm_card_refundFail` charges but its refunds fail,
 * `pm_card_threeDSecure2Required` answers `requires_action` (3-D Secure) until the test plays the
 * customer with `completeAction(paymentId, "succeed" | "fail")`. Provider-side
 * idempotency keys make retries safe; `chargeCount(paymentId)` tells tests how often money moved.
 * It moves no real money, so it is never registered by default: name it (`gateways: { test: new TestGateway() }`).
 * @example
 * ```ts
 * const gateway = new TestGateway({ latencyMs: 5 });
 * const system = createPaymentSystem({ gateways: { test: gateway } });
 * gateway.injectFault({ operation: "authorize", kind: "unavailable", times: 2 });
 * ```
 */
export class TestGateway implements PaymentGateway {
  /** Moves no real money: refused in production unless the host allows test gateways. */
  readonly testMode = true;
  private readonly name: string;
  private readonly latencyMs: number;
  private readonly extra: Set<string>;
  private readonly charges = new Map<string, Charge>();
  private readonly byPayment = new Map<string, string>();
  private readonly idempotent = new Map<string, unknown>();
  private readonly faults: InjectedFault[] = [];
  private readonly chargeCounts = new Map<string, number>();
  /** Calls per operation, for tests. */
  readonly calls = { describe: 0, authorize: 0, capture: 0, void: 0, refund: 0, retrieve: 0 };

  constructor(options: TestGatewayOptions = {}) {
    this.name = options.name ?? "test";
    this.latencyMs = options.latencyMs ?? 0;
    this.extra = new Set(options.extraMethods ?? []);
  }

  /** Makes the next matching calls fail. */
  injectFault(fault: InjectedFault): void {
    this.faults.push({ ...fault, times: fault.times ?? 1 });
  }

  /** How many times money was authorised for a payment (1 after any number of safe retries). */
  chargeCount(paymentId: string): number {
    return this.chargeCounts.get(paymentId) ?? 0;
  }

  private behaviourOf(pm: string): Behaviour | undefined {
    return METHODS[pm]?.behaviour ?? (this.extra.has(pm) ? "succeed" : undefined);
  }

  private async step(op: keyof TestGateway["calls"]): Promise<"timeout" | undefined> {
    this.calls[op]++;
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
    const i = this.faults.findIndex((f) => f.operation === op || f.operation === "any");
    if (i < 0) return undefined;
    const fault = this.faults[i]!;
    fault.times = (fault.times ?? 1) - 1;
    if (fault.times <= 0) this.faults.splice(i, 1);
    if (fault.kind === "unavailable")
      throw new GatewayError(paymentsCodes.gateway_unavailable, `${this.name} is unavailable`, { provider: this.name, retryable: true });
    return "timeout";
  }

  private timeout(): never {
    throw new GatewayError(paymentsCodes.gateway_timeout, `${this.name} did not answer in time`, {
      provider: this.name,
      retryable: true,
      details: { ambiguous: true },
    });
  }

  private decline(code: string, declineCode: string, message: string): never {
    throw new GatewayError(code, message, { provider: this.name, retryable: false, declineCode });
  }

  private once<T>(key: string, make: () => T): T {
    if (this.idempotent.has(key)) return this.idempotent.get(key) as T;
    const value = make();
    this.idempotent.set(key, value);
    return value;
  }

  async describePaymentMethod(paymentMethod: string): Promise<PaymentMethodDetails | null> {
    // A lookup changes nothing at the provider, so an injected timeout is just a failed lookup.
    if ((await this.step("describe")) === "timeout") this.timeout();
    const known = METHODS[paymentMethod] ?? (this.extra.has(paymentMethod) ? { brand: "visa", last4: "4242", country: "US" } : undefined);
    if (!known) return null;
    const fingerprint = createHash("sha256").update(`${known.brand}:${known.last4}`).digest("hex").slice(0, 16);
    return { type: "card", brand: known.brand, last4: known.last4, country: known.country, fingerprint };
  }

  async authorize(req: GatewayAuthorizeRequest): Promise<GatewayAuthorization> {
    const fault = await this.step("authorize");
    const behaviour = this.behaviourOf(req.paymentMethod);
    if (!behaviour) this.decline("invalid_payment_method", "invalid_payment_method", `unknown payment method ${req.paymentMethod}`);
    if (behaviour === "decline") this.decline("card_declined", "generic_decline", "Your card was declined.");
    if (behaviour === "insufficient_funds") this.decline("card_declined", "insufficient_funds", "Your card has insufficient funds.");
    if (behaviour === "authentication_required")
      this.decline("card_declined", "authentication_required", "This payment requires authentication.");
    const result = this.once(`authorize:${req.idempotencyKey}`, (): GatewayAuthorization => {
      const reference = createId("ch");
      const zero = Money.zero(req.amount.currency);
      const clientSecret = `${reference}_secret_${createId("cs").slice(3)}`;
      const charge: Charge = {
        reference,
        paymentId: req.paymentId,
        amountAuthorized: req.amount,
        amountCaptured: zero,
        status: "requires_action",
        capture: req.capture,
        clientSecret,
        refunded: zero,
        refundsFail: behaviour === "refund_fail",
      };
      this.charges.set(reference, charge);
      this.byPayment.set(req.paymentId, reference);
      if (behaviour === "three_d_secure")
        return { reference, status: "requires_action", amountAuthorized: zero, amountCaptured: zero, action: actionOf(charge) };
      this.charge(charge);
      return {
        reference,
        status: charge.status as "authorized" | "captured",
        amountAuthorized: req.amount,
        amountCaptured: charge.amountCaptured,
      };
    });
    if (fault === "timeout" || behaviour === "timeout_after_charge") this.timeout();
    return result;
  }

  private charge(c: Charge): void {
    c.status = c.capture ? "captured" : "authorized";
    c.amountCaptured = c.capture ? c.amountAuthorized : Money.zero(c.amountAuthorized.currency);
    this.chargeCounts.set(c.paymentId, this.chargeCount(c.paymentId) + 1);
  }

  /**
   * Plays the customer of a payment waiting in `requires_action` (3-D Secure): `succeed` completes the
   * step and charges (captured, or authorised for manual capture), `fail` fails it (declined
   * `payment_intent_authentication_failure`). The payment system learns it from `payments.reconcile(id)`,
   * as it would from the provider. Throws a plain Error when no charge of that payment waits.
   */
  completeAction(paymentId: string, outcome: "succeed" | "fail"): void {
    const reference = this.byPayment.get(paymentId);
    const charge = reference ? this.charges.get(reference) : undefined;
    if (charge?.status !== "requires_action") throw new Error(`no charge of payment ${paymentId} waits for the customer`);
    if (outcome === "succeed") this.charge(charge);
    else charge.status = "failed";
  }

  async capture(req: { reference: string; amount: Money; idempotencyKey: string }) {
    const fault = await this.step("capture");
    const charge = this.charges.get(req.reference);
    if (!charge) this.decline("resource_missing", "resource_missing", `no charge ${req.reference}`);
    const result = this.once(`capture:${req.idempotencyKey}`, () => {
      if (charge.status !== "authorized") this.decline("charge_not_capturable", "charge_not_capturable", `charge is ${charge.status}`);
      if (req.amount.greaterThan(charge.amountAuthorized))
        this.decline("amount_too_large", "amount_too_large", "capture exceeds the authorisation");
      charge.amountCaptured = req.amount;
      charge.status = "captured";
      return { reference: charge.reference, amountCaptured: req.amount };
    });
    if (fault === "timeout") this.timeout();
    return result;
  }

  async void(req: { reference: string; idempotencyKey: string }) {
    const fault = await this.step("void");
    const charge = this.charges.get(req.reference);
    if (!charge) this.decline("resource_missing", "resource_missing", `no charge ${req.reference}`);
    if (charge.status === "captured") this.decline("charge_already_captured", "charge_already_captured", "charge already captured");
    charge.status = "voided";
    if (fault === "timeout") this.timeout();
  }

  async refund(req: { reference: string; refundId: string; amount: Money; idempotencyKey: string }): Promise<GatewayRefund> {
    const fault = await this.step("refund");
    const charge = this.charges.get(req.reference);
    if (!charge) this.decline("resource_missing", "resource_missing", `no charge ${req.reference}`);
    const result = this.once(`refund:${req.idempotencyKey}`, (): GatewayRefund => {
      if (charge.refundsFail) return { reference: createId("re"), status: "failed", declineCode: "refund_failed" };
      if (charge.refunded.add(req.amount).greaterThan(charge.amountCaptured))
        this.decline("amount_too_large", "amount_too_large", "refund exceeds the captured amount");
      charge.refunded = charge.refunded.add(req.amount);
      return { reference: createId("re"), status: "succeeded" };
    });
    if (fault === "timeout") this.timeout();
    return result;
  }

  async retrieve(req: { reference?: string | undefined; paymentId: string }): Promise<GatewayPaymentState> {
    await this.step("retrieve");
    const reference = req.reference ?? this.byPayment.get(req.paymentId);
    const charge = reference ? this.charges.get(reference) : undefined;
    if (!charge) return { status: "not_found" };
    const base = { reference: charge.reference, amountAuthorized: charge.amountAuthorized, amountCaptured: charge.amountCaptured };
    if (charge.status === "requires_action") return { ...base, status: "requires_action", action: actionOf(charge) };
    if (charge.status === "failed") return { ...base, status: "failed", declineCode: "payment_intent_authentication_failure" };
    return { ...base, status: charge.status };
  }
}
