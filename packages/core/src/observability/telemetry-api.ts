import { createRequire } from "node:module";

// The slice of @opentelemetry/api the SDK uses, typed here so the packages compile and their
// published types resolve without the optional peer installed.

/** Attribute values the SDK sets on spans and metrics. */
export type AttributeValue = string | number | boolean;
/** Span or metric attributes. */
export type Attributes = Record<string, AttributeValue>;

/** @internal */
export interface OtelSpan {
  setAttribute(key: string, value: AttributeValue): unknown;
  setAttributes(attributes: Attributes): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  recordException(exception: { name: string; message: string; code?: string }): unknown;
  end(): void;
}
/** @internal */
interface OtelTracer {
  startActiveSpan<R>(name: string, options: { attributes?: Attributes; kind?: number }, fn: (span: OtelSpan) => R): R;
}
/** @internal */
interface OtelInstrument {
  add?(value: number, attributes?: Attributes): void;
  record?(value: number, attributes?: Attributes): void;
}
/** @internal */
interface OtelMeter {
  createCounter(name: string, options?: { description?: string; unit?: string }): OtelInstrument;
  createHistogram(name: string, options?: { description?: string; unit?: string }): OtelInstrument;
}
/** @internal */
export interface OtelApi {
  trace: { getTracer(name: string, version?: string): OtelTracer; getTracerProvider(): unknown };
  metrics: { getMeter(name: string, version?: string): OtelMeter; getMeterProvider(): unknown };
  SpanStatusCode: { ERROR: number; OK: number };
}

let loaded: OtelApi | null | undefined;

/**
 * @opentelemetry/api when the host installed it, else undefined (everything becomes a no-op). It is
 * loaded synchronously on first use with a require bound to this module, which works from both the
 * ESM and the CJS build (tsup shims import.meta.url), so spans exist from the very first call.
 * @internal
 */
export function otelApi(): OtelApi | undefined {
  if (loaded === undefined) {
    try {
      loaded = createRequire(import.meta.url)("@opentelemetry/api") as OtelApi;
    } catch {
      loaded = null;
    }
  }
  return loaded ?? undefined;
}

/**
 * Whether a tracer provider is registered. Without one every span the API hands out is a no-op
 * that carries its parent's context unchanged, so the SDK makes none and reads no attributes
 * (a service call then costs what the call costs). The API's global provider is a proxy that
 * delegates once one is registered.
 * @internal
 */
export function tracerRegistered(api: OtelApi): boolean {
  const provider = api.trace.getTracerProvider() as { getDelegateTracer?: (name: string) => unknown } | null;
  return typeof provider?.getDelegateTracer !== "function" || provider.getDelegateTracer("@platform/core") !== undefined;
}
