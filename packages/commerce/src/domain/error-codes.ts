import { defineErrorCodes } from "@platform/core";

/**
 * Every error code thrown by \@platform/commerce that core does not already declare, with its kind
 * and when it is thrown (docs/commerce.md's table is rendered from it). Core's codes
 * (`CORE_ERROR_CODES`) are answered too.
 */
export const COMMERCE_ERROR_CODES = {
  // validation
  invalid_name: { kind: "validation", description: "a product, category or customer name is empty or too long" },
  invalid_sku: {
    kind: "validation",
    description: "a SKU is empty, too long or holds characters other than letters, digits, `-`, `_` and `.`",
  },
  unknown_variant_sku: {
    kind: "validation",
    description: "`variantStock` of `products.create` names a SKU of no variant of the product, or one variant twice",
  },
  invalid_email: { kind: "validation", description: "an e-mail address is malformed" },
  weak_password: { kind: "validation", description: "a new password is not 10-128 characters with a letter and a digit or symbol" },
  invalid_phone: {
    kind: "validation",
    description: "a phone number is not 3-20 digits, spaces, dashes or parentheses with an optional leading `+`",
  },
  invalid_address: { kind: "validation", description: "an address line, city, region or postal code is empty or too long" },
  invalid_country: { kind: "validation", description: "a country is not an ISO 3166-1 alpha-2 code" },
  invalid_client_key: { kind: "validation", description: "`source.clientKey` of a login or password change is empty or too long" },
  quantity_too_large: { kind: "validation", description: "a cart line would hold more units than the line maximum" },
  invalid_items: { kind: "validation", description: "`items` of `carts.addItems` is not a list of 1 to 100 items" },
  variant_required: { kind: "validation", description: "a product sold by variant was added to a cart without `variantId`" },
  over_fulfilment: { kind: "validation", description: "`orders.fulfill` asked for more units of a line than remain to fulfil" },
  payment_method_required: {
    kind: "validation",
    description: "checkout gave no payment token and the payments adapter has no default payment method",
  },
  // not found
  product_not_found: { kind: "not_found", description: "no product with this id or SKU" },
  variant_not_found: { kind: "not_found", description: "the product has no variant with this id" },
  category_not_found: { kind: "not_found", description: "no category with this id" },
  customer_not_found: { kind: "not_found", description: "no customer with this id (an actor whose account is gone)" },
  address_not_found: {
    kind: "not_found",
    description: "no address with this id among the actor's addresses (another customer's answers the same)",
  },
  cart_not_found: { kind: "not_found", description: "no guest cart with this id (or it was merged into a customer's cart)" },
  line_not_found: { kind: "not_found", description: "the cart or order has no line for this item" },
  order_not_found: { kind: "not_found", description: "no order with this id visible to the actor (another customer's answers the same)" },
  stock_not_found: { kind: "not_found", description: "no stock item for this product or variant" },
  reservation_not_found: { kind: "not_found", description: "a store was asked about a stock reservation it does not hold" },
  notification_not_found: {
    kind: "not_found",
    description: "no notification with this id waiting or dead-lettered (sent ones are not kept)",
  },
  // conflict
  email_taken: { kind: "conflict", description: "another customer already registered this e-mail (case-insensitive)" },
  sku_taken: { kind: "conflict", description: "another product or variant already has this SKU (case-insensitive)" },
  slug_taken: { kind: "conflict", description: "another category already has this slug" },
  notification_not_dead_lettered: {
    kind: "conflict",
    description: "`notifications.retryDeadLetter` named a notification that is still queued, not dead-lettered",
  },
  cart_exists: { kind: "conflict", description: "the customer already has a cart (two first writes raced; the store keeps one)" },
  idempotency_key_taken: {
    kind: "conflict",
    description: "the customer already placed an order with this idempotency key (two checkouts raced)",
  },
  version_conflict: {
    kind: "conflict",
    description: "the record changed since it was read (`expectedVersion`, or a concurrent write); read it again and retry",
  },
  checkout_in_progress: {
    kind: "conflict",
    description: "another checkout of this cart is running or its payment outcome is still unknown",
  },
  idempotency_conflict: {
    kind: "idempotency",
    description: "a checkout's idempotency key was reused with other parameters (address, payment token)",
  },
  // domain rules
  product_unavailable: { kind: "domain_rule", description: "the product is a draft or archived and cannot be added to a cart" },
  cart_full: { kind: "domain_rule", description: "the cart already holds the maximum number of lines" },
  empty_cart: { kind: "domain_rule", description: "checkout of a cart without lines" },
  cart_changed: {
    kind: "domain_rule",
    description: "prices or availability changed since the cart was read; accept the changes (`carts.acceptChanges`) and retry",
  },
  insufficient_stock: { kind: "domain_rule", description: "a reservation asked for more units than are available (nothing was reserved)" },
  negative_stock: { kind: "domain_rule", description: "a stock adjustment would take on-hand stock below what is reserved or below zero" },
  over_release: { kind: "domain_rule", description: "stock would be released or restocked beyond what was reserved or sold" },
  reservation_not_active: { kind: "domain_rule", description: "a stock reservation was committed or released twice" },
  invalid_transition: {
    kind: "domain_rule",
    description: "the order cannot move from its status to the asked one (`details.from`, `details.to`)",
  },
  category_cycle: { kind: "domain_rule", description: "a category would move under itself or one of its descendants" },
  order_canceled: { kind: "domain_rule", description: "the checkout's order was canceled before its payment completed" },
  reservation_expired: {
    kind: "domain_rule",
    description: "the checkout's stock reservation expired before its payment completed; the order was canceled",
  },
  // authentication and authorisation
  invalid_credentials: { kind: "unauthenticated", description: "the e-mail or password is wrong (the same answer for both)" },
  invalid_session: { kind: "unauthenticated", description: "the session token is unknown, malformed or revoked" },
  session_expired: { kind: "unauthenticated", description: "the session token has expired" },
  too_many_attempts: {
    kind: "unauthenticated",
    description: "password checks for this e-mail or client key are throttled (`details.retryAt`)",
  },
  forbidden: { kind: "forbidden", description: "a customer asked for another customer's order history" },
  // gateways (the payment port, SMTP)
  payment_pending: {
    kind: "gateway",
    description: "the outcome of the order's payment is still unknown; the order stays pending and is reconciled (retry later)",
  },
  gateway_timeout: {
    kind: "gateway",
    description: "`TestPaymentPort`: the charge was made but its answer timed out (`TIMEOUT_AFTER_CHARGE_TOKEN`)",
  },
  charge_not_found: { kind: "gateway", description: "`TestPaymentPort`: a refund or lookup named a charge it never made" },
  refund_exceeds_charge: { kind: "gateway", description: "`TestPaymentPort`: refunds would exceed the charged amount" },
  card_declined: { kind: "gateway", description: "`TestPaymentPort`: the test token `tok_declined` was declined" },
  insufficient_funds: { kind: "gateway", description: "`TestPaymentPort`: the test token `tok_insufficient_funds` was declined" },
  expired_card: { kind: "gateway", description: "`TestPaymentPort`: the test token `tok_expired` was declined" },
  payment_failed: { kind: "gateway", description: "the payment failed and the payment port gave no decline code" },
  refund_failed: { kind: "gateway", description: "the payment system refused a refund and gave no code" },
  smtp_failed: { kind: "gateway", description: "the SMTP server refused or dropped a message (retried by the notification queue)" },
  // configuration
  no_payment_port: {
    kind: "configuration",
    description: "the platform was built without `payments` (checkout), or without one on a persistent store or in production (build time)",
  },
  test_payment_port_in_production: {
    kind: "configuration",
    description: "a test payment port was given under `NODE_ENV=production` without `allowTestPaymentPort`",
  },
  invalid_login_throttle: {
    kind: "configuration",
    description: "the `loginThrottle` option is nonsensical (e.g. a maximum delay below the base delay)",
  },
  invalid_notification_templates: {
    kind: "configuration",
    description: "`notifications.templates` names an unknown message type or locale",
  },
  missing_peer_dependency: { kind: "configuration", description: "the SMTP sender needs `nodemailer`, which is not installed" },
} as const;

/** The codes of \@platform/commerce as constants: `commerceCodes.order_not_found === "order_not_found"`. */
export const commerceCodes = defineErrorCodes(COMMERCE_ERROR_CODES);

/** A code thrown by \@platform/commerce (core's codes aside). */
export type CommerceErrorCode = keyof typeof COMMERCE_ERROR_CODES;
