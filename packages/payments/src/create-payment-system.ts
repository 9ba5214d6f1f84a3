import {
  EventBus,
  durationMs,
  parse,
  systemClock,
  ConfigurationError,
  countMetric,
  METRICS,
  silentLogger,
  traceService,
  traceTransactions,
  type BackgroundDuty,
  type Clock,
  type DurationInput,
  type Logger,
} from "@platform/core";
import { z } from "zod";
import { MemoryPaymentStore } from "./adapters/memory/memory-payment-store.js";
import type { PaymentEventMap } from "./domain/events.js";
import { DEFAULT_RISK_CONFIG, type RiskScoreConfig } from "./domain/fraud-assessment.js";
import { routingRuleSchema, type RoutingRule } from "./domain/routing.js";
import { maxAmountOf } from "./domain/amount-limit.js";
import type { PaymentGateway } from "./ports/payment-gateway.js";
import type { PaymentStore } from "./ports/payment-store.js";
import type { ServiceContext } from "./services/context.js";
import { FraudService } from "./services/fraud-service.js";
import { FraudAssessor } from "./services/fraud-assessor.js";
import { GatewayRegistry } from "./services/gateway-registry.js";
import { DEFAULT_IDEMPOTENCY_LEASE_MS } from "./domain/idempotency.js";
import { IdempotencyRunner } from "./services/idempotency-runner.js";
import { PaymentReconciler } from "./services/payment-reconciler.js";
import { PaymentService } from "./services/payment-service.js";
import { PaymentSettlement } from "./services/payment-settlement.js";
import { RefundService } from "./services/refund-service.js";
import { GatewayEventService } from "./services/gateway-event-service.js";
import { TransactionService } from "./services/transaction-service.js";
import { WebhookQueue } from "./services/webhook-queue.js";
import { WebhookService, type WebhookOptions } from "./services/webhook-service.js";
import { createWebhookTransport } from "./adapters/http/http-webhook-transport.js";
import { MaintenanceService, type RetentionOptions } from "./services/maintenance-service.js";
import { paymentDuties } from "./services/background-duties.js";
import { paymentsCodes } from "./domain/error-codes.js";

/** Options of {@link createPaymentSystem}; every one but `gateways` has a working default. */
export interface PaymentSystemOptions {
  /** Storage (default: a new in-memory store). */
  store?: PaymentStore;
  /** Time source (default: system clock). */
  clock?: Clock;
  /** Secret of page cursors, set on the store: give every app server the same one. Default: random per process. Shorter than 32 characters: ConfigurationError `weak_cursor_secret`. */
  cursorSecret?: string;
  /**
   * Gateways by name, or a registry: at least one is required (there is no default: nothing pays
   * unless the host chose how). Tests and demos name the test gateway: `{ test: new TestGateway() }`.
   */
  gateways?: Record<string, PaymentGateway> | GatewayRegistry;
  /**
   * Accept gateways that move no real money (`testMode`, e.g. `TestGateway`) although
   * `NODE_ENV=production` (default false: refused there, a live system must never take fake money).
   */
  allowTestGateways?: boolean;
  /**
   * The largest amount `payments.create`, `payments.capture` and `refunds.create` accept, in the
   * currency's minor units (default 99,999,999, as Stripe: 999,999.99 USD, 99,999,999 JPY); larger
   * inputs are refused with `amount_too_large`. At most 10^18 - 1 (core's money limit).
   */
  maxAmount?: number | bigint;
  /** Gateway used when no routing rule matches (default: the first registered). */
  defaultGateway?: string;
  /** Ordered routing rules (first match wins). */
  routing?: RoutingRule[];
  /** Gateways tried in order when the chosen one is unavailable before charging (default none). */
  fallback?: string[];
  /** How long a manual authorisation holds (default 7 days). */
  authorizationTtl?: DurationInput;
  /**
   * How long a payment waits in `requires_action` for its customer (3-D Secure) before
   * `payments.expireActions()` cancels it (default 1 hour, by the clock; at least 1 minute, at most
   * 7 days). Give the customer enough time; a commerce checkout holds its stock no longer than its
   * reservation TTL, so keep this at or below it.
   */
  requiresActionTtl?: DurationInput;
  /**
   * How long a payment must have been `processing` (by the clock) before `payments.reconcileDue()` asks
   * the gateway about it (default 60 s): a younger one may be in flight.
   */
  reconcileAfter?: DurationInput;
  /**
   * Lease of an in-progress idempotency key (default 5 s, by the clock; at least 100 ms). Its owner
   * renews it while the gateway call runs; once an owner stops renewing (crashed), the next call
   * with the key takes the operation over after this long and resumes it with the same provider key.
   */
  idempotencyLease?: DurationInput;
  /** Risk score thresholds (default: block >= 90, review >= 75). */
  fraud?: Partial<RiskScoreConfig>;
  /** Webhook transport, timeout, retry schedule and URL policy. */
  webhooks?: WebhookOptions;
  /** Receives subscriber failures of `events` (default: a `logger` line when a logger is given, else console.error). */
  onEventError?: (error: unknown) => void;
  /**
   * Structured logger, pino-compatible (`info`/`warn`/`error`/`debug` taking fields and a message).
   * Receives what the system recovers from by itself: gateway failures, webhook attempt failures,
   * dispatch runs, lease renewals, idle PostgreSQL connection errors, subscriber failures. Secrets are
   * redacted. Default: silent.
   */
  logger?: Logger;
  /** How long expired idempotency keys (default 7 days) and finished webhook deliveries (default 30 days) are kept before `maintenance` purges them. */
  retention?: RetentionOptions;
}

