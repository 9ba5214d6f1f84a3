import {
  ConfigurationError,
  CursorCodec,
  defaultCursorCodec,
  EventBus,
  METRICS,
  silentLogger,
  systemClock,
  traceService,
  traceTransactions,
  type BackgroundDuty,
  type Clock,
  type EventBusOptions,
  type Logger,
} from "@platform/core";
import { MemoryCommerceStore } from "./adapters/memory/memory-commerce-store.js";
import { MemoryNotificationOutbox } from "./adapters/memory/memory-notification-outbox.js";
import { DEFAULT_RESERVATION_TTL_MS } from "./domain/inventory.js";
import type { CommerceEvents } from "./domain/events.js";
import type { CommerceStore } from "./ports/commerce-store.js";
import type { EmailSender, NotificationLocaleResolver, SmsSender } from "./ports/notification-ports.js";
import type { NotificationTemplates } from "./domain/notification-rendering.js";
import type { PaymentPort } from "./ports/payment-port.js";
import type { ShippingCalculator, TaxCalculator } from "./ports/pricing-ports.js";
import { commerceDuties } from "./services/background-duties.js";
import { CartPricing } from "./services/cart-pricing.js";
import { mergeGuestCart } from "./services/cart-operations.js";
import { CartService } from "./services/cart-service.js";
import { CatalogService } from "./services/catalog-service.js";
import { CategoryService } from "./services/category-service.js";
import { CheckoutService } from "./services/checkout-service.js";
import { FlatRateShippingCalculator, PercentageTaxCalculator } from "./services/default-calculators.js";
import { InventoryService } from "./services/inventory-service.js";
import { NotificationRecorder, withNotificationRecording } from "./services/notification-recorder.js";
import { NotificationService, type RetryPolicy } from "./services/notification-service.js";
import { OrderService } from "./services/order-service.js";
import { OrderSettlement } from "./services/order-settlement.js";
import { DEFAULT_SCRYPT_PARAMS, PasswordHasher, type ScryptParams } from "./services/password-hasher.js";
import { resolveLoginThrottle, type LoginThrottleOptions } from "./services/login-guard.js";
import { UNCONFIGURED_PAYMENT_PORT } from "./services/unconfigured-payment-port.js";
import { UserService } from "./services/user-service.js";
import { commerceCodes } from "./domain/error-codes.js";

/** Options of {@link createECommercePlatform}; every one but `payments` has a working default. */
export interface ECommercePlatformOptions {
  /** Storage. Default: a new {@link MemoryCommerceStore}. */
  store?: CommerceStore;
  /** Time source. Default: the system clock. */
  clock?: Clock;
  /** Secret of page cursors, set on the store: give every app server the same one. Default: random per process. Shorter than 32 characters: ConfigurationError `weak_cursor_secret`. */
  cursorSecret?: string;
  /**
   * How payments are taken. There is no default: nothing pays unless the host chose how. Pass
   * `paymentPortFor(createPaymentSystem(...))` (from `@platform/commerce/payments`) or your own port;
   * tests and demos name the test port: `testPaymentPort()`. Without one, a platform on the in-memory
   * store (outside production) serves catalog, accounts and carts, and `orders.checkout` fails with
   * `no_payment_port`; any other store, or `NODE_ENV=production`, refuses to build.
   */
  payments?: PaymentPort;
  /**
   * Accept a payment port that moves no real money (`testMode`, e.g. `TestPaymentPort`) although
   * `NODE_ENV=production` (default false: refused there, a live shop must never take fake money).
   */
  allowTestPaymentPort?: boolean;
  /** Shipping charge. Default: flat rate 0. */
  shipping?: ShippingCalculator;
  /** Tax. Default: 0 % everywhere (configure rates by country/region). */
  tax?: TaxCalculator;
  /** Currency of empty carts. Default USD. */
  currency?: string;
  /** Stock reservation lifetime at checkout. Default 15 minutes. */
  reservationTtlMs?: number;
  /** Session lifetime. Default 24 hours. */
  sessionTtlMs?: number;
  /** Default low-stock threshold of new stock items. Default 5. */
  lowStockThreshold?: number;
  /** Ended (expired or revoked) sessions are kept this long before `users.purgeEndedSessions` removes them. Default 7 days. */
  sessionRetentionMs?: number;
  /** scrypt parameters of new password hashes (default N=2^17, r=8, p=1; a login upgrades weaker stored hashes). */
  passwordHashing?: Partial<ScryptParams>;
  /**
   * Login throttling per e-mail (progressive delay) and per client key (hard limit); see
   * `DEFAULT_LOGIN_THROTTLE`. @throws ConfigurationError `invalid_login_throttle` at build time.
   */
  loginThrottle?: LoginThrottleOptions;
  /**
   * Message senders, retry policy, and template overrides per message type and locale
   * (`templates`, `locale`). Default: an in-memory outbox (no console output), built-in English templates.
   */
  notifications?: {
    email?: EmailSender;
    sms?: SmsSender | null;
    retry?: Partial<RetryPolicy>;
    sleep?: (ms: number) => Promise<void>;
    leaseMs?: number;
    sendInProcess?: boolean;
    /** Overrides per message type and locale; checked here (`invalid_notification_templates`). */
    templates?: NotificationTemplates;
    /** The recipient's locale for `templates`, from the host's records (synchronous: it runs in the event's transaction). */
    locale?: NotificationLocaleResolver;
  };
  /** Options of the event bus (subscriber error hook). */
  events?: EventBusOptions;
  /**
   * Structured logger, pino-compatible (`info`/`warn`/`error`/`debug` taking fields and a message).
   * Receives what the platform recovers from by itself: unknown charge outcomes, failed payment
   * lookups and sweeps, notification send failures, subscriber failures, idle PostgreSQL connection
   * errors. Secrets are redacted. Default: silent.
   */
  logger?: Logger;
  /**
   * How long (ms, by the clock) a pending order must be unchanged before `orders.sweepPendingPayments`
   * asks the payment port about its charge. Default 60 s: younger ones are most likely still charging.
   */
  paymentSweepAfterMs?: number;
}

