import { GatewayError } from "@platform/core";
import type Stripe from "stripe";
import type { GatewayAuthorization } from "../../ports/payment-gateway.js";
import { fromStripeAmount } from "./stripe-amounts.js";
import { actionOf, declineCodeOf, gatewayDataOf, type StripeGatewayData } from "./stripe-intents.js";

/** An authorisation, with what Stripe knows about it. */
export type StripeAuthorization = GatewayAuthorization & { readonly gatewayData: StripeGatewayData };

/** The GatewayError of a PaymentIntent that did not reach the state asked for, named after the gateway as registered. */
export function failIntent(
  gatewayName: string,
  code: string,
  message: string,
  options: { retryable: boolean; declineCode?: string; ambiguous?: boolean; pi?: Stripe.PaymentIntent },
): never {
  throw new GatewayError(code, message, {
    provider: gatewayName,
    retryable: options.retryable,
    ...(options.declineCode ? { declineCode: options.declineCode } : {}),
    details: {
      ...(options.ambiguous ? { ambiguous: true } : {}),
      ...(options.pi ? { paymentIntentId: options.pi.id, paymentIntentStatus: options.pi.status } : {}),
    },
  });
}

/**
 * The authorisation a confirmed PaymentIntent stands for: `captured`, `authorized` or `requires_action`.
 * @throws GatewayError `card_declined`, `payment_canceled`, or the ambiguous `gateway_pending` (processing or unknown state).
 */
export function authorizationOf(gatewayName: string, pi: Stripe.PaymentIntent): StripeAuthorization {
  const gatewayData = gatewayDataOf(pi);
  switch (pi.status) {
    case "succeeded":
      return {
        reference: pi.id,
        status: "captured",
        amountAuthorized: fromStripeAmount(pi.amount, pi.currency),
        amountCaptured: fromStripeAmount(pi.amount_received, pi.currency),
        gatewayData,
      };
    case "requires_capture":
      return {
        reference: pi.id,
        status: "authorized",
        amountAuthorized: fromStripeAmount(pi.amount_capturable, pi.currency),
        amountCaptured: fromStripeAmount(0, pi.currency),
        gatewayData,
      };
    case "requires_action":
      // The customer must authenticate (3-D Secure) on the host's front end with the client secret.
      return {
        reference: pi.id,
        status: "requires_action",
        amountAuthorized: fromStripeAmount(0, pi.currency),
        amountCaptured: fromStripeAmount(0, pi.currency),
        gatewayData,
        action: actionOf(pi),
      };
    case "requires_payment_method":
      return failIntent(gatewayName, "card_declined", pi.last_payment_error?.message ?? "the card was declined", {
        retryable: false,
        declineCode: declineCodeOf(pi) ?? "generic_decline",
        pi,
      });
    case "canceled":
      return failIntent(gatewayName, "payment_canceled", "the PaymentIntent was canceled", { retryable: false, pi });
    default:
      // processing (asynchronous methods) or a state this version does not know: the outcome is Stripe's to tell.
      return failIntent(gatewayName, "gateway_pending", `the PaymentIntent is ${pi.status}`, { retryable: true, ambiguous: true, pi });
  }
}
