import { ConfigurationError, GatewayError } from "@platform/core";
import type Stripe from "stripe";
import type { StripeGatewayOptions } from "./stripe-config.js";
import { mapStripeError, type StripeCallKind } from "./stripe-errors.js";
import { paymentsCodes } from "../../domain/error-codes.js";

/**
 * The `stripe` SDK client of one gateway, loaded on first use (an optional peer dependency), and
 * every call through it with Stripe's errors mapped to the SDK's, named after the gateway as registered.
 */
export class StripeClient {
  private client: Promise<Stripe> | undefined;

  constructor(
    private readonly options: StripeGatewayOptions & { secretKey: string },
    private readonly name: string,
  ) {}

  private stripe(): Promise<Stripe> {
    this.client ??= import("stripe").then(
      (mod) => {
        const StripeClass = (mod.default ?? mod) as unknown as typeof Stripe;
        const o = this.options;
        return new StripeClass(o.secretKey, {
          ...(o.apiVersion ? { apiVersion: o.apiVersion as Stripe.LatestApiVersion } : {}),
          maxNetworkRetries: o.maxNetworkRetries ?? 2,
          timeout: o.timeoutMs ?? 30_000,
          telemetry: o.telemetry ?? false,
          ...(o.host ? { host: o.host } : {}),
          ...(o.port ? { port: o.port } : {}),
          ...(o.protocol ? { protocol: o.protocol } : {}),
          appInfo: { name: "@platform/payments" },
        });
      },
      (cause: unknown) => {
        this.client = undefined;
        throw new ConfigurationError(
          paymentsCodes.missing_peer_dependency,
          "the Stripe gateway needs the optional peer dependency stripe (npm install stripe)",
          { cause },
        );
      },
    );
    return this.client;
  }

  async call<T>(kind: StripeCallKind, fn: (s: Stripe) => Promise<T>): Promise<T> {
    const s = await this.stripe();
    try {
      return await fn(s);
    } catch (e) {
      const mapped = mapStripeError(e, kind);
      // Name the gateway as registered (a host may run two Stripe accounts).
      throw mapped instanceof GatewayError && this.name !== "stripe"
        ? new GatewayError(mapped.code, mapped.message, {
            provider: this.name,
            retryable: mapped.retryable,
            declineCode: mapped.declineCode,
            details: mapped.details,
            cause: mapped.cause,
          })
        : mapped;
    }
  }
}
