/**
 * Wires @platform/commerce to @platform/payments (an optional peer dependency):
 * `createECommercePlatform({ payments: paymentPortFor(createPaymentSystem()) })`.
 * @packageDocumentation
 */
export { PaymentSystemPaymentPort, paymentPortFor, type PaymentSystemPortOptions } from "./payment-system-payment-port.js";
