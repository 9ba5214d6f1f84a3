/**
 * @platform/commerce: catalog and search, customers and sessions, carts, inventory
 * reservations, orders and checkout, and notifications, built by `createECommercePlatform({ payments })`.
 * @packageDocumentation
 */
export { createECommercePlatform, type ECommercePlatform, type ECommercePlatformOptions } from "./create-platform.js";

// Error codes
export { COMMERCE_ERROR_CODES, commerceCodes, type CommerceErrorCode } from "./domain/error-codes.js";

// Services
export { CatalogService, createProductWithStockSchema } from "./services/catalog-service.js";
export { productSearchSchema, type ProductSearchInput } from "./services/product-search-schema.js";
export { CategoryService } from "./services/category-service.js";
export { UserService, type LoginResult, type RegistrationReceipt, type UserServiceOptions } from "./services/user-service.js";
export { DEFAULT_SESSION_RETENTION_MS } from "./services/customer-sessions.js";
export {
  DEFAULT_LOGIN_THROTTLE,
  resolveLoginThrottle,
  type AttemptSource,
  type LoginThrottleOptions,
  type LoginThrottlePolicy,
} from "./services/login-guard.js";
export { AddressBook } from "./services/address-book.js";
export { CartService, type CartRef } from "./services/cart-service.js";
export { CartPricing, toCartJSON, type CartView, type CartJSON, type PricedLine, type CartIssue } from "./services/cart-pricing.js";
export { InventoryService, toStockView, type StockView } from "./services/inventory-service.js";
export { OrderService } from "./services/order-service.js";
export { DEFAULT_PAYMENT_SWEEP_AFTER_MS, type PaymentSweepSummary } from "./services/payment-sweeper.js";
export { classifyChargeError, type ChargeFailure } from "./domain/charge-outcome.js";
export { CheckoutService } from "./services/checkout-service.js";
export { NotificationService, type NotificationOptions, type RetryPolicy } from "./services/notification-service.js";
export {
  NotificationDispatcher,
  type NotificationDispatcherOptions,
  type NotificationDispatchReport,
} from "./services/notification-dispatcher.js";
export { NotificationRecorder, withNotificationRecording, NOTIFYING_EVENTS } from "./services/notification-recorder.js";
export type {
  NewNotification,
  ClaimedNotification,
  DeadLetterNotification,
  NotificationChannel,
  NotificationSettlement,
} from "./domain/notification-job.js";
export {
  FlatRateShippingCalculator,
  PercentageTaxCalculator,
  type FlatRateOptions,
  type PercentageTaxOptions,
} from "./services/default-calculators.js";
export { PasswordHasher, DEFAULT_SCRYPT_PARAMS, type ScryptParams } from "./services/password-hasher.js";

// Domain
export { ADMIN_ACTOR, roleSchema, lineQuantitySchema, type Actor, type Role } from "./domain/schemas.js";
export {
  createProductSchema,
  updateProductSchema,
  productStatusSchema,
  unitPriceOf,
  stockKeyOf,
  type Product,
  type ProductVariant,
  type ProductImage,
  type ProductStatus,
  type CreateProductInput,
  type UpdateProductInput,
} from "./domain/product.js";
export { createCategorySchema, moveCategorySchema, slugify, type Category, type CreateCategoryInput } from "./domain/category.js";
export {
  registerSchema,
  loginSchema,
  passwordSchema,
  customerEmailSchema,
  updateProfileSchema,
  changePasswordSchema,
  toCustomerJSON,
  type Customer,
  type CustomerJSON,
  type CustomerProfile,
  type PasswordHash,
  type RegisterInput,
  type LoginInput,
} from "./domain/customer.js";
export { type Session, DEFAULT_SESSION_TTL_MS } from "./domain/session.js";
export { claimAttempt, isStale, type LoginThrottle, type AttemptPolicy, type AttemptClaim } from "./domain/login-throttle.js";
export {
  addAddressSchema,
  addressFieldsSchema,
  setDefaultAddressSchema,
  type Address,
  type AddressSnapshot,
  type AddAddressInput,
} from "./domain/address.js";
export {
  addCartItemSchema,
  addCartItemsSchema,
  setCartQuantitySchema,
  removeCartItemSchema,
  MAX_CART_LINES,
  MAX_LINE_QUANTITY,
  type Cart,
  type CartLine,
  type AddCartItemInput,
  type AddCartItemsInput,
  type GuestCartMerge,
} from "./domain/cart.js";
export {
  adjustStockSchema,
  adjustmentReasonSchema,
  lowStockThresholdSchema,
  available,
  DEFAULT_RESERVATION_TTL_MS,
  type StockLevel,
  type Reservation,
  type ReservationLine,
  type ReservationStatus,
  type StockAdjustment,
  type AdjustmentReason,
  type AdjustStockInput,
} from "./domain/inventory.js";
export {
  checkoutSchema,
  fulfillSchema,
  shipSchema,
  cancelSchema,
  orderStatusSchema,
  ORDER_TRANSITIONS,
  assertTransition,
  toOrderJSON,
  type Order,
  type OrderJSON,
  type OrderLineJSON,
  type OrderLine,
  type OrderPayment,
  type OrderPaymentAction,
  isPaymentOpen,
  type OrderStatus,
  type CheckoutInput,
} from "./domain/order.js";
export { type CommerceEvents } from "./domain/events.js";
export {
  orderConfirmation,
  orderShipped,
  passwordChanged,
  registrationAttempted,
  escapeHtml,
  type RenderedMessage,
} from "./domain/notification-templates.js";
export {
  NOTIFICATION_TEMPLATE_NAMES,
  canonicalLocale,
  checkNotificationTemplates,
  selectTemplate,
  type NotificationTemplateName,
  type NotificationTemplateInputs,
  type NotificationTemplate,
  type NotificationTemplates,
} from "./domain/notification-rendering.js";
export { foldText, normalizeSku } from "./domain/text.js";

// Ports
export type * from "./ports/index.js";
export { emailMessageSchema, smsMessageSchema } from "./domain/notification-message.js";

// Default adapters
export { MemoryCommerceStore, type MemoryCommerceStoreOptions } from "./adapters/memory/memory-commerce-store.js";
export { MemoryNotificationOutbox } from "./adapters/memory/memory-notification-outbox.js";
export {
  TestPaymentPort,
  testPaymentPort,
  DECLINING_TOKENS,
  TIMEOUT_AFTER_CHARGE_TOKEN,
  type TestCharge,
} from "./adapters/memory/test-payment-port.js";