/** The payment system: one service per service of the specification, plus the typed event bus. */
export interface PaymentSystem {
  readonly payments: PaymentService;
  readonly transactions: TransactionService;
  readonly refunds: RefundService;
  readonly webhooks: WebhookService;
  readonly fraud: FraudService;
  /** Retention purges for a background worker. */
  readonly maintenance: MaintenanceService;
  /** Provider events (Stripe webhooks through `handleStripeWebhook`) applied to payments and refunds, once each. */
  readonly gatewayEvents: GatewayEventService;
  readonly events: EventBus<PaymentEventMap>;
  readonly gateways: GatewayRegistry;
  readonly store: PaymentStore;
  readonly clock: Clock;
  /** What `createWorker({ payments })` from `@platform/core` runs: webhook dispatch, reconciliations, authorisation expiry, purges. */
  readonly backgroundDuties: readonly BackgroundDuty[];
}

/**
 * Builds the payment system from its ports: the in-memory store and the system clock unless told
 * otherwise, and the gateways the host names (there is no default gateway; tests and demos pass
 * `{ test: new TestGateway() }`).
 * @throws ConfigurationError `no_payment_gateway` when no gateway is given,
 *   `test_gateway_in_production` for a test gateway under `NODE_ENV=production` without `allowTestGateways`,
 *   `unknown_gateway` when routing, fallback or the default name an unregistered gateway.
 * @throws ValidationError for malformed options (`invalid_max_amount` for a `maxAmount` that is not a positive integer below 10^18).
 * @example
 * ```ts
 * const system = createPaymentSystem({ gateways: { stripe: new StripeGateway(key) } });
 * const sandbox = createPaymentSystem({ gateways: { test: new TestGateway() } }); // tests and demos
 * const actor = { id: "key_checkout", roles: ["payments:write"] }; // who calls: from your own authentication
 * const payment = await system.payments.create(actor, { amount: { amount: "99.99", currency: "USD" }, paymentMethod: "pm_card_visa" });
 * system.events.on("payment.succeeded", (e) => console.log(e.data.payment.id));
 * ```
 */
