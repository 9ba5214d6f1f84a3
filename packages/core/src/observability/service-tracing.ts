import { AsyncLocalStorage } from "node:async_hooks";
import { countMetric } from "./metrics.js";
import { otelApi, tracerRegistered } from "./telemetry-api.js";
import { errorCodeOf, withSpan } from "./tracing.js";
import type { AttributeValue } from "./telemetry-api.js";

// Only these fields (and ids with these prefixes) become span attributes: an allow-list, so
// tokens, passwords and secrets can never reach a span whatever a method takes or returns.
const ID_FIELDS: Record<string, string> = {
  orderId: "platform.order.id",
  customerId: "platform.customer.id",
  cartId: "platform.cart.id",
  paymentId: "platform.payment.id",
  refundId: "platform.refund.id",
  productId: "platform.product.id",
  userId: "platform.user.id",
  postId: "platform.post.id",
  endpointId: "platform.webhook_endpoint.id",
  deliveryId: "platform.webhook_delivery.id",
};
const ID_PREFIXES: Record<string, string> = {
  ord: "platform.order.id",
  cus: "platform.customer.id",
  cart: "platform.cart.id",
  pay: "platform.payment.id",
  re: "platform.refund.id",
  prod: "platform.product.id",
  usr: "platform.user.id",
  post: "platform.post.id",
  we: "platform.webhook_endpoint.id",
  whd: "platform.webhook_delivery.id",
};
const ID_SHAPE = /^([a-z]{1,8})_[A-Za-z0-9_-]{4,60}$/;
const MONEY_FIELDS = ["total", "amount"] as const;
const CURRENCY = /^[A-Z]{3}$/;

type Attrs = Record<string, AttributeValue | undefined>;

function idAttribute(attrs: Attrs, value: unknown, key?: string): void {
  if (typeof value !== "string" || !ID_SHAPE.test(value)) return;
  const name = key !== undefined ? ID_FIELDS[key] : ID_PREFIXES[ID_SHAPE.exec(value)![1]!];
  if (name !== undefined) attrs[name] ??= value;
}

function moneyAttributes(attrs: Attrs, value: unknown): void {
  if (value === null || typeof value !== "object") return;
  const json = typeof (value as { toJSON?: unknown }).toJSON === "function" ? (value as { toJSON(): unknown }).toJSON() : value;
  const { amount, currency } = (json ?? {}) as { amount?: unknown; currency?: unknown };
  if (typeof currency === "string" && CURRENCY.test(currency) && (typeof amount === "string" || typeof amount === "number")) {
    attrs["platform.amount"] ??= String(amount);
    attrs["platform.currency"] ??= currency;
  }
}

/**
 * Span attributes of a service call, read from its arguments and result through an allow-list:
 * known id fields and ids by prefix (`platform.order.id`, `platform.customer.id` ...), money as
 * `platform.amount` (a decimal string) and `platform.currency`, and the result's `platform.status`.
 */
export function callAttributes(values: readonly unknown[]): Attrs {
  const attrs: Attrs = {};
  for (const value of values) {
    if (typeof value === "string") {
      idAttribute(attrs, value);
      continue;
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) continue;
    const record = value as Record<string, unknown>;
    idAttribute(attrs, record.id);
    for (const key of Object.keys(ID_FIELDS)) idAttribute(attrs, record[key], key);
    for (const key of MONEY_FIELDS) moneyAttributes(attrs, record[key]);
    if (typeof record.currency === "string" && CURRENCY.test(record.currency)) attrs["platform.currency"] ??= record.currency;
  }
  return attrs;
}

/** The `platform.currency` that {@link callAttributes} reads from one value (null when none). */
function currencyOf(value: unknown): string | null {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
  const attrs: Attrs = {};
  const record = value as Record<string, unknown>;
  for (const key of MONEY_FIELDS) moneyAttributes(attrs, record[key]);
  if (typeof record.currency === "string" && CURRENCY.test(record.currency)) attrs["platform.currency"] ??= record.currency;
  return typeof attrs["platform.currency"] === "string" ? attrs["platform.currency"] : null;
}

/**
 * A counted call without a tracer provider: there is no span to make, so no attributes are read but
 * the one the counter carries (the result's currency), the same ones as with a span.
 */