/** The platform object: one service per seed service plus the event bus. */
export interface ECommercePlatform {
  readonly products: CatalogService;
  readonly categories: CategoryService;
  readonly users: UserService;
  readonly carts: CartService;
  readonly inventory: InventoryService;
  readonly orders: OrderService;
  readonly notifications: NotificationService;
  readonly events: EventBus<CommerceEvents>;
  /** The store in use (tests and host wiring). */
  readonly store: CommerceStore;
  /** What `createWorker({ commerce })` from `@platform/core` runs: reservation expiry, the payment sweeper, notifications, purges. */
  readonly backgroundDuties: readonly BackgroundDuty[];
}

/**
 * Builds the e-commerce platform from its ports: in memory with the system clock and an in-memory
 * notification outbox unless told otherwise, and the payment port the host names (there is none by
 * default; see {@link ECommercePlatformOptions.payments}).
 * @throws ConfigurationError `no_payment_port` without `payments` on a store other than the in-memory
 *   one or under `NODE_ENV=production`; `test_payment_port_in_production` for a `testMode` port under
 *   `NODE_ENV=production` without `allowTestPaymentPort`.
 * @throws ConfigurationError `invalid_login_throttle` for a nonsensical `loginThrottle`;
 *   `invalid_notification_templates` for `notifications.templates` of unknown message types or locales.
 * @example
 * ```ts
 * const platform = createECommercePlatform({ payments: testPaymentPort(), shipping: new FlatRateShippingCalculator({ amount: "4.99" }) });
 * const mouse = await platform.products.create({ sku: "MOUSE001", name: "Mouse", price: { amount: "29.99", currency: "USD" }, initialStock: 50 });
 * platform.events.on("order.placed", (e) => console.log(e.data.orderId));
 * ```
 */
