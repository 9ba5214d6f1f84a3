import {
  callAttributes,
  ConfigurationError,
  GatewayError,
  PlatformError,
  silentLogger,
  ValidationError,
  withSpan,
  writeLog,
  type Logger,
} from "@platform/core";
import type { PaymentGateway } from "../ports/payment-gateway.js";
import { paymentsCodes } from "../domain/error-codes.js";

/** True when a gateway error means "sent, outcome unknown": never retry elsewhere, reconcile instead. */
export function isAmbiguous(error: unknown): boolean {
  return PlatformError.is(error) && error.kind === "gateway" && (error.code === "gateway_timeout" || error.details.ambiguous === true);
}

/** True when a gateway error means "nothing was charged, another gateway may be tried". */
export function isFallbackEligible(error: unknown): boolean {
  return error instanceof GatewayError && error.retryable && !isAmbiguous(error);
}

// Anything a provider adapter lets escape (TypeError, socket errors) is mapped here, at the edge.
// We cannot know whether the request reached the provider, so it is ambiguous. The raw text
// (addresses, hosts, provider internals) stays in `cause`: the message is stored on the payment
// and returned through the API.
function mapError(name: string, error: unknown): never {
  if (PlatformError.is(error)) throw error;
  throw new GatewayError(paymentsCodes.gateway_error, `gateway ${name} failed with an unexpected error`, {
    provider: name,
    retryable: true,
    details: { ambiguous: true },
    cause: error,
  });
}

// Fields of a gateway request that identify it in logs (never the payment method or amounts' payer data).
function requestIds(request: unknown): Record<string, string> {
  if (request === null || typeof request !== "object") return {};
  const r = request as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const k of ["paymentId", "refundId", "reference", "idempotencyKey"]) if (typeof r[k] === "string") out[k] = r[k] as string;
  return out;
}

// A decline is a business outcome (info); anything else a gateway answers with is worth a warning,
// and an unknown outcome (the charge may have happened) an error until reconciled.
function levelOf(error: unknown): "info" | "warn" | "error" {
  if (isAmbiguous(error)) return "error";
  return error instanceof GatewayError && !error.retryable && error.declineCode !== undefined ? "info" : "warn";
}

function testGatewayRefused(name: string): ConfigurationError {
  return new ConfigurationError(
    paymentsCodes.test_gateway_in_production,
    `gateway ${JSON.stringify(name)} is a test gateway and moves no real money; NODE_ENV is production. Register a real gateway, or pass allowTestGateways: true to createPaymentSystem for a staging system that must take test payments`,
    { details: { gateway: name } },
  );
}

function guarded(name: string, gateway: PaymentGateway, logger: () => Logger): PaymentGateway {
  const wrap =
    <A, R>(operation: string, fn: (a: A) => Promise<R>) =>
    (a: A): Promise<R> =>
      // describePaymentMethod takes the payment method token itself: no attributes from it.
      withSpan(
        `payments.gateway.${operation}`,
        { "platform.gateway": name, ...(operation === "describePaymentMethod" ? {} : callAttributes([a])) },
        async () => {
          try {
            return await fn.call(gateway, a);
          } catch (e) {
            try {
              return mapError(name, e);
            } catch (mapped) {
              writeLog(logger(), levelOf(mapped), "payment gateway call failed", { gateway: name, operation, ...requestIds(a) }, mapped);
              throw mapped;
            }
          }
        },
      );
  return {
    testMode: gateway.testMode === true,
    describePaymentMethod: wrap("describePaymentMethod", gateway.describePaymentMethod),
    ...(gateway.assertSupported ? { assertSupported: wrap("assertSupported", gateway.assertSupported) } : {}),
    authorize: wrap("authorize", gateway.authorize),
    capture: wrap("capture", gateway.capture),
    void: wrap("void", gateway.void),
    refund: wrap("refund", gateway.refund),
    retrieve: wrap("retrieve", gateway.retrieve),
  };
}

/**
 * Gateways by name. Lookups of unknown names fail loudly.
 * @example
 * ```ts
 * system.gateways.register("stripe", new StripeGateway(process.env.STRIPE_KEY!));
 * ```
 */
export class GatewayRegistry {
  private readonly gateways = new Map<string, PaymentGateway>();
  private logger: Logger = silentLogger;

  /** @internal Where gateway failures are logged; `createPaymentSystem` sets its `logger` option. */
  useLogger(logger: Logger): void {
    this.logger = logger;
  }
  private testGatewaysRefused = false;

  /**
   * Adds or replaces a gateway.
   * @throws ValidationError `invalid_gateway_name`.
   * @throws ConfigurationError `test_gateway_in_production` for a `testMode` gateway once {@link refuseTestGateways} was called.
   */
  register(name: string, gateway: PaymentGateway): this {
    if (!/^[a-z][a-z0-9_-]{0,63}$/.test(name))
      throw ValidationError.field(paymentsCodes.invalid_gateway_name, "name", "gateway names are 1-64 lower-case letters, digits, - or _");
    if (this.testGatewaysRefused && gateway.testMode === true) throw testGatewayRefused(name);
    this.gateways.set(
      name,
      guarded(name, gateway, () => this.logger),
    );
    return this;
  }

  /**
   * From now on a gateway that moves no real money (`testMode`) cannot be registered, and none may be
   * registered already: a live system must never take fake money. `createPaymentSystem` calls it when
   * `NODE_ENV=production` and `allowTestGateways` is not set.
   * @throws ConfigurationError `test_gateway_in_production` naming the first test gateway already registered.
   */
  refuseTestGateways(): this {
    for (const [name, g] of this.gateways) if (g.testMode === true) throw testGatewayRefused(name);
    this.testGatewaysRefused = true;
    return this;
  }

  /** True when a gateway of that name is registered. */
  has(name: string): boolean {
    return this.gateways.has(name);
  }

  /** Registered names. */
  names(): string[] {
    return [...this.gateways.keys()];
  }

  /** The gateway, with errors mapped to GatewayError. @throws ConfigurationError `unknown_gateway`. */
  get(name: string): PaymentGateway {
    const g = this.gateways.get(name);
    if (!g)
      throw new ConfigurationError(
        paymentsCodes.unknown_gateway,
        `payment gateway ${JSON.stringify(name)} is not registered (known: ${this.names().join(", ") || "none"})`,
        { details: { gateway: name } },
      );
    return g;
  }
}
