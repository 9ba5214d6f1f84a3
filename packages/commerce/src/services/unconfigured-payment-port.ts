import { ConfigurationError } from "@platform/core";
import type { ChargeResult, ChargeStatus, PaymentPort } from "../ports/payment-port.js";
import { commerceCodes } from "../domain/error-codes.js";

const HELP =
  "no payment port is configured, so nothing can be paid: pass { payments: paymentPortFor(createPaymentSystem({ gateways: { stripe: ... } })) } " +
  "(from @platform/commerce/payments) or your own PaymentPort to createECommercePlatform, or { payments: testPaymentPort() } in tests and demos";

/** The error of a platform built without `payments` that is asked to take money. */
export function noPaymentPortError(): ConfigurationError {
  return new ConfigurationError(commerceCodes.no_payment_port, HELP);
}

/**
 * Stands in for the payment port of a platform built without one (memory store, not production):
 * catalog, carts and accounts work, and anything that would move money fails closed. Checkout asks
 * {@link isUnconfiguredPaymentPort} before it reserves anything, so it changes nothing either.
 */
export const UNCONFIGURED_PAYMENT_PORT: PaymentPort = Object.freeze({
  async charge(): Promise<ChargeResult> {
    throw noPaymentPortError();
  },
  async retrieve(): Promise<ChargeStatus> {
    throw noPaymentPortError();
  },
  async refund(): Promise<{ reference: string }> {
    throw noPaymentPortError();
  },
});

/** True for the stand-in of a platform built without a payment port. */
export function isUnconfiguredPaymentPort(port: PaymentPort): boolean {
  return port === UNCONFIGURED_PAYMENT_PORT;
}