export function createECommercePlatform(options: ECommercePlatformOptions = {}): ECommercePlatform {
  const payments = paymentPortOf(options);
  const store: CommerceStore = options.store ?? new MemoryCommerceStore();
  if (options.cursorSecret !== undefined) store.setCursorSecret(options.cursorSecret);
  const clock = options.clock ?? systemClock;
  const currency = options.currency ?? "USD";
  const logger = options.logger ?? silentLogger;
  store.setLogger?.(logger);
  const n = options.notifications ?? {};
  const outbox = new MemoryNotificationOutbox();
  const sms = n.sms === undefined ? outbox : n.sms;
  // Every transaction of the services records its events' notifications before it commits, and is
  // traced (commerce.store.transaction).
  const recorder = new NotificationRecorder({
    clock,
    sms: sms !== null,
    ...(n.templates ? { templates: n.templates } : {}),
    ...(n.locale ? { locale: n.locale } : {}),
  });
  const recording = withNotificationRecording(store, recorder);
  const ctx = {
    store: traceTransactions(recording, "commerce", store.constructor.name),
    clock,
    currency,
    logger,
    cursors: options.cursorSecret === undefined ? defaultCursorCodec : new CursorCodec(options.cursorSecret),
  };
  const events = new EventBus<CommerceEvents>(
    options.events?.onError || !options.logger ? options.events : { ...options.events, logger: options.logger },
  );
  store.setEventPublisher((batch) => events.publish(batch));

  const pricing = new CartPricing(
    options.shipping ?? new FlatRateShippingCalculator(),
    options.tax ?? new PercentageTaxCalculator(),
    currency,
  );
  const carts = new CartService(ctx, pricing);
  const hasher = new PasswordHasher({ ...DEFAULT_SCRYPT_PARAMS, ...options.passwordHashing });
  const users = new UserService(ctx, {
    hasher,
    ...(options.sessionTtlMs !== undefined ? { sessionTtlMs: options.sessionTtlMs } : {}),
    throttle: resolveLoginThrottle(options.loginThrottle),
    ...(options.sessionRetentionMs !== undefined ? { sessionRetentionMs: options.sessionRetentionMs } : {}),
    mergeGuestCart: (tx, customerId, guestCartId) => mergeGuestCart(tx, clock, customerId, guestCartId),
  });
  const checkout = new CheckoutService(ctx, pricing, payments, options.reservationTtlMs ?? DEFAULT_RESERVATION_TTL_MS);
  // Sending records no notifying event (only notification.failed), so its transactions (a claim, a
  // settlement and the last, empty claim of each run) skip the recording view of every other transaction.
  const notifications = new NotificationService(
    { ...ctx, store: traceTransactions(store, "commerce", store.constructor.name) },
    {
      email: n.email ?? outbox,
      sms,
      ...(n.retry ? { retry: n.retry } : {}),
      ...(n.sleep ? { sleep: n.sleep } : {}),
      ...(n.leaseMs !== undefined ? { leaseMs: n.leaseMs } : {}),
      ...(n.sendInProcess !== undefined ? { sendInProcess: n.sendInProcess } : {}),
    },
    events,
  );

  // Each public service call is one span, `commerce.<service>.<method>`; internal calls between
  // services use the unwrapped objects and show as that span's store and payment children.
  const inventory = traceService(new InventoryService(ctx, new OrderSettlement(ctx, payments)), "commerce.inventory");
  const orders = traceService(
    new OrderService(
      ctx,
      checkout,
      payments,
      options.paymentSweepAfterMs !== undefined ? { paymentSweepAfterMs: options.paymentSweepAfterMs } : {},
    ),
    "commerce.orders",
    { counters: { checkout: METRICS.checkouts } },
  );
  const tracedUsers = traceService(users, "commerce.users");
  const tracedNotifications = traceService(notifications, "commerce.notifications");
  return {
    products: traceService(new CatalogService(ctx, options.lowStockThreshold ?? 5), "commerce.products"),
    categories: traceService(new CategoryService(ctx), "commerce.categories"),
    users: tracedUsers,
    carts: traceService(carts, "commerce.carts"),
    inventory,
    orders,
    notifications: tracedNotifications,
    events,
    store,
    backgroundDuties: commerceDuties({ inventory, orders, users: tracedUsers, notifications: tracedNotifications, store }),
  };
}

const NO_PORT_HELP =
  "createECommercePlatform needs `payments` to take money and uses none by default: pass { payments: paymentPortFor(createPaymentSystem({ gateways: { stripe: ... } })) } " +
  "(from @platform/commerce/payments) or your own PaymentPort; tests and demos pass { payments: testPaymentPort() } (moves no real money)";

// The port of the options, or the fail-closed stand-in where a platform without one is still useful
// (catalog-only, in memory, outside production). A persistent store or production needs a real port.
function paymentPortOf(options: ECommercePlatformOptions): PaymentPort {
  const production = globalThis.process?.env?.NODE_ENV === "production";
  const port = options.payments;
  if (!port) {
    const inMemory = options.store === undefined || options.store instanceof MemoryCommerceStore;
    if (production || !inMemory) {
      throw new ConfigurationError(
        commerceCodes.no_payment_port,
        `${NO_PORT_HELP}${production ? " (NODE_ENV is production)" : " (the store is not the in-memory one)"}`,
      );
    }
    return UNCONFIGURED_PAYMENT_PORT;
  }
  if (production && port.testMode === true && options.allowTestPaymentPort !== true) {
    throw new ConfigurationError(
      commerceCodes.test_payment_port_in_production,
      "the payment port is a test port and moves no real money; NODE_ENV is production. Pass a real port, or allowTestPaymentPort: true for a staging shop that must take test payments",
    );
  }
  return port;
}