function counted(counter: string, call: () => unknown): unknown {
  const settle = (result: unknown): unknown => {
    const currency = currencyOf(result);
    countMetric(counter, { "platform.outcome": "success", ...(currency !== null ? { "platform.currency": currency } : {}) });
    return result;
  };
  const failed = (error: unknown): never => {
    countMetric(counter, { "platform.outcome": errorCodeOf(error) });
    throw error;
  };
  let result: unknown;
  try {
    result = call();
  } catch (error) {
    return failed(error);
  }
  return result instanceof Promise ? result.then(settle, failed) : settle(result);
}

/** Options of {@link traceService}. */
export interface TraceServiceOptions {
  /** Methods whose every call adds 1 to a counter, with `platform.outcome` = `success` or the error code. */
  counters?: Record<string, string>;
}

/**
 * Wraps a service object so that each public method call runs in a span named
 * `<prefix>.<method>` (e.g. `commerce.orders.checkout`) with {@link callAttributes} of its
 * arguments and result, status ERROR and `platform.error.code` on failure. Methods run on the
 * original object (private state and internal calls untouched); non-function properties pass
 * through. The factories apply it to every service they return.
 * @example
 * ```ts
 * const orders = traceService(new OrderService(ctx, checkout, payments), "commerce.orders");
 * ```
 */
export function traceService<S extends object>(service: S, prefix: string, options: TraceServiceOptions = {}): S {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(service, {
    // Getters run on the target too (private fields would not resolve on the proxy).
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (typeof value !== "function" || typeof property !== "string" || property === "constructor" || property.startsWith("_"))
        return value;
      const hit = wrapped.get(property);
      if (hit) return hit;
      const name = `${prefix}.${property}`;
      const counter = options.counters?.[property];
      const traced = (...args: unknown[]): unknown => {
        // Without @opentelemetry/api, or without a tracer provider and a counter to add to, there is
        // nothing to record: no attribute extraction either.
        const api = otelApi();
        if (!api) return (value as (...a: unknown[]) => unknown).apply(target, args);
        if (!tracerRegistered(api))
          return counter
            ? counted(counter, () => (value as (...a: unknown[]) => unknown).apply(target, args))
            : (value as (...a: unknown[]) => unknown).apply(target, args);
        return withSpan(name, callAttributes(args), (span) => {
          const settle = (result: unknown): unknown => {
            const attrs = callAttributes([result]);
            const status = result !== null && typeof result === "object" ? (result as { status?: unknown }).status : undefined;
            if (typeof status === "string") attrs["platform.status"] = status;
            span.setAttributes(attrs);
            if (counter)
              countMetric(counter, {
                "platform.outcome": "success",
                ...(typeof attrs["platform.currency"] === "string" ? { "platform.currency": attrs["platform.currency"] } : {}),
              });
            return result;
          };
          const failed = (error: unknown): never => {
            if (counter) countMetric(counter, { "platform.outcome": errorCodeOf(error) });
            throw error;
          };
          let result: unknown;
          try {
            result = (value as (...a: unknown[]) => unknown).apply(target, args);
          } catch (error) {
            return failed(error);
          }
          return result instanceof Promise ? result.then(settle, failed) : settle(result);
        });
      };
      wrapped.set(property, traced);
      return traced;
    },
  });
}

/**
 * Wraps a store so each transaction runs in a span `<pkg>.store.transaction` with `platform.store`
 * = the store class (e.g. `PostgresCommerceStore`; `storeName` when `store` wraps another). A `transaction(work)` called inside a running
 * one joins it (as the stores do) and makes no span of its own. Everything else passes through.
 * @example
 * ```ts
 * const traced = traceTransactions(store, "commerce");
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any store's transaction(work), whatever its Tx.
export function traceTransactions<S extends { transaction(work: any): Promise<unknown> }>(
  store: S,
  pkg: string,
  storeName = store.constructor.name,
): S {
  const name = `${pkg}.store.transaction`;
  const attributes = { "platform.store": storeName };
  const inside = new AsyncLocalStorage<true>();
  const transaction = (work: unknown): Promise<unknown> => {
    const api = otelApi();
    // No span to make: no async context to mark either (a nested call joins the store's transaction).
    if (!api || !tracerRegistered(api)) return store.transaction(work);
    return inside.getStore() ? store.transaction(work) : withSpan(name, attributes, () => inside.run(true, () => store.transaction(work)));
  };
  return new Proxy(store, {
    get(target, property) {
      if (property === "transaction") return transaction;
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
