/**
 * Wires @platform/commerce to @platform/payments (an optional peer dependency):
 * `createECommercePlatform({ payments: paymentPortFor(createPaymentSystem({ gateways: { stripe: myStripeGateway } })) })`.
 * @packageDocumentation
 */
export { PaymentSystemPaymentPort, paymentPortFor, type PaymentSystemPortOptions } from "./payment-system-payment-port.js";
