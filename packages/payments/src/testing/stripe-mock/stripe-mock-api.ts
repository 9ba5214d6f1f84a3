import { chargeJson, intentJson, refundJson, type Charge, type Intent, type Json, type Refund } from "./stripe-mock-objects.js";
import { checkAmount, positiveInt, record, str } from "./stripe-mock-params.js";
import { newRefund } from "./stripe-mock-refunds.js";
import {
  checkStep,
  invalidParam,
  listOf,
  stripeId,
  unixNow,
  StripeWireError,
  TEST_CARDS,
  type FormObject,
  type TestCard,
} from "./stripe-wire.js";

/**
 * The PaymentIntents, charges and refunds of the local Stripe-compatible server, with Stripe's rules:
 * amounts in minor units (three-decimal currencies ending in 0, minimums, eight digits at most),
 * lower-case currencies, capture and cancel only from the states Stripe allows, refunds up to the
 * amount received, test cards that succeed, decline (402 with `decline_code`) or need 3-D Secure.
 */
export class StripeMockApi {
  readonly intents = new Map<string, Intent>();
  readonly charges = new Map<string, Charge>();
  readonly refunds = new Map<string, Refund>();

  private intent(id: string): Intent {
    const pi = this.intents.get(id);
    if (!pi)
      throw new StripeWireError(404, {
        type: "invalid_request_error",
        code: "resource_missing",
        param: "intent",
        message: `No such payment_intent: '${id}'`,
      });
    return pi;
  }

  /** The JSON of a PaymentIntent, with `latest_charge` expanded when asked. */
  intentJson(pi: Intent, expand: string[] = []): Json {
    const charge = pi.chargeId ? this.charges.get(pi.chargeId) : undefined;
    return intentJson(pi, charge && expand.includes("latest_charge") ? chargeJson(charge, pi) : undefined);
  }

  /** GET /v1/payment_methods/:id */
  paymentMethod(id: string): Json {
    const card = TEST_CARDS[id];
    if (!card)
      throw new StripeWireError(404, {
        type: "invalid_request_error",
        code: "resource_missing",
        param: "payment_method",
        message: `No such PaymentMethod: '${id}'`,
      });
    return {
      id,
      object: "payment_method",
      type: "card",
      card: {
        brand: card.brand,
        last4: card.last4,
        country: card.country,
        exp_month: 12,
        exp_year: 2034,
        funding: "credit",
        fingerprint: `fp${card.last4}${card.brand}`,
      },
      created: unixNow(),
      livemode: false,
    };
  }

  /** POST /v1/payment_intents */
  create(form: FormObject): Json {
    if (form.payment_method_types !== undefined)
      throw invalidParam(
        "payment_method_types",
        "payment_method_types cannot be used with this API version; use automatic_payment_methods.",
        "parameter_unknown",
      );
    const { amount, currency } = checkAmount(form);
    const captureMethod = str(form.capture_method) ?? "automatic_async";
    if (!["automatic", "automatic_async", "manual"].includes(captureMethod))
      throw invalidParam("capture_method", `Invalid capture_method: ${captureMethod}`);
    const apm = typeof form.automatic_payment_methods === "object" ? form.automatic_payment_methods : {};
    const paymentMethod = str(form.payment_method) ?? null;
    const id = stripeId("pi");
    const pi: Intent = {
      id,
      amount,
      currency,
      captureMethod,
      paymentMethod,
      status: paymentMethod ? "requires_confirmation" : "requires_payment_method",
      allowRedirects: str(apm.allow_redirects) ?? "always",
      metadata: record(form.metadata),
      amountCapturable: 0,
      amountReceived: 0,
      amountRefunded: 0,
      chargeId: null,
      lastPaymentError: null,
      nextAction: null,
      cancellationReason: null,
      clientSecret: `${id}_secret_${stripeId("cs").slice(3)}`,
      created: unixNow(),
    };
    this.intents.set(id, pi);
    if (str(form.confirm) === "true") return this.confirm(id, form);
    return this.intentJson(pi, listOf(form.expand));
  }

  /** POST /v1/payment_intents/:id/confirm */
  confirm(id: string, form: FormObject): Json {
    const pi = this.intent(id);
    if (!["requires_confirmation", "requires_payment_method"].includes(pi.status)) throw this.unexpected(pi, "confirm");
    if (pi.allowRedirects !== "never" && str(form.return_url) === undefined) {
      throw invalidParam(
        "return_url",
        "This PaymentIntent accepts redirect-based payment methods: provide a return_url, or create it with automatic_payment_methods[allow_redirects]=never.",
        "parameter_missing",
      );
    }
    const pmId = str(form.payment_method) ?? pi.paymentMethod;
    const card = pmId ? TEST_CARDS[pmId] : undefined;
    if (!pmId || !card) throw invalidParam("payment_method", `No such PaymentMethod: '${pmId ?? ""}'`, "resource_missing");
    pi.paymentMethod = pmId;
    if (card.behaviour === "requires_action") {
      pi.status = "requires_action";
      pi.nextAction = {
        type: "use_stripe_sdk",
        use_stripe_sdk: {
          type: "three_d_secure_redirect",
          stripe_js: `https://hooks.stripe.com/3d_secure_2/hosted?payment_intent=${pi.id}`,
          source: stripeId("payatt"),
        },
      };
      return this.intentJson(pi, listOf(form.expand));
    }
    return this.attempt(pi, card, listOf(form.expand));
  }

