export type { CommerceStore, CommerceTx } from "./commerce-store.js";
export type { ProductRepository, ProductSearchQuery, ProductHit, ProductSort } from "./product-repository.js";
export type { CategoryRepository } from "./category-repository.js";
export type { CustomerRepository, SessionRepository, LoginThrottleRepository, AddressRepository } from "./customer-repository.js";
export type { CartRepository } from "./cart-repository.js";
export type { InventoryRepository } from "./inventory-repository.js";
export type { OrderRepository } from "./order-repository.js";
export type { PaymentPort, ChargeRequest, ChargeResult, RefundRequest, ChargeLookup, ChargeStatus } from "./payment-port.js";
export type { ShippingCalculator, TaxCalculator, PricingContext } from "./pricing-ports.js";
export type {
  EmailSender,
  SmsSender,
  EmailMessage,
  SmsMessage,
  IdentifiedEmailMessage,
  IdentifiedSmsMessage,
  NotificationLocaleResolver,
  SendOptions,
} from "./notification-ports.js";
export type { NotificationRepository, NotificationClaim } from "./notification-repository.js";