export function createPaymentSystem(options: PaymentSystemOptions = {}): PaymentSystem {
  const store: PaymentStore = options.store ?? new MemoryPaymentStore();
  if (options.cursorSecret !== undefined) store.setCursorSecret(options.cursorSecret);
  const clock = options.clock ?? systemClock;
  const registry = gatewayRegistryOf(options);
  const routing = parse(z.array(routingRuleSchema), options.routing ?? []) as RoutingRule[];
  const fallback = parse(z.array(z.string().min(1)), options.fallback ?? []);
  const defaultGateway = options.defaultGateway ?? registry.names()[0]!;
  // More gateways may be registered later (system.gateways.register), so names are checked on use
  // too; here we fail fast when the wiring is already known to be wrong.
  for (const name of [defaultGateway, ...fallback, ...routing.flatMap((r) => [r.gateway, ...(r.fallback ?? [])])]) {
    if (!registry.has(name))
      throw new ConfigurationError(paymentsCodes.unknown_gateway, `gateway ${JSON.stringify(name)} is not registered`, {
        details: { gateway: name },
      });
  }
  const ttl = durationMs(options.authorizationTtl ?? { days: 7 });
  const { reconcileAfter, idempotencyLease, actionTtl } = parse(
    z.object({
      reconcileAfter: z.number().int().min(0),
      idempotencyLease: z.number().int().min(100).max(3_600_000),
      actionTtl: z
        .number()
        .int()
        .min(60_000)
        .max(7 * 86_400_000),
    }),
    {
      reconcileAfter: durationMs(options.reconcileAfter ?? 60_000),
      actionTtl: durationMs(options.requiresActionTtl ?? { hours: 1 }),
      idempotencyLease: durationMs(options.idempotencyLease ?? DEFAULT_IDEMPOTENCY_LEASE_MS),
    },
  );
  const logger = options.logger ?? silentLogger;
  registry.useLogger(logger);
  store.setLogger?.(logger);
  const events = new EventBus<PaymentEventMap>(
    options.onEventError ? { onError: options.onEventError } : options.logger ? { logger: options.logger } : {},
  );
  // Services see a store whose transactions are traced (payments.store.transaction).
  // The webhook queue comes first, so the context is complete when built (never patched afterwards).
  const webhookQueue = new WebhookQueue(clock);
  const ctx: ServiceContext = {
    store: traceTransactions(store, "payments"),
    clock,
    gateways: registry,
    logger,
    maxAmountMinor: maxAmountOf(options.maxAmount),
    enqueueDeliveries: (tx, event) => webhookQueue.enqueue(tx, event),
  };
  const webhooks = new WebhookService(
    ctx,
    {
      ...options.webhooks,
      transport: options.webhooks?.transport ?? createWebhookTransport({ allowPrivateNetworks: options.webhooks?.allowPrivateNetworks }),
    },
    webhookQueue,
  );
  const autoDispatch = options.webhooks?.autoDispatch ?? true;
  store.setEventPublisher((list) => {
    for (const e of list) {
      const status = e.type.startsWith("payment.") ? (e.data as { payment?: { status?: unknown } }).payment?.status : undefined;
      if (typeof status === "string") countMetric(METRICS.payments, { "platform.status": status });
    }
    events.publish(list);
    if (autoDispatch) webhooks.kick();
  });
  const idempotency = new IdempotencyRunner(ctx.store, clock, { leaseMs: idempotencyLease, logger });
  const fraud = new FraudService(ctx);
  const assessor = new FraudAssessor(ctx, { ...DEFAULT_RISK_CONFIG, ...options.fraud });
  const settlement = new PaymentSettlement(ctx, ttl, actionTtl);
  const reconciler = new PaymentReconciler(ctx, settlement, reconcileAfter);
  const refundService = new RefundService(ctx, idempotency);
  // Each public service call is one span, `payments.<service>.<method>`.
  const payments = traceService(
    new PaymentService(ctx, assessor, idempotency, settlement, { routing, defaultGateway, fallback }, reconciler),
    "payments.payments",
  );
  const refunds = traceService(refundService, "payments.refunds");
  const tracedWebhooks = traceService(webhooks, "payments.webhooks");
  const maintenance = traceService(new MaintenanceService(ctx, options.retention), "payments.maintenance");
  return {
    payments,
    transactions: traceService(new TransactionService(ctx), "payments.transactions"),
    refunds,
    webhooks: tracedWebhooks,
    fraud: traceService(fraud, "payments.fraud"),
    maintenance,
    gatewayEvents: traceService(new GatewayEventService(ctx, settlement, reconciler), "payments.gatewayEvents"),
    backgroundDuties: paymentDuties({ payments, refunds, webhooks: tracedWebhooks, maintenance, store }),
    events,
    gateways: registry,
    store,
    clock,
  };
}

const NO_GATEWAY_HELP =
  "createPaymentSystem needs at least one payment gateway and registers none by default: pass { gateways: { stripe: new YourStripeGateway(...) } }, " +
  "or { gateways: { test: new TestGateway() } } in tests and demos (TestGateway moves no real money)";

// The registry of the options: never empty, and free of test gateways in production unless allowed.
function gatewayRegistryOf(options: PaymentSystemOptions): GatewayRegistry {
  let registry: GatewayRegistry;
  if (options.gateways instanceof GatewayRegistry) registry = options.gateways;
  else {
    registry = new GatewayRegistry();
    for (const [name, g] of Object.entries(options.gateways ?? {})) registry.register(name, g);
  }
  if (registry.names().length === 0) throw new ConfigurationError(paymentsCodes.no_payment_gateway, NO_GATEWAY_HELP);
  if (globalThis.process?.env?.NODE_ENV === "production" && options.allowTestGateways !== true) registry.refuseTestGateways();
  return registry;
}