  /** Charges the card of an intent: success moves it on, a decline answers 402 as Stripe does. */
  private attempt(pi: Intent, card: TestCard, expand: string[]): Json {
    const charge: Charge = {
      id: stripeId("ch"),
      intent: pi.id,
      amount: pi.amount,
      currency: pi.currency,
      status: card.behaviour === "decline" ? "failed" : "succeeded",
      card,
      paymentMethod: pi.paymentMethod!,
      created: unixNow(),
    };
    this.charges.set(charge.id, charge);
    pi.chargeId = charge.id;
    pi.nextAction = null;
    if (card.behaviour === "decline") {
      const error = {
        type: "card_error",
        code: card.code!,
        decline_code: card.declineCode,
        message: card.message!,
        charge: charge.id,
        doc_url: `https://stripe.com/docs/error-codes/${card.code}`,
      };
      pi.status = "requires_payment_method";
      pi.lastPaymentError = error;
      throw new StripeWireError(402, { ...error, payment_intent: this.intentJson(pi) });
    }
    pi.lastPaymentError = null;
    if (pi.captureMethod === "manual") {
      pi.status = "requires_capture";
      pi.amountCapturable = pi.amount;
    } else {
      pi.status = "succeeded";
      pi.amountReceived = pi.amount;
    }
    return this.intentJson(pi, expand);
  }

  private unexpected(pi: Intent, action: string): StripeWireError {
    return new StripeWireError(400, {
      type: "invalid_request_error",
      code: "payment_intent_unexpected_state",
      message: `You cannot ${action} this PaymentIntent because it has a status of ${pi.status}.`,
      payment_intent: this.intentJson(pi),
    });
  }

  /** POST /v1/payment_intents/:id/capture */
  capture(id: string, form: FormObject): Json {
    const pi = this.intent(id);
    if (pi.status !== "requires_capture") throw this.unexpected(pi, "capture");
    const amount = form.amount_to_capture === undefined ? pi.amountCapturable : positiveInt(form.amount_to_capture, "amount_to_capture");
    if (amount > pi.amountCapturable)
      throw new StripeWireError(400, {
        type: "invalid_request_error",
        code: "amount_too_large",
        param: "amount_to_capture",
        message: "The amount to capture is greater than the amount capturable.",
      });
    checkStep(pi.currency, amount, "amount_to_capture");
    pi.amountReceived = amount;
    pi.amountCapturable = 0;
    pi.status = "succeeded";
    return this.intentJson(pi, listOf(form.expand));
  }

  /** POST /v1/payment_intents/:id/cancel */
  cancel(id: string, form: FormObject): Json {
    const pi = this.intent(id);
    if (!["requires_payment_method", "requires_capture", "requires_confirmation", "requires_action", "processing"].includes(pi.status))
      throw this.unexpected(pi, "cancel");
    pi.status = "canceled";
    pi.amountCapturable = 0;
    pi.nextAction = null;
    pi.cancellationReason = str(form.cancellation_reason) ?? null;
    return this.intentJson(pi, listOf(form.expand));
  }

  /** GET /v1/payment_intents/:id */
  retrieve(id: string, query: FormObject): Json {
    return this.intentJson(this.intent(id), listOf(query.expand));
  }

  /** GET /v1/payment_intents/search: `metadata['key']:'value'` queries only. */
  search(query: FormObject): Json {
    const q = str(query.query) ?? "";
    const m = /^metadata\['([^'\\]+)'\]:'((?:[^'\\]|\\.)*)'$/.exec(q);
    if (!m) throw invalidParam("query", `This local server only searches metadata['key']:'value', got ${q}`);
    const value = m[2]!.replace(/\\(.)/g, "$1");
    const data = [...this.intents.values()]
      .filter((pi) => pi.metadata[m[1]!] === value)
      .map((pi) => this.intentJson(pi, listOf(query.expand)));
    return { object: "search_result", data, has_more: false, next_page: null, url: "/v1/payment_intents/search" };
  }

  /** POST /v1/refunds */
  refund(form: FormObject): Json {
    const r = newRefund(this.intent(str(form.payment_intent) ?? ""), this.charges, form);
    this.refunds.set(r.id, r);
    return refundJson(r);
  }

  /** GET /v1/refunds/:id */
  getRefund(id: string): Json {
    const r = this.refunds.get(id);
    if (!r)
      throw new StripeWireError(404, {
        type: "invalid_request_error",
        code: "resource_missing",
        param: "id",
        message: `No such refund: '${id}'`,
      });
    return refundJson(r);
  }

  /** A pending refund settles (as Stripe's `charge.refund.updated` would tell). */
  settleRefund(id: string, status: "succeeded" | "failed"): void {
    const r = this.refunds.get(id);
    if (!r || r.status !== "pending")
      throw new StripeWireError(400, { type: "invalid_request_error", message: `refund ${id} is not pending` });
    r.status = status;
    if (status === "failed") {
      r.failureReason = "unknown";
      this.intent(r.intent).amountRefunded -= r.amount;
    }
  }

  /** The customer finishes (or abandons) 3-D Secure on an intent in `requires_action`. */
  completeAction(id: string, outcome: "succeed" | "fail"): Json {
    const pi = this.intent(id);
    if (pi.status !== "requires_action") throw this.unexpected(pi, "authenticate");
    if (outcome === "succeed") return this.attempt(pi, { ...TEST_CARDS[pi.paymentMethod!]!, behaviour: "succeed" }, []);
    pi.status = "requires_payment_method";
    pi.nextAction = null;
    pi.lastPaymentError = {
      type: "card_error",
      code: "payment_intent_authentication_failure",
      message: "The customer failed to authenticate.",
    };
    return this.intentJson(pi);
  }
}
