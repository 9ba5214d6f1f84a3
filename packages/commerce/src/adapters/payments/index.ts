/**
 * Wires @platform/commerce to @platform/payments (an optional peer dependency):
 * `createECommercePlatform({ payments: paymentPortFor(createPaymentSystem({ gateways: { stripe: myStripeGateway } })) })`.
 * @packageDocumentation
 */
export {
  PaymentSystemPaymentPort,
  paymentPortFor,
  followPaymentEvents,
  COMMERCE_PAYMENTS_ACTOR,
  PAYMENT_EVENTS_ACTOR,
  type PaymentSystemPortOptions,
} from "./payment-system-payment-port.js";
