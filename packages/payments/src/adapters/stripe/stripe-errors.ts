import { ConfigurationError, GatewayError, IdempotencyError, PlatformError, ValidationError } from "@platform/core";
import { paymentsCodes } from "../../domain/error-codes.js";

/** The fields of the stripe SDK's `StripeError` this mapping reads (read structurally: `stripe` is an optional peer). */
interface StripeErrorLike {
  type?: string;
  rawType?: string;
  statusCode?: number;
  code?: string;
  decline_code?: string;
  param?: string;
  requestId?: string;
  message?: string;
  charge?: string;
  payment_intent?: { id?: string; status?: string };
  detail?: unknown;
}

/**
 * What was being done when the error came: `read` (a GET: never ambiguous), `authorize` (creating or
 * confirming a PaymentIntent: Stripe's invalid-request answers are validation errors, nothing was
 * charged), `follow_up` (capture, cancel, refund: an invalid request is a refusal of that step, a
 * non-retryable `GatewayError`, so the services revert it instead of leaving it in flight).
 */
export type StripeCallKind = "read" | "authorize" | "follow_up";

// Codes of invalid requests that refuse a step because of the object's state, not our input.
const STATE_CODES = new Set([
  "payment_intent_unexpected_state",
  "charge_already_captured",
  "charge_already_refunded",
  "charge_expired_for_capture",
  "charge_disputed",
  "amount_too_large",
  "resource_missing",
  "payment_intent_invalid_parameter",
]);

const PROVIDER = "stripe";

function isStripeError(e: unknown): e is StripeErrorLike & Error {
  return e instanceof Error && typeof (e as StripeErrorLike).type === "string" && (e as StripeErrorLike).type!.startsWith("Stripe");
}

function causeCode(detail: unknown): string | undefined {
  return typeof detail === "object" && detail !== null && typeof (detail as { code?: unknown }).code === "string"
    ? (detail as { code: string }).code
    : undefined;
}

/**
 * Maps an error of the stripe SDK to the SDK's error model, by what the caller does next:
 * - card declines: `GatewayError` `card_declined`, not retryable, with Stripe's `decline_code` as `declineCode`;
 * - authentication (401) and permission (403) failures: `ConfigurationError` `stripe_authentication_failed`,
 *   `stripe_permission_denied` (fix the key; nothing was done);
 * - invalid requests: `ValidationError` `gateway_invalid_request` (or `amount_below_gateway_minimum`,
 *   `amount_above_gateway_maximum`) for an authorisation; a non-retryable `GatewayError` with Stripe's code
 *   for follow-ups refused by the object's state;
 * - 429 and a refused connection: `GatewayError` retryable, not ambiguous (nothing reached Stripe);
 * - 5xx, 409 (the same key in flight), timeouts, resets and idempotency mismatches on a POST: retryable and
 *   ambiguous (`details.ambiguous`): the charge may exist, so the payment stays `processing` until reconciled.
 */
export function mapStripeError(error: unknown, call: StripeCallKind): PlatformError {
  if (PlatformError.is(error)) return error;
  if (!isStripeError(error)) {
    // Anything else (a bug, a TypeError in a response handler) after a POST may follow a charge.
    return new GatewayError(paymentsCodes.gateway_error, `Stripe call failed: ${error instanceof Error ? error.message : String(error)}`, {
      provider: PROVIDER,
      retryable: true,
      details: { ambiguous: call !== "read" },
      cause: error,
    });
  }
  const details = {
    stripeType: error.rawType,
    stripeCode: error.code,
    param: error.param,
    requestId: error.requestId,
    statusCode: error.statusCode,
  };
  const ambiguous = call !== "read";
  switch (error.type) {
    case "StripeCardError": {
      const declineCode = error.decline_code || error.code || "generic_decline";
      return new GatewayError(paymentsCodes.card_declined, error.message, {
        provider: PROVIDER,
        retryable: false,
        declineCode,
        details: { ...details, paymentIntentId: error.payment_intent?.id, chargeId: error.charge },
        cause: error,
      });
    }
    case "StripeAuthenticationError":
      return new ConfigurationError(
        paymentsCodes.stripe_authentication_failed,
        "Stripe refused the secret key (401): check STRIPE_SECRET_KEY",
        { details, cause: error },
      );
    case "StripePermissionError":
      return new ConfigurationError(
        paymentsCodes.stripe_permission_denied,
        "the Stripe key may not do this (403): use a secret key or a restricted key with PaymentIntents and Refunds write access",
        { details, cause: error },
      );
    case "StripeRateLimitError":
      return new GatewayError(paymentsCodes.gateway_rate_limited, "Stripe rate-limited the request (429)", {
        provider: PROVIDER,
        retryable: true,
        details,
        cause: error,
      });
    case "StripeIdempotencyError":
      // The key was first used with other parameters: whatever that first request did stands, so the
      // outcome of this one is unknown, never "nothing happened".
      return call === "read"
        ? new IdempotencyError(paymentsCodes.gateway_idempotency_conflict, error.message, { details, cause: error })
        : new GatewayError(paymentsCodes.gateway_idempotency_conflict, error.message, {
            provider: PROVIDER,
            retryable: true,
            details: { ...details, ambiguous: true },
            cause: error,
          });
    case "StripeInvalidRequestError": {
      if (call === "authorize" && !STATE_CODES.has(error.code ?? "")) {
        const code =
          error.code === "amount_too_small"
            ? "amount_below_gateway_minimum"
            : error.code === "amount_too_large"
              ? "amount_above_gateway_maximum"
              : "gateway_invalid_request";
        return new ValidationError(code, `Stripe refused the request: ${error.message}`, {
          issues: error.param ? [{ path: error.param.split(/[[\]]+/).filter(Boolean), message: error.message ?? "", code }] : [],
          details,
          cause: error,
        });
      }
      return new GatewayError(error.code ?? "gateway_invalid_request", error.message, {
        provider: PROVIDER,
        retryable: false,
        declineCode: error.code,
        details,
        cause: error,
      });
    }
    case "StripeConnectionError": {
      const socket = causeCode(error.detail);
      if (socket === "ECONNREFUSED" || socket === "ENOTFOUND" || socket === "EAI_AGAIN") {
        return new GatewayError(paymentsCodes.gateway_unavailable, `Stripe is unreachable (${socket})`, {
          provider: PROVIDER,
          retryable: true,
          details: { ...details, socket },
          cause: error,
        });
      }
      return new GatewayError(paymentsCodes.gateway_timeout, `no answer from Stripe: ${error.message}`, {
        provider: PROVIDER,
        retryable: true,
        details: { ...details, socket, ambiguous },
        cause: error,
      });
    }
    default:
      // StripeAPIError: 5xx, or 409 while the same key is in flight. Stripe may have done the work.
      return new GatewayError(paymentsCodes.gateway_error, `Stripe failed (${error.statusCode ?? "no status"}): ${error.message}`, {
        provider: PROVIDER,
        retryable: true,
        details: { ...details, ambiguous },
        cause: error,
      });
  }
}
