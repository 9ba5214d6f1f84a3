import { ConfigurationError, GatewayError, PlatformError, ValidationError } from "@platform/core";
import type { PaymentGateway } from "../ports/payment-gateway.js";

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
  throw new GatewayError("gateway_error", `gateway ${name} failed with an unexpected error`, {
    provider: name,
    retryable: true,
    details: { ambiguous: true },
    cause: error,
  });
}

function guarded(name: string, gateway: PaymentGateway): PaymentGateway {
  const wrap =
    <A, R>(fn: (a: A) => Promise<R>) =>
    async (a: A): Promise<R> => {
      try {
        return await fn.call(gateway, a);
      } catch (e) {
        return mapError(name, e);
      }
    };
  return {
    describePaymentMethod: wrap(gateway.describePaymentMethod),
    ...(gateway.assertSupported ? { assertSupported: wrap(gateway.assertSupported) } : {}),
    authorize: wrap(gateway.authorize),
    capture: wrap(gateway.capture),
    void: wrap(gateway.void),
    refund: wrap(gateway.refund),
    retrieve: wrap(gateway.retrieve),
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

  /** Adds or replaces a gateway. @throws ValidationError `invalid_gateway_name`. */
  register(name: string, gateway: PaymentGateway): this {
    if (!/^[a-z][a-z0-9_-]{0,63}$/.test(name)) throw ValidationError.field("name", "gateway names are 1-64 lower-case letters, digits, - or _", "invalid_gateway_name");
    this.gateways.set(name, guarded(name, gateway));
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
    if (!g) throw new ConfigurationError(`payment gateway ${JSON.stringify(name)} is not registered (known: ${this.names().join(", ") || "none"})`, "unknown_gateway", { details: { gateway: name } });
    return g;
  }
}
